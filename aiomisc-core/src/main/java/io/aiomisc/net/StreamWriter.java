package io.aiomisc.net;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Objects;

/**
 * Writes to a connection, with asyncio's {@code StreamWriter} methods: {@link #write} sends the
 * bytes at once (blocking while the socket's send buffer is full, which is the back-pressure
 * {@code drain()} gives in asyncio), {@link #drain()} flushes anything a layer below buffered,
 * {@link #writeEof()} half-closes, {@link #close()} closes the connection.
 *
 * <p><b>Blocking and interrupts.</b> {@code write}, {@code drain}, {@code writeEof} and
 * {@code close} block while the socket's send buffer is full (and a TLS layer may wait for its
 * handshake). On a virtual thread an interrupt closes the connection and the blocked call throws
 * a {@link java.net.SocketException} with the interrupt flag still set (the JDK socket's
 * behaviour); on a platform thread the call does not notice the interrupt, which stays set, and
 * goes on until the peer reads or the socket is closed.
 *
 * <p>Not thread-safe: one writer at a time.
 */
public final class StreamWriter implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;

    /**
     * A writer on {@code socket}'s output.
     *
     * @param socket a connected socket
     * @throws IOException if the socket's output cannot be had (it is closed, or not connected)
     */
    public StreamWriter(Socket socket) throws IOException {
        this.socket = Objects.requireNonNull(socket, "socket");
        this.out = socket.getOutputStream();
    }

    /**
     * Sends {@code data}; returns once the socket took it. Blocks while the send buffer is full
     * (see the class description).
     *
     * @param data the bytes to send
     * @throws IOException if the connection fails or is closed
     */
    public void write(byte[] data) throws IOException {
        out.write(data);
    }

    /**
     * Sends {@code length} bytes of {@code data} from {@code offset}; blocks as {@link
     * #write(byte[])}.
     *
     * @param data   the array holding the bytes
     * @param offset the index of the first byte to send
     * @param length the number of bytes to send
     * @throws IOException               if the connection fails or is closed
     * @throws IndexOutOfBoundsException if {@code offset} and {@code length} are outside {@code data}
     */
    public void write(byte[] data, int offset, int length) throws IOException {
        out.write(data, offset, length);
    }

    /**
     * Flushes what a lower layer (TLS) buffered; blocks as {@link #write(byte[])}.
     *
     * @throws IOException if the connection fails or is closed
     */
    public void drain() throws IOException {
        out.flush();
    }

    /**
     * Flushes, then closes the sending side (the peer reads end-of-stream); reading goes on. Blocks
     * as {@link #write(byte[])}.
     *
     * @throws IOException if the connection fails or is closed
     */
    public void writeEof() throws IOException {
        out.flush();
        socket.shutdownOutput();
    }

    /**
     * Tells whether writing has ended.
     *
     * @return true once {@link #writeEof()} or {@link #close()} was called
     */
    public boolean isClosing() {
        return socket.isOutputShutdown() || socket.isClosed();
    }

    /**
     * The peer's address.
     *
     * @return the remote address, or null if the socket is not connected
     */
    public InetSocketAddress remoteAddress() {
        return (InetSocketAddress) socket.getRemoteSocketAddress();
    }

    /**
     * The value of a socket option of the connection ({@code TCP_NODELAY} is on by default).
     *
     * @param option the option, e.g. {@link java.net.StandardSocketOptions#TCP_NODELAY}
     * @param <T>    the option's value type
     * @return its current value
     * @throws IOException if the socket is closed
     * @throws UnsupportedOperationException if the socket does not support the option
     */
    public <T> T getOption(java.net.SocketOption<T> option) throws IOException {
        return socket.getOption(option);
    }

    /**
     * The local address of the connection.
     *
     * @return the local address, or null if the socket is not bound
     */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    /**
     * This writer as an {@link OutputStream}; closing it closes the connection.
     *
     * @return a view of this writer
     */
    public OutputStream outputStream() {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                out.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void flush() throws IOException {
                out.flush();
            }

            @Override
            public void close() throws IOException {
                StreamWriter.this.close();
            }
        };
    }

    /**
     * Flushes and closes the connection. Idempotent. The flush blocks as {@link #write(byte[])};
     * the close does not.
     *
     * @throws IOException if the flush fails (the connection is closed all the same)
     */
    @Override
    public void close() throws IOException {
        if (socket.isClosed()) {
            return;
        }
        try {
            if (!socket.isOutputShutdown()) {
                out.flush();
            }
        } finally {
            socket.close();
        }
    }
}
