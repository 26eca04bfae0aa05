package io.aiomisc.junit.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A small server on 127.0.0.1 for the proxy's tests: a plain {@link ServerSocket}, a virtual thread
 * per connection running a {@link Handler}. Independent of the JUnit extension and of aiomisc's
 * servers. {@link #close()} closes every socket and waits for the threads.
 */
final class TestServer implements AutoCloseable {
    /** What the server does with one connection; an exception just ends it. */
    @FunctionalInterface
    interface Handler {
        void handle(Socket socket) throws IOException, InterruptedException;
    }

    private final ServerSocket server;
    private final Handler handler;
    private final Thread acceptor;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    /** Every chunk any connection received, in order, when the handler reports them. */
    final BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
    /** When each chunk of {@link #received} arrived, in {@link System#nanoTime()}. */
    final BlockingQueue<Long> receivedAt = new LinkedBlockingQueue<>();
    /** When the echo of each chunk of {@link #received} was about to be written back. */
    final BlockingQueue<Long> echoedAt = new LinkedBlockingQueue<>();

    private TestServer(Handler handler) throws IOException {
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.handler = handler;
        this.acceptor = Thread.ofVirtual().name("test-server-accept").start(this::accept);
    }

    /** A server whose connections run {@code handler}. */
    static TestServer start(Handler handler) throws IOException {
        return new TestServer(handler);
    }

    /** Echoes every byte back until end-of-stream, then closes. */
    static TestServer echo() throws IOException {
        return start(TestServer::echo);
    }

    /** Echoes every byte back and reports each chunk received in {@link #received}. */
    static TestServer recordingEcho() throws IOException {
        TestServer[] self = new TestServer[1];
        self[0] = start(socket -> {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            byte[] buffer = new byte[64 * 1024];
            int count;
            while ((count = in.read(buffer)) >= 0) {
                byte[] chunk = java.util.Arrays.copyOf(buffer, count);
                self[0].received.add(chunk);
                self[0].receivedAt.add(System.nanoTime());
                self[0].echoedAt.add(System.nanoTime());
                out.write(chunk);
            }
        });
        return self[0];
    }

    static void echo(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream();
        byte[] buffer = new byte[64 * 1024];
        int count;
        while ((count = in.read(buffer)) >= 0) {
            out.write(buffer, 0, count);
        }
    }

    int port() {
        return server.getLocalPort();
    }

    private void accept() {
        while (true) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            sockets.add(socket);
            threads.add(Thread.ofVirtual().name("test-server-connection").start(() -> {
                try (socket) {
                    socket.setTcpNoDelay(true);
                    handler.handle(socket);
                } catch (IOException | InterruptedException e) {
                    // the proxy closed or reset the connection: what a test provokes
                } finally {
                    sockets.remove(socket);
                }
            }));
        }
    }

    @Override
    public void close() throws Exception {
        server.close();
        acceptor.join();
        for (Socket socket : sockets) {
            socket.close();
        }
        for (Thread thread : threads) {
            thread.join();
        }
    }
}
