package io.aiomisc.junit.proxy;

import static io.aiomisc.junit.proxy.Wire.ascii;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiomisc.junit.TcpProxy;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Delays are checked by lower bounds only (a delayed chunk takes at least the delay), and a chunk
 * held by a long delay is shown to be waiting by its absence for a moment, then released by
 * lowering the delay: its arrival is awaited, never timed tightly.
 */
class TcpProxyDelayTest {
    private static final Duration DELAY = Duration.ofMillis(300);
    private static final Duration FOREVER = Duration.ofHours(1);
    private static final Duration GENEROUS = Duration.ofSeconds(10);
    /** How long a chunk held by {@link #FOREVER} is shown not to arrive. */
    private static final long HELD_MILLIS = 200;

    private TestServer server;
    private TcpProxy proxy;
    private Socket client;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.recordingEcho();
        proxy = new TcpProxy("127.0.0.1", server.port()).start();
        client = proxy.createClient();
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        proxy.close();
        server.close();
    }

    @Test
    void aReadDelayHoldsWhatTheClientSendsBeforeTheServerGetsIt() throws Exception {
        proxy.setDelay(DELAY, Duration.ZERO);
        long sent = System.nanoTime();
        client.getOutputStream().write(ascii("ping"));
        assertArrayEquals(ascii("ping"), server.received.poll(GENEROUS.toMillis(), TimeUnit.MILLISECONDS));
        assertAtLeast(DELAY, Duration.ofNanos(server.receivedAt.take() - sent), "client -> server");
        assertArrayEquals(ascii("ping"), client.getInputStream().readNBytes(4));
        assertAtLeast(DELAY, Wire.echo(client, ascii("again")), "echo with a read delay");
    }

    @Test
    void aWriteDelayHoldsWhatTheServerSendsBeforeTheClientGetsIt() throws Exception {
        proxy.setDelay(Duration.ZERO, DELAY);
        client.getOutputStream().write(ascii("ping"));
        assertArrayEquals(ascii("ping"), client.getInputStream().readNBytes(4));
        long arrived = System.nanoTime();
        assertAtLeast(DELAY, Duration.ofNanos(arrived - server.echoedAt.take()), "server -> client");
        assertAtLeast(DELAY, Wire.echo(client, ascii("again")), "echo with a write delay");
    }

    @Test
    void bothDelaysAddUpOnARoundTrip() throws Exception {
        proxy.setDelay(DELAY, DELAY);
        assertAtLeast(DELAY.multipliedBy(2), Wire.echo(client, ascii("ping")), "echo with both delays");
    }

    @Test
    void setDelayAppliesToAConnectionOpenedBefore() throws Exception {
        Wire.echo(client, ascii("before")); // the connection is through, without delay
        proxy.setDelay(DELAY, Duration.ZERO);
        assertAtLeast(DELAY, Wire.echo(client, ascii("after")), "echo after setDelay");
    }

    @Test
    void loweringTheDelayReleasesAChunkAlreadyWaiting() throws Exception {
        Wire.echo(client, ascii("through"));
        server.received.clear();
        proxy.setDelay(FOREVER, Duration.ZERO);
        client.getOutputStream().write(ascii("held"));
        assertNull(server.received.poll(HELD_MILLIS, TimeUnit.MILLISECONDS), "held by the read delay");
        proxy.setDelay(Duration.ofMillis(1), Duration.ZERO); // its millisecond has long passed
        assertArrayEquals(ascii("held"), server.received.poll(GENEROUS.toMillis(), TimeUnit.MILLISECONDS));
        assertArrayEquals(ascii("held"), client.getInputStream().readNBytes(4));
    }

    @Test
    void aWriteChunkWaitingIsReleasedByLoweringTheWriteDelay() throws Exception {
        proxy.setDelay(Duration.ZERO, FOREVER);
        client.getOutputStream().write(ascii("held"));
        assertArrayEquals(ascii("held"), server.received.poll(GENEROUS.toMillis(), TimeUnit.MILLISECONDS));
        client.setSoTimeout((int) HELD_MILLIS);
        InputStream in = client.getInputStream();
        assertThrows(java.net.SocketTimeoutException.class, in::read, "held by the write delay");
        client.setSoTimeout((int) GENEROUS.toMillis());
        proxy.setDelay(Duration.ZERO, Duration.ZERO);
        assertArrayEquals(ascii("held"), in.readNBytes(4));
    }

    @Test
    void aSlowdownScopeDelaysUntilClosedThenRestoresThePreviousDelays() throws Exception {
        Wire.echo(client, ascii("through"));
        server.received.clear();
        AutoCloseable slow = proxy.slowdown(FOREVER, Duration.ZERO);
        client.getOutputStream().write(ascii("held"));
        assertNull(server.received.poll(HELD_MILLIS, TimeUnit.MILLISECONDS), "held by the slowdown");
        slow.close(); // back to no delay: the waiting chunk goes at once
        assertArrayEquals(ascii("held"), server.received.poll(GENEROUS.toMillis(), TimeUnit.MILLISECONDS));
        assertDoesNotThrow(slow::close, "closing the scope twice");
        assertArrayEquals(ascii("held"), client.getInputStream().readNBytes(4));
    }

    @Test
    void aSlowdownScopeClosedTwiceDoesNotUndoALaterSetDelay() throws Exception {
        AutoCloseable slow = proxy.slowdown(Duration.ZERO, Duration.ZERO);
        slow.close();
        proxy.setDelay(DELAY, Duration.ZERO);
        slow.close(); // idempotent: must not restore the delays again
        assertAtLeast(DELAY, Wire.echo(client, ascii("ping")), "echo with the later read delay");
    }

    @Test
    void nestedSlowdownsRestoreInOrder() throws Exception {
        Wire.echo(client, ascii("through"));
        server.received.clear();
        OutputStream out = client.getOutputStream();
        try (AutoCloseable outer = proxy.slowdown(FOREVER, Duration.ZERO)) {
            try (AutoCloseable inner = proxy.slowdown(Duration.ZERO, Duration.ZERO)) {
                out.write(ascii("inner"));
                assertArrayEquals(ascii("inner"), server.received.poll(GENEROUS.toMillis(), TimeUnit.MILLISECONDS));
            }
            out.write(ascii("outer")); // the inner scope put the outer's delay back
            assertNull(server.received.poll(HELD_MILLIS, TimeUnit.MILLISECONDS), "held by the outer slowdown");
        }
        // and closing the outer one put no delay back: the held chunk goes
        assertArrayEquals(ascii("outer"), server.received.poll(GENEROUS.toMillis(), TimeUnit.MILLISECONDS));
    }

    @Test
    void aNegativeOrNullDelayIsRejectedNamingTheDirection() {
        Duration negative = Duration.ofMillis(-1);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> proxy.setDelay(negative, Duration.ZERO))
                .getMessage()
                .contains("read"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> proxy.setDelay(Duration.ZERO, negative))
                .getMessage()
                .contains("write"));
        assertThrows(IllegalArgumentException.class, () -> proxy.slowdown(negative, Duration.ZERO));
        assertTrue(assertThrows(NullPointerException.class, () -> proxy.setDelay(null, Duration.ZERO))
                .getMessage()
                .contains("read"));
        assertTrue(assertThrows(NullPointerException.class, () -> proxy.slowdown(Duration.ZERO, null))
                .getMessage()
                .contains("write"));
    }

    @Test
    void aRejectedDelayLeavesTheDelaysInForce() throws Exception {
        proxy.setDelay(DELAY, Duration.ZERO);
        assertThrows(IllegalArgumentException.class, () -> proxy.setDelay(Duration.ZERO, Duration.ofMillis(-1)));
        assertThrows(IllegalArgumentException.class, () -> proxy.slowdown(Duration.ZERO, Duration.ofMillis(-1)));
        assertAtLeast(DELAY, Wire.echo(client, ascii("ping")), "echo with the read delay still in force");
    }

    @Test
    void closingTheProxyReturnsAtOnceThoughAChunkIsHeldByADelay() throws Exception {
        proxy.setDelay(Duration.ZERO, FOREVER);
        client.getOutputStream().write(ascii("held"));
        assertArrayEquals(ascii("held"), server.received.poll(GENEROUS.toMillis(), TimeUnit.MILLISECONDS));
        client.setSoTimeout((int) GENEROUS.toMillis());
        proxy.close(); // the echo waits for an hour in the proxy: close() must not wait for it
        assertEquals(-1, client.getInputStream().read(), "the client reads end-of-stream, not the held echo");
    }

    private static void assertAtLeast(Duration expected, Duration actual, String what) {
        assertTrue(actual.compareTo(expected) >= 0, what + " took " + actual + ", less than " + expected);
        assertTrue(actual.compareTo(expected.plus(GENEROUS)) < 0, what + " took " + actual + ": far too long");
    }
}
