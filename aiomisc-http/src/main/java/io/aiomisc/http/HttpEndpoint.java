package io.aiomisc.http;

import io.aiomisc.net.Sockets;
import io.aiomisc.net.TlsConfig;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import org.eclipse.jetty.server.Handler;

/**
 * Where a service of this package listens, and its server while it runs: the address and port
 * checked at construction, the start, the graceful stop and {@code localAddress()} that
 * {@link HttpService} and {@link ServletService} share.
 */
final class HttpEndpoint {
    private final String address;
    private final int port;
    private volatile JettyServer server;

    /**
     * @throws IllegalArgumentException naming the port unless it is in 0..65535, or if the address is blank
     * @throws NullPointerException     if {@code address} is null
     */
    HttpEndpoint(String address, int port) {
        Objects.requireNonNull(address, "address");
        if (address.isBlank()) {
            throw new IllegalArgumentException("address must be a host name or an IP address, not blank");
        }
        this.address = address;
        this.port = Sockets.checkPort(port);
    }

    /** Starts a server for {@code handler}; see {@link JettyServer#start}. */
    void start(String name, TlsConfig tls, Handler handler, Duration shutdownTimeout) throws Exception {
        server = JettyServer.start(name, address, port, tls, handler, shutdownTimeout);
    }

    /** Stops the server if it runs; see {@link JettyServer#stop()}. */
    void stop() throws Exception {
        JettyServer running = server;
        if (running != null) {
            server = null;
            running.stop();
        }
    }

    /**
     * @throws IllegalStateException naming {@code service} when no server runs
     */
    InetSocketAddress localAddress(String service) {
        JettyServer running = server;
        if (running == null) {
            throw new IllegalStateException(service + " is not running: it has no address");
        }
        return running.localAddress();
    }
}
