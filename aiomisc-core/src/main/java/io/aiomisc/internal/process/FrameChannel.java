package io.aiomisc.internal.process;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Frames over a blocking socket channel. One thread reads; any number of threads send (each frame
 * is written whole under a lock, so frames never interleave). Closing is idempotent and wakes a
 * blocked reader or writer.
 */
public final class FrameChannel implements AutoCloseable {
    private final SocketChannel channel;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final ByteBuffer header = ByteBuffer.allocate(5);
    private volatile int maxBody;

    /**
     * @param channel a connected, blocking channel, owned from now on
     * @param maxBody the largest body {@link #receive()} accepts, in bytes
     */
    public FrameChannel(SocketChannel channel, int maxBody) {
        this.channel = channel;
        this.maxBody = maxBody;
    }

    /** Changes the largest body {@link #receive()} accepts (small during the handshake, then the pool's limit). */
    public void maxBody(int maxBody) {
        this.maxBody = maxBody;
    }

    /**
     * Sends {@code frame}. Blocks until the bytes are in the socket's buffer; an interrupt closes the
     * channel ({@link java.nio.channels.ClosedByInterruptException}).
     */
    public void send(Frame frame) throws IOException {
        ByteBuffer head = ByteBuffer.allocate(5);
        head.putInt(frame.body().length + 1).put((byte) frame.type()).flip();
        ByteBuffer[] buffers = {head, ByteBuffer.wrap(frame.body())};
        writeLock.lock();
        try {
            while (buffers[1].hasRemaining() || head.hasRemaining()) {
                channel.write(buffers);
            }
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Reads the next frame. Blocks until one arrives; only one thread may call this at a time.
     *
     * @throws EOFException   when the peer closed the connection
     * @throws FrameException when the frame is empty or larger than the limit (nothing of it is
     *                        read into memory)
     */
    public Frame receive() throws IOException {
        header.clear();
        readFully(header);
        header.flip();
        int length = header.getInt();
        int type = header.get() & 0xFF;
        if (length < 1) {
            throw new FrameException("malformed frame: length " + length);
        }
        int bodyLength = length - 1;
        if (bodyLength > maxBody) {
            throw new FrameException(
                    "frame of " + bodyLength + " bytes is larger than the limit of " + maxBody + " bytes");
        }
        ByteBuffer body = ByteBuffer.allocate(bodyLength);
        readFully(body);
        return new Frame(type, body.array());
    }

    private void readFully(ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                throw new EOFException("connection closed by the peer");
            }
        }
    }

    public boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing more to release
        }
    }
}
