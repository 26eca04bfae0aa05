package io.aiomisc.net;

import static io.aiomisc.testing.TestEntrypoints.builder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.aiomisc.Entrypoint;
import io.aiomisc.testing.CapturedLogs;
import io.aiomisc.time.ManualTimeSource;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Issue 11, "Also": what a peer's bad input causes is one WARN line per interval, not a stack trace each. */
class PeerWarningsTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    /** Sends {@code data}, closes its side and waits for the server to close: one whole connection. */
    private static void send(InetSocketAddress address, byte[] data) throws IOException {
        try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
            socket.setSoTimeout((int) PATIENCE.toMillis());
            try {
                socket.getOutputStream().write(data);
                socket.shutdownOutput();
                InputStream in = socket.getInputStream();
                while (in.read() >= 0) {
                    // until the server closes
                }
            } catch (IOException e) {
                // a reset: the server closed with our bytes unread
            }
        }
    }

    @Test
    void oversizedLinesAndPrematureEndsAreOneWarningLinePerIntervalWithACount() throws Exception {
        ManualTimeSource time = new ManualTimeSource();
        AtomicInteger handled = new AtomicInteger();
        TcpServer server = TcpServer.create("127.0.0.1", 0, (reader, writer) -> {
            try {
                byte[] line = reader.readLine();
                if (new String(line, StandardCharsets.UTF_8).equals("exact\n")) {
                    reader.readExactly(10);
                }
            } finally {
                handled.incrementAndGet();
            }
        });
        server.setTimeSource(time);
        byte[] flood = new byte[1_000_000];
        Arrays.fill(flood, (byte) 'x');
        try (CapturedLogs logs = CapturedLogs.of(TcpServer.class, Level.DEBUG);
                Entrypoint ep = builder().services(server).start()) {
            InetSocketAddress address = server.localAddress();
            for (int i = 1; i <= 3; i++) {
                send(address, flood);
                int done = i;
                Awaitility.await().atMost(PATIENCE).until(() -> handled.get() == done && server.connections() == 0);
            }
            time.advance(Duration.ofSeconds(10)); // TcpServer.WARNING_INTERVAL
            send(address, "exact\nabc".getBytes(StandardCharsets.UTF_8));
            Awaitility.await().atMost(PATIENCE).until(() -> handled.get() == 4 && server.connections() == 0);

            List<ILoggingEvent> events = logs.events().stream()
                    .filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                    .toList();
            assertEquals(2, events.size(), events.toString());
            events.forEach(e -> {
                assertEquals(Level.WARN, e.getLevel());
                assertNull(e.getThrowableProxy(), "no stack trace");
            });
            assertTrue(events.get(0).getFormattedMessage().contains("LimitOverrunException"), events.toString());
            assertTrue(events.get(1).getFormattedMessage().contains("IncompleteReadException"), events.toString());
            assertTrue(events.get(1).getFormattedMessage().contains("(2 such warnings"), events.toString());
        }
    }
}
