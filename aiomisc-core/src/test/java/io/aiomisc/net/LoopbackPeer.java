package io.aiomisc.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The server side of a client test: listens on a loopback port and queues every connection it
 * accepts, so a test can take each one, write to it, reset it or drop it. {@link #close()} stops
 * listening and closes every connection.
 */
final class LoopbackPeer implements AutoCloseable {
    private final BlockingQueue<Socket> accepted = new LinkedBlockingQueue<>();
    private final ServerSocket listening;
    private final Thread acceptor;

    LoopbackPeer() throws IOException {
        listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = Thread.ofVirtual().start(this::acceptUntilClosed);
    }

    private void acceptUntilClosed() {
        try {
            while (true) {
                accepted.add(listening.accept());
            }
        } catch (IOException closed) {
            // the test is over
        }
    }

    /** The port clients connect to. */
    int port() {
        return listening.getLocalPort();
    }

    /** The next connection accepted, waiting up to {@code patience}; null if none came. */
    Socket next(Duration patience) throws InterruptedException {
        return accepted.poll(patience.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() throws Exception {
        listening.close();
        acceptor.join();
        for (Socket socket : accepted) {
            socket.close();
        }
    }
}
