package io.aiomisc.net;

import static io.aiomisc.testing.TestEntrypoints.builder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.aiomisc.Entrypoint;
import io.aiomisc.testing.CapturedLogs;
import io.aiomisc.time.ManualTimeSource;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Issue 11, defect 1: a failing accept pauses with backoff and accepts again; the idle timeout. */
class TcpServerBoundsTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static void echoLines(StreamReader reader, StreamWriter writer) throws IOException {
        for (byte[] line = reader.readLine(); line.length > 0; line = reader.readLine()) {
            writer.write(line);
        }
    }

    private static String exchange(InetSocketAddress address, String line) throws IOException {
        try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
            socket.setSoTimeout((int) PATIENCE.toMillis());
            socket.getOutputStream().write(bytes(line));
            return new String(new StreamReader(socket.getInputStream()).readLine(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void failingAcceptsPauseWithBackoffUpToOneSecondAndWarnOncePerInterval() throws Exception {
        ManualTimeSource time = new ManualTimeSource();
        AtomicInteger failuresLeft = new AtomicInteger(20);
        TcpServer server = new TcpServer("127.0.0.1", 0) {
            @Override
            Socket accept(ServerSocket socket) throws IOException {
                if (failuresLeft.getAndDecrement() > 0) {
                    throw new IOException("Too many open files");
                }
                return super.accept(socket);
            }

            @Override
            protected void handleClient(StreamReader reader, StreamWriter writer) throws IOException {
                echoLines(reader, writer);
            }
        };
        server.setTimeSource(time);
        List<Duration> expected = new ArrayList<>();
        for (long millis : new long[] {10, 20, 40, 80, 160, 320, 640}) {
            expected.add(Duration.ofMillis(millis));
        }
        while (expected.size() < 20) {
            expected.add(Duration.ofSeconds(1));
        }
        try (CapturedLogs logs = CapturedLogs.of(TcpServer.class, Level.WARN);
                Entrypoint ep = builder().services(server).start()) {
            for (Duration pause : expected) {
                time.awaitWaiters(1, PATIENCE);
                assertEquals(List.of(pause), time.pendingDelays());
                time.advance(pause);
            }
            // the listener survived: it serves
            assertEquals("again\n", exchange(server.localAddress(), "again\n"));
            Awaitility.await().atMost(PATIENCE).until(() -> server.connections() == 0);

            // failures at 0 s and 10.27 s are logged; the 15 in between are counted, the last 3 held back
            List<ILoggingEvent> warnings = logs.events().stream()
                    .filter(e -> e.getFormattedMessage().startsWith("Accepting connections"))
                    .toList();
            assertEquals(2, warnings.size(), warnings.toString());
            assertTrue(warnings.get(0).getFormattedMessage().contains("Too many open files"));
            assertTrue(warnings.get(1).getFormattedMessage().contains("(15 such warnings"), warnings.toString());
            warnings.forEach(e -> assertNull(e.getThrowableProxy()));
        }
    }

    @Test
    void anIdleConnectionIsClosedAfterTheIdleTimeout() throws Exception {
        AtomicReference<Throwable> ended = new AtomicReference<>();
        TcpServer server = TcpServer.create("127.0.0.1", 0, (reader, writer) -> {
            try {
                echoLines(reader, writer);
            } catch (IOException e) {
                ended.set(e);
                throw e;
            }
        });
        server.setIdleTimeout(Duration.ofMillis(50));
        assertEquals(Duration.ofMillis(50), server.idleTimeout());
        try (CapturedLogs logs = CapturedLogs.of(TcpServer.class, Level.INFO);
                Entrypoint ep = builder().services(server).start();
                Socket socket = new Socket(
                        server.localAddress().getAddress(),
                        server.localAddress().getPort())) {
            socket.setSoTimeout((int) PATIENCE.toMillis());
            socket.getOutputStream().write(bytes("hello\n"));
            StreamReader reader = new StreamReader(socket.getInputStream());
            assertEquals("hello\n", new String(reader.readLine(), StandardCharsets.UTF_8));
            // then the client says nothing: the server closes the connection
            assertEquals(0, reader.readLine().length);
            Awaitility.await().atMost(PATIENCE).until(() -> server.connections() == 0);
            assertInstanceOf(SocketTimeoutException.class, ended.get());
            assertTrue(logs.events().isEmpty(), "an idle close is no warning: " + logs.events());
        }
    }

    @Test
    void theIdleTimeoutIsOffByDefaultAndValidated() {
        TcpServer server = TcpServer.create("127.0.0.1", 0, (reader, writer) -> {});
        assertEquals(Duration.ZERO, server.idleTimeout());
        IllegalArgumentException negative =
                assertThrows(IllegalArgumentException.class, () -> server.setIdleTimeout(Duration.ofMillis(-1)));
        assertTrue(negative.getMessage().contains("PT-0.001S"), negative.getMessage());
        assertThrows(IllegalArgumentException.class, () -> server.setIdleTimeout(Duration.ofDays(30)));
        assertThrows(NullPointerException.class, () -> server.setIdleTimeout(null));
        assertEquals(Duration.ZERO, server.idleTimeout());
    }
}
