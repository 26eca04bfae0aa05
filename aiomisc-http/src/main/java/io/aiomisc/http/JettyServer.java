package io.aiomisc.http;

import io.aiomisc.net.TlsConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.VirtualThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One started Jetty server of a service: its thread pools, connector, graceful-stop handler and
 * access log. Shared by {@link HttpService}, {@link HttpsService} and {@link ServletService}.
 *
 * <p>Threads: Jetty's selectors and acceptor run on a small pool of platform threads named
 * {@code aiomisc-http-<service>-n}; requests run on virtual threads, at most
 * {@value #MAX_CONCURRENT_REQUESTS} at once (Jetty's {@code VirtualThreadPool} allows 200 by
 * default). A handler that declares itself non-blocking ({@code Handler.Abstract.NonBlocking})
 * runs on the I/O thread without that hop.
 */
final class JettyServer {
    private static final Logger log = LoggerFactory.getLogger(HttpService.class);

    /** The most requests handled at once; more wait for a virtual thread. */
    static final int MAX_CONCURRENT_REQUESTS = 100_000;

    private final Server server;
    private final ServerConnector connector;
    private final ExecutorService requestThreads;
    private final String what;

    private JettyServer(Server server, ServerConnector connector, ExecutorService requestThreads, String what) {
        this.server = server;
        this.connector = connector;
        this.requestThreads = requestThreads;
        this.what = what;
    }

    /**
     * Starts a server for {@code handler} on {@code host:port} (TLS when {@code tls} is not null).
     * Nothing is left running or bound when this throws.
     *
     * @throws IOException naming the address when it cannot be bound
     */
    static JettyServer start(String name, String host, int port, TlsConfig tls, Handler handler, Duration stopTimeout)
            throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("aiomisc-http-" + name);
        threads.setDaemon(true);
        // our own executor, not Jetty's: Jetty never interrupts a request's thread, so a handler
        // still blocked when the stop timeout ends would be left running; shutdownNow() cuts it
        ExecutorService requestThreads = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("aiomisc-http-request-" + name + "-", 0).factory());
        VirtualThreadPool requests = new VirtualThreadPool();
        requests.setName("aiomisc-http-request-" + name);
        requests.setVirtualThreadsExecutor(requestThreads);
        requests.setMaxThreads(MAX_CONCURRENT_REQUESTS);
        requests.setTracking(true);
        threads.setVirtualThreadsExecutor(requests);

        Server server = new Server(threads);
        server.setStopTimeout(Math.max(1, stopTimeout.toMillis()));
        server.setStopAtShutdown(false); // the entrypoint stops it
        ServerConnector connector = new ServerConnector(server, factories(tls));
        connector.setHost(host);
        connector.setPort(port);
        server.addConnector(connector);
        server.setRequestLog(new AccessLog());
        server.setHandler(new GracefulHandler(new FailureGuard(handler)));
        String what = (tls == null ? "http://" : "https://") + host + ":" + port;
        try {
            server.start();
        } catch (Exception e) {
            stopQuietly(server);
            requestThreads.shutdownNow();
            if (e instanceof IOException io) {
                throw new IOException("cannot listen on " + what + ": " + io.getMessage(), io);
            }
            throw e;
        }
        return new JettyServer(server, connector, requestThreads, what);
    }

    private static ConnectionFactory[] factories(TlsConfig tls) {
        HttpConfiguration config = new HttpConfiguration();
        config.setSendServerVersion(false);
        HttpConnectionFactory http11 = new HttpConnectionFactory(config);
        if (tls == null) {
            return new ConnectionFactory[] {http11};
        }
        // one certificate for every name: no SNI host check
        config.addCustomizer(new SecureRequestCustomizer(false));
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setSslContext(tls.sslContext());
        ssl.setIncludeProtocols(tls.protocols());
        if (tls.ciphers().length > 0) {
            ssl.setIncludeCipherSuites(tls.ciphers());
        }
        ssl.setNeedClientAuth(tls.requireClientCert());
        HTTP2ServerConnectionFactory h2 = new HTTP2ServerConnectionFactory(config);
        ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory();
        alpn.setDefaultProtocol(http11.getProtocol());
        return new ConnectionFactory[] {new SslConnectionFactory(ssl, alpn.getProtocol()), alpn, h2, http11};
    }

    /** The address the connector is bound to (the real port when 0 was asked for). */
    InetSocketAddress localAddress() {
        try {
            return (InetSocketAddress) ((ServerSocketChannel) connector.getTransport()).getLocalAddress();
        } catch (IOException e) {
            return new InetSocketAddress(connector.getHost(), connector.getLocalPort());
        }
    }

    /**
     * Stops gracefully: no new connections, requests in flight may finish within the stop timeout,
     * then everything is closed and the threads of requests still running are interrupted. Blocks
     * until the server is stopped (not until interrupted handlers have returned).
     */
    void stop() throws Exception {
        boolean interrupted = Thread.interrupted(); // a pending interrupt must not skip the graceful wait
        try {
            server.stop();
        } catch (TimeoutException e) {
            log.warn("{}: requests still running after the shutdown timeout were cut off", what);
        } catch (InterruptedException e) {
            interrupted = true; // the graceful wait ended early: close the rest all the same
            if (!server.isStopped()) {
                server.stop();
            }
        } finally {
            requestThreads.shutdownNow();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void stopQuietly(Server server) {
        try {
            server.stop();
        } catch (Exception e) {
            log.debug("Jetty did not stop cleanly after a failed start", e);
        }
    }

    @Override
    public String toString() {
        return what;
    }
}
