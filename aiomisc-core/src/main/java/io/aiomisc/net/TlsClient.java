package io.aiomisc.net;

import java.io.IOException;
import java.net.Socket;
import java.util.Objects;

/**
 * A TLS client: a {@link TcpClient} whose connection is wrapped by {@link TlsConfig#wrapClient}
 * (aiomisc's {@code TLSClient}). With {@code verify} on (the default), the server's certificate and
 * host name are checked — aiomisc's clients never check them.
 *
 * <p>Blocking, interrupts, time source and logging are as for {@link TcpClient}; the TLS handshake is
 * socket I/O and reacts to an interrupt as {@link StreamReader} says.
 */
public abstract class TlsClient extends TcpClient {
    private final TlsConfig tls;

    /**
     * A TLS client of {@code address:port}, with {@link TcpClient}'s default retry policy for
     * connecting (5 attempts, 3 s apart).
     *
     * @param address the host name or IP address to connect to
     * @param port    the port to connect to, 0..65535
     * @param tls     how to wrap the connection; its host name check uses {@code address}
     * @throws NullPointerException     if {@code address} or {@code tls} is null
     * @throws IllegalArgumentException if {@code port} is outside 0..65535
     */
    protected TlsClient(String address, int port, TlsConfig tls) {
        super(address, port);
        this.tls = Objects.requireNonNull(tls, "tls");
    }

    /**
     * A TLS client whose connection is handled by {@code handler}.
     *
     * @param address the host name or IP address to connect to
     * @param port    the port to connect to, 0..65535
     * @param tls     how to wrap the connection
     * @param handler talks over the connection, on the service's start thread
     * @return a new client, not started
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if {@code port} is outside 0..65535
     */
    public static TlsClient create(String address, int port, TlsConfig tls, ConnectionHandler handler) {
        Objects.requireNonNull(handler, "handler");
        return new TlsClient(address, port, tls) {
            @Override
            protected void handleConnection(StreamReader reader, StreamWriter writer) throws Exception {
                handler.handle(reader, writer);
            }
        };
    }

    @Override
    protected Socket wrap(Socket connected, String host, int port) throws IOException {
        return handshaken(tls, connected, host, port);
    }

    /** Wraps and completes the handshake now, so that a bad certificate fails the connect. */
    static Socket handshaken(TlsConfig tls, Socket connected, String host, int port) throws IOException {
        javax.net.ssl.SSLSocket socket = tls.wrapClient(connected, host, port);
        socket.startHandshake();
        return socket;
    }

    /**
     * The TLS configuration every connection is wrapped with.
     *
     * @return the configuration given at construction
     */
    public TlsConfig tls() {
        return tls;
    }
}
