package io.aiomisc.net;

import static io.aiomisc.testing.TestEntrypoints.builder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.aiomisc.Entrypoint;
import io.aiomisc.testing.CapturedLogs;
import io.aiomisc.time.ManualTimeSource;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 11, defect 5: how a client's connection ended is logged as the Javadoc says — a handler
 * failure at ERROR, a lost connection at WARN, our own stop at DEBUG — for {@link TcpClient} and
 * {@link RobustTcpClient} alike. The old code looked at {@code socket.isClosed()} after the
 * try-with-resources had closed the socket, so every failure looked like the stop.
 */
class ClientConnectionEndLoggingTest {
    private static final Duration PATIENCE = Duration.ofSeconds(10);
    /** In each line that says how a connection ended: "Connection of X lost", "Error when handle TCP connection of X". */
    private static final String ENDED = "onnection of ";

    private LoopbackPeer server;

    @BeforeEach
    void listen() throws IOException {
        server = new LoopbackPeer();
    }

    @AfterEach
    void close() throws Exception {
        server.close();
    }

    /** A plain or a reconnecting client; the reconnecting one waits on a clock nobody moves. */
    private TcpClient client(boolean robust, ConnectionHandler handler) {
        int port = server.port();
        if (!robust) {
            return TcpClient.create("127.0.0.1", port, handler);
        }
        RobustTcpClient client = RobustTcpClient.create("127.0.0.1", port, ReconnectPolicy.defaults(), handler);
        client.setTimeSource(new ManualTimeSource());
        return client;
    }

    /** The one line that says how the connection ended, once it is there. */
    private static ILoggingEvent endOfConnection(CapturedLogs logs) {
        Awaitility.await().atMost(PATIENCE).until(() -> logs.events().stream()
                .anyMatch(e -> e.getFormattedMessage().contains(ENDED)));
        List<ILoggingEvent> ends = logs.events().stream()
                .filter(e -> e.getFormattedMessage().contains(ENDED))
                .toList();
        assertEquals(1, ends.size(), ends.toString());
        return ends.get(0);
    }

    @ParameterizedTest(name = "robust={0}")
    @ValueSource(booleans = {false, true})
    void anIOExceptionOfTheHandlerWhileRunningIsLoggedAtErrorWithItsTrace(boolean robust) throws Exception {
        TcpClient client = client(robust, (reader, writer) -> {
            throw new IOException("the handler broke");
        });
        try (CapturedLogs logs = CapturedLogs.of(TcpClient.class, Level.DEBUG);
                Entrypoint ep = builder().services(client).start()) {
            ILoggingEvent end = endOfConnection(logs);

            assertEquals(Level.ERROR, end.getLevel(), end.toString());
            assertNotNull(end.getThrowableProxy(), "a handler failure keeps its stack trace");
            assertEquals("the handler broke", end.getThrowableProxy().getMessage());
        }
    }

    @ParameterizedTest(name = "robust={0}")
    @ValueSource(booleans = {false, true})
    void aPeerThatResetsTheConnectionIsLoggedAtWarnWithoutATrace(boolean robust) throws Exception {
        TcpClient client = client(robust, (reader, writer) -> reader.readLine());
        try (CapturedLogs logs = CapturedLogs.of(TcpClient.class, Level.DEBUG);
                Entrypoint ep = builder().services(client).start()) {
            Socket peer = server.next(PATIENCE);
            assertNotNull(peer, "the client connected");
            peer.setSoLinger(true, 0); // close with a RST instead of a FIN
            peer.close();

            ILoggingEvent end = endOfConnection(logs);

            assertEquals(Level.WARN, end.getLevel(), end.toString());
            assertTrue(end.getFormattedMessage().contains("lost"), end.getFormattedMessage());
            assertNull(end.getThrowableProxy(), "a lost connection is one line, no stack trace");
        }
    }

    @ParameterizedTest(name = "robust={0}")
    @ValueSource(booleans = {false, true})
    void theStopEndsTheConnectionWithNothingAboveDebug(boolean robust) throws Exception {
        TcpClient client = client(robust, (reader, writer) -> reader.readLine());
        try (CapturedLogs logs = CapturedLogs.of(TcpClient.class, Level.DEBUG)) {
            try (Entrypoint ep = builder().services(client).start()) {
                assertNotNull(server.next(PATIENCE), "the client connected");
                Awaitility.await().atMost(PATIENCE).until(client::isConnected);
            }
            List<ILoggingEvent> loud = logs.events().stream()
                    .filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                    .toList();
            assertEquals(List.of(), loud, "the stop is no failure");
            assertTrue(
                    logs.events().stream()
                            .filter(e -> e.getFormattedMessage().contains(ENDED))
                            .allMatch(e -> e.getLevel() == Level.DEBUG),
                    logs.events().toString());
        }
    }

    @ParameterizedTest(name = "robust={0}")
    @ValueSource(booleans = {false, true})
    void aPeerThatSendsALineOverTheLimitIsLoggedAtWarnWithoutATrace(boolean robust) throws Exception {
        TcpClient client = client(robust, (reader, writer) -> reader.readLine());
        try (CapturedLogs logs = CapturedLogs.of(TcpClient.class, Level.DEBUG);
                Entrypoint ep = builder().services(client).start()) {
            Socket peer = server.next(PATIENCE);
            assertNotNull(peer, "the client connected");
            peer.getOutputStream().write(new byte[StreamReader.DEFAULT_LIMIT + 1]); // no newline in it

            ILoggingEvent end = endOfConnection(logs);

            assertEquals(Level.WARN, end.getLevel(), end.toString());
            assertTrue(end.getFormattedMessage().contains("LimitOverrunException"), end.getFormattedMessage());
            assertNull(end.getThrowableProxy(), "what a peer sends is one line, no stack trace");
        }
    }
}
