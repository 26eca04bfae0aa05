package io.aiomisc.net;

import static io.aiomisc.testing.TestEntrypoints.builder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiomisc.Entrypoint;
import io.aiomisc.time.ManualTimeSource;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 11, defect 6: a server that accepts and at once drops every connection makes a
 * {@link RobustTcpClient} back off as its {@link ReconnectPolicy} says (the old code waited
 * {@code minDelay} every time: ten reconnects a second forever), and a connection that lived starts
 * a new streak. All on a manual clock: no real waits.
 */
class RobustClientBackoffTest {
    private static final Duration PATIENCE = Duration.ofSeconds(10);
    private static final ReconnectPolicy POLICY = ReconnectPolicy.defaults()
            .withMinDelay(Duration.ofSeconds(1))
            .withMaxDelay(Duration.ofSeconds(8))
            .withJitter(0);

    private final ManualTimeSource time = new ManualTimeSource();
    private LoopbackPeer server;

    @BeforeEach
    void listen() throws IOException {
        server = new LoopbackPeer();
    }

    @AfterEach
    void close() throws Exception {
        server.close();
    }

    private RobustTcpClient client(ReconnectPolicy policy) {
        RobustTcpClient client =
                RobustTcpClient.create("127.0.0.1", server.port(), policy, (reader, writer) -> reader.readAll());
        client.setTimeSource(time);
        return client;
    }

    /** The server's side of the client's next connection. */
    private Socket nextConnection() throws InterruptedException {
        Socket peer = server.next(PATIENCE);
        assertNotNull(peer, "the client connected");
        return peer;
    }

    /** Waits for the client's next wait, checks its length, and lets it pass. */
    private void expectWait(Duration delay) throws Exception {
        time.awaitWaiters(1, PATIENCE);
        assertEquals(List.of(delay), time.pendingDelays());
        time.advance(delay);
    }

    @Test
    void connectionsDroppedAtOnceMakeTheWaitsGrowAsAfterFailures() throws Exception {
        RobustTcpClient client = client(POLICY);
        try (Entrypoint ep = builder().services(client).start()) {
            for (long seconds : new long[] {1, 2, 4, 8, 8}) {
                nextConnection().close(); // accepted and dropped at once: no time passes on the clock
                expectWait(Duration.ofSeconds(seconds));
            }
            nextConnection().close();
            time.awaitWaiters(1, PATIENCE);
            assertEquals(6, client.connections());
        }
    }

    @Test
    void aConnectionThatLivedStartsANewStreak() throws Exception {
        RobustTcpClient client = client(POLICY);
        try (Entrypoint ep = builder().services(client).start()) {
            nextConnection().close();
            expectWait(Duration.ofSeconds(1));
            nextConnection().close();
            expectWait(Duration.ofSeconds(2));
            nextConnection().close();
            expectWait(Duration.ofSeconds(4));

            Socket lasting = nextConnection();
            Awaitility.await().atMost(PATIENCE).until(() -> client.connections() == 4);
            time.advance(POLICY.minConnectionLifetime()); // it lives exactly the threshold
            lasting.close();
            expectWait(Duration.ofSeconds(1));

            nextConnection().close();
            expectWait(Duration.ofSeconds(2));
            nextConnection().close();
            time.awaitWaiters(1, PATIENCE);
        }
    }

    @Test
    void aZeroMinimumLifetimeKeepsEveryWaitAtTheMinimum() throws Exception {
        RobustTcpClient client = client(POLICY.withMinConnectionLifetime(Duration.ZERO));
        try (Entrypoint ep = builder().services(client).start()) {
            for (int i = 0; i < 3; i++) {
                nextConnection().close();
                expectWait(Duration.ofSeconds(1));
            }
            nextConnection().close();
            time.awaitWaiters(1, PATIENCE);
        }
    }

    @Test
    void theMinimumLifetimeFollowsMaxDelayUnlessSet() {
        assertEquals(Duration.ofSeconds(5), ReconnectPolicy.defaults().minConnectionLifetime());
        assertEquals(Duration.ofSeconds(8), POLICY.minConnectionLifetime());
        ReconnectPolicy set = POLICY.withMinConnectionLifetime(Duration.ofSeconds(30));
        assertEquals(Duration.ofSeconds(30), set.minConnectionLifetime());
        assertEquals(
                Duration.ofSeconds(30), set.withMaxDelay(Duration.ofSeconds(2)).minConnectionLifetime());
        assertEquals(
                Duration.ofSeconds(2),
                set.withMinConnectionLifetime(null)
                        .withMaxDelay(Duration.ofSeconds(2))
                        .minConnectionLifetime());
        IllegalArgumentException negative = assertThrows(
                IllegalArgumentException.class, () -> POLICY.withMinConnectionLifetime(Duration.ofSeconds(-1)));
        assertTrue(negative.getMessage().contains("minConnectionLifetime"), negative.getMessage());
        assertTrue(POLICY.toString().contains("minConnectionLifetime=PT8S"), POLICY.toString());
    }
}
