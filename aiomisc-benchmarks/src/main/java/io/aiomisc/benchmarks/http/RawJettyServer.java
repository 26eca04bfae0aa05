package io.aiomisc.benchmarks.http;

import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.VirtualThreadPool;

/**
 * The baseline of the HTTP comparison ({@code aiomisc-benchmarks/http-bench}): a plain Jetty 12
 * {@link Server} serving {@link Hello}'s handler directly, with the same thread mode as
 * {@code HttpService}: platform threads for the selectors and acceptor, Jetty's
 * {@code VirtualThreadPool} for handlers that may block. No graceful-stop handler, no failure guard,
 * no request log: what {@code HttpService} adds is what the comparison measures. The
 * {@code Server} header is off on both sides, so the responses are the same bytes.
 *
 * <p>Usage: {@code RawJettyServer PORT blocking|nonblocking} (port 0: an ephemeral port). Listens on
 * 127.0.0.1, prints {@code READY <port>} on stdout once listening, and runs until SIGTERM/SIGINT
 * (Jetty's shutdown hook stops it).
 */
public final class RawJettyServer {
    private RawJettyServer() {}

    public static void main(String[] args) throws Exception {
        int port = Hello.port(args);
        Hello.Mode mode = Hello.Mode.parse(args[1]);
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setVirtualThreadsExecutor(new VirtualThreadPool());
        Server server = new Server(threads);
        HttpConfiguration config = new HttpConfiguration();
        config.setSendServerVersion(false);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(config));
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);
        server.setHandler(Hello.handler(mode));
        server.setStopAtShutdown(true);
        server.start();
        System.out.println("READY " + connector.getLocalPort());
        System.out.flush();
        server.join();
    }
}
