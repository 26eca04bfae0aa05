package io.aiomisc.net;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.Objects;

/**
 * A TLS server: a {@link TcpServer} whose connections are wrapped by {@link TlsConfig#wrapServer}
 * (aiomisc's {@code TLSServer}). The handshake runs on the connection's own thread at the first
 * read or write, so a slow or failing client never holds up the others.
 *
 * <pre>{@code
 * TlsConfig tls = TlsConfig.builder().cert(Path.of("server.pem")).key(Path.of("server.key")).build();
 * final class SecureEcho extends TlsServer {
 *     SecureEcho() { super("::", 8443, tls); }
 *     protected void handleClient(StreamReader reader, StreamWriter writer) throws IOException { ... }
 * }
 * }</pre>
 *
 * <p>Blocking, interrupts, time source, logging and bounds (accept backoff, idle timeout, line
 * limit) are as for {@link TcpServer}; the TLS handshake is socket I/O and reacts to an interrupt,
 * and to the idle timeout, as a read does.
 */
public abstract class TlsServer extends TcpServer {
    private final TlsConfig tls;

    /**
     * A TLS server on {@code address:port} with the default stop timeout
     * ({@link #DEFAULT_STOP_TIMEOUT}, 5 s) and no socket options.
     *
     * @param address the address to listen on ({@code "::"} or {@code "0.0.0.0"} for all)
     * @param port    0..65535; 0 for an ephemeral port
     * @param tls     how to wrap each connection; must have a certificate and a key
     * @throws NullPointerException     if {@code address} or {@code tls} is null
     * @throws IllegalArgumentException if {@code port} is outside 0..65535, or {@code tls} has no
     *                                  certificate and key
     */
    protected TlsServer(String address, int port, TlsConfig tls) {
        this(address, port, tls, DEFAULT_STOP_TIMEOUT);
    }

    /**
     * A TLS server on {@code address:port} with its own stop timeout and socket options.
     *
     * @param address     the address to listen on ({@code "::"} or {@code "0.0.0.0"} for all)
     * @param port        0..65535; 0 for an ephemeral port
     * @param tls         how to wrap each connection; must have a certificate and a key
     * @param stopTimeout how long stop waits for handlers before interrupting them; zero or more
     * @param options     socket options of the listening socket
     * @throws NullPointerException     if an argument (or an option) is null
     * @throws IllegalArgumentException if {@code port} is outside 0..65535, {@code stopTimeout} is
     *                                  negative, or {@code tls} has no certificate and key
     */
    protected TlsServer(
            String address, int port, TlsConfig tls, Duration stopTimeout, SocketOptionValue<?>... options) {
        super(address, port, stopTimeout, options);
        this.tls = Objects.requireNonNull(tls, "tls");
        if (!tls.hasCertificate()) {
            throw new IllegalArgumentException("a TLS server needs a certificate and a key: " + tls);
        }
    }

    /**
     * A TLS server whose connections are handled by {@code handler}; default stop timeout, no
     * socket options.
     *
     * @param address the address to listen on ({@code "::"} or {@code "0.0.0.0"} for all)
     * @param port    0..65535; 0 for an ephemeral port
     * @param tls     how to wrap each connection; must have a certificate and a key
     * @param handler handles each connection, on the connection's own thread; called
     *                concurrently for concurrent connections, so it must be thread-safe
     * @return a new server, not started
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if {@code port} is outside 0..65535, or {@code tls} has no
     *                                  certificate and key
     */
    public static TlsServer create(String address, int port, TlsConfig tls, ConnectionHandler handler) {
        Objects.requireNonNull(handler, "handler");
        return new TlsServer(address, port, tls) {
            @Override
            protected void handleClient(StreamReader reader, StreamWriter writer) throws Exception {
                handler.handle(reader, writer);
            }
        };
    }

    @Override
    protected Socket wrap(Socket accepted) throws IOException {
        return tls.wrapServer(accepted);
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
