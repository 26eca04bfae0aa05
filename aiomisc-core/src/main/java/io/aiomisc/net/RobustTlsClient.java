package io.aiomisc.net;

import java.io.IOException;
import java.net.Socket;
import java.util.Objects;

/**
 * A {@link RobustTcpClient} over TLS (aiomisc's {@code RobustTLSClient}): every connection is
 * wrapped by {@link TlsConfig#wrapClient} and handshaken before the handler runs; a failed
 * handshake counts as a failed connection and is retried like one.
 *
 * <p>Blocking, interrupts, time source and logging are as for {@link RobustTcpClient}; the TLS handshake is
 * socket I/O and reacts to an interrupt as {@link StreamReader} says.
 */
public abstract class RobustTlsClient extends RobustTcpClient {
    private final TlsConfig tls;

    /**
     * A reconnecting TLS client with the default {@link ReconnectPolicy}
     * ({@link ReconnectPolicy#defaults()}).
     *
     * @param address the host name or IP address to connect to
     * @param port    the port to connect to, 0..65535
     * @param tls     how to wrap every connection
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if {@code port} is outside 0..65535
     */
    protected RobustTlsClient(String address, int port, TlsConfig tls) {
        this(address, port, tls, ReconnectPolicy.defaults());
    }

    /**
     * A reconnecting TLS client waiting between connections as {@code policy} says.
     *
     * @param address the host name or IP address to connect to
     * @param port    the port to connect to, 0..65535
     * @param tls     how to wrap every connection
     * @param policy  how long to wait between connections
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if {@code port} is outside 0..65535
     */
    protected RobustTlsClient(String address, int port, TlsConfig tls, ReconnectPolicy policy) {
        super(address, port, policy);
        this.tls = Objects.requireNonNull(tls, "tls");
    }

    /**
     * A reconnecting TLS client whose every connection is handled by {@code handler}.
     *
     * @param address the host name or IP address to connect to
     * @param port    the port to connect to, 0..65535
     * @param tls     how to wrap every connection
     * @param policy  how long to wait between connections
     * @param handler talks over each connection in turn, on the service's start thread
     * @return a new client, not started
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if {@code port} is outside 0..65535
     */
    public static RobustTlsClient create(
            String address, int port, TlsConfig tls, ReconnectPolicy policy, ConnectionHandler handler) {
        Objects.requireNonNull(handler, "handler");
        return new RobustTlsClient(address, port, tls, policy) {
            @Override
            protected void handleConnection(StreamReader reader, StreamWriter writer) throws Exception {
                handler.handle(reader, writer);
            }
        };
    }

    @Override
    protected Socket wrap(Socket connected, String host, int port) throws IOException {
        return TlsClient.handshaken(tls, connected, host, port);
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
