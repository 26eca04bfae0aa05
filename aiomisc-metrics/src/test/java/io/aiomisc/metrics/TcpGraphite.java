package io.aiomisc.metrics;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A fake Graphite on loopback TCP: every connection read to its end, its text queued. */
final class TcpGraphite implements AutoCloseable {
    private final ServerSocket server;
    private final BlockingQueue<String> connections = new LinkedBlockingQueue<>();
    private final Thread acceptor;

    TcpGraphite(int port) throws IOException {
        server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        acceptor = Thread.ofPlatform().name("test-graphite-tcp").daemon(true).start(this::accept);
    }

    int port() {
        return server.getLocalPort();
    }

    /** The text of the next connection that was read to its end, waiting at most 20 s. */
    String next() throws InterruptedException {
        String text = connections.poll(20, TimeUnit.SECONDS);
        if (text == null) {
            throw new AssertionError("no connection reached the fake Graphite within 20 s");
        }
        return text;
    }

    /** The text of a connection already read, if any. */
    String poll() {
        return connections.poll();
    }

    private void accept() {
        while (!server.isClosed()) {
            try (Socket socket = server.accept()) {
                socket.setSoTimeout((int) Duration.ofSeconds(20).toMillis());
                try (InputStream in = socket.getInputStream()) {
                    connections.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                // closed: the loop ends; a broken connection: the next one is read
            }
        }
    }

    @Override
    public void close() throws Exception {
        server.close();
        if (!acceptor.join(Duration.ofSeconds(20))) {
            throw new AssertionError("the fake Graphite's acceptor did not end");
        }
    }
}
