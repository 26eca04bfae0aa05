package io.aiomisc.net;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * What the Javadoc of {@link StreamReader} and {@link StreamWriter} promises for an interrupt: a
 * virtual thread blocked in a read or a write ends with a {@link SocketException}, its interrupt
 * status still set, and the connection closed.
 */
class StreamInterruptTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    /** The outcome of a blocked call: what it threw and whether the flag was still set. */
    private record Outcome(Throwable thrown, boolean interrupted) {}

    @FunctionalInterface
    private interface Blocking {
        void run(Socket socket) throws Exception;
    }

    @Test
    void anInterruptedReadThrowsSocketExceptionKeepsTheFlagAndClosesTheConnection() throws Exception {
        assertInterruptEnds(socket -> new StreamReader(socket.getInputStream()).readLine());
    }

    @Test
    void anInterruptedWriteThrowsSocketExceptionKeepsTheFlagAndClosesTheConnection() throws Exception {
        byte[] chunk = new byte[1 << 20];
        assertInterruptEnds(socket -> {
            StreamWriter writer = new StreamWriter(socket);
            while (true) {
                writer.write(chunk); // the peer never reads: the send buffer fills and the write blocks
            }
        });
    }

    private static void assertInterruptEnds(Blocking call) throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Socket client = new Socket(listener.getInetAddress(), listener.getLocalPort());
                Socket peer = listener.accept()) {
            CompletableFuture<Outcome> outcome = new CompletableFuture<>();
            Thread thread = Thread.ofVirtual().start(() -> {
                try {
                    call.run(client);
                    outcome.complete(new Outcome(null, Thread.currentThread().isInterrupted()));
                } catch (Throwable thrown) {
                    outcome.complete(new Outcome(thrown, Thread.currentThread().isInterrupted()));
                }
            });
            Awaitility.await().atMost(WAIT).until(() -> thread.getState() == Thread.State.WAITING);
            thread.interrupt();
            Outcome result = outcome.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertInstanceOf(SocketException.class, result.thrown());
            assertTrue(result.interrupted(), "the interrupt status is kept");
            assertTrue(client.isClosed(), "the connection is closed");
        }
    }
}
