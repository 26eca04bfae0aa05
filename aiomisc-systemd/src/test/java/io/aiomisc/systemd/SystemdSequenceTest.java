package io.aiomisc.systemd;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiomisc.testing.JavaProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole notify sequence of an entrypoint with an {@link SdWatchdogService} and the
 * {@code systemd_watchdog} plugin, in a child JVM with {@code NOTIFY_SOCKET} pointing at a socket
 * the test binds: start, pings, SIGTERM, stop.
 */
class SystemdSequenceTest {
    static final Duration PATIENCE = Duration.ofSeconds(30);
    static final String PING = "WATCHDOG=1";

    /** junixsocket loads a native library: allow it without the JDK's warning. */
    static Map<String, String> environment(String notifySocket, String watchdogUsec) {
        return Map.of(
                "NOTIFY_SOCKET", notifySocket,
                "WATCHDOG_USEC", watchdogUsec,
                "JDK_JAVA_OPTIONS", "--enable-native-access=ALL-UNNAMED");
    }

    @Test
    void aPathSocketSeesTheWholeSequence(@TempDir Path dir) throws Exception {
        try (SnReceiver receiver = SnReceiver.bind(dir.resolve("notify"))) {
            List<String> datagrams = runUntilSigterm(receiver, "watchdog");
            assertSequence(datagrams, null);
        }
    }

    @Test
    void anAbstractNamespaceSocketSeesTheWholeSequence() throws Exception {
        try (SnReceiver receiver = SnReceiver.bindAbstract(SdNotifyTest.abstractName())) {
            List<String> datagrams = runUntilSigterm(receiver, "watchdog");
            assertSequence(datagrams, null);
        }
    }

    @Test
    void aChangedIntervalIsAnnouncedBeforeTheFirstPing(@TempDir Path dir) throws Exception {
        try (SnReceiver receiver = SnReceiver.bind(dir.resolve("notify"))) {
            List<String> datagrams = runUntilSigterm(receiver, "announcing");
            assertSequence(datagrams, "WATCHDOG_USEC=300000");
        }
    }

    @Test
    void aFailedStartNeverSendsReady(@TempDir Path dir) throws Exception {
        try (SnReceiver receiver = SnReceiver.bind(dir.resolve("notify"));
                JavaProcess child =
                        JavaProcess.start(SnMain.class, environment(receiver.address(), "200000"), "failing")) {
            int status = child.awaitExit(PATIENCE);
            assertNotEquals(0, status, child::transcript);
            assertTrue(child.stderr().stream().anyMatch(l -> l.contains("SN-FAILING")), child::transcript);
            assertFalse(child.stdout().contains("SN-STARTED"), child::transcript);
            await().atMost(PATIENCE).until(() -> receiver.datagrams().contains("STOPPING=1"));
            List<String> datagrams = receiver.datagrams();
            assertFalse(datagrams.contains("READY=1"), datagrams::toString);
            assertEquals(
                    // the rollback stops the one service that started: the watchdog (N counts the call's)
                    List.of("STATUS=Starting 2 services", "STATUS=Stopping 1 services", "STOPPING=1"),
                    withoutPings(datagrams),
                    datagrams::toString);
            assertEquals("STOPPING=1", datagrams.getLast(), datagrams::toString);
        }
    }

    /** Runs {@code mode} of {@link SnMain} until three pings followed READY=1, then SIGTERM. */
    static List<String> runUntilSigterm(SnReceiver receiver, String mode) throws Exception {
        try (JavaProcess child = JavaProcess.start(SnMain.class, environment(receiver.address(), "200000"), mode)) {
            child.awaitStdout("SN-STARTED"::equals, PATIENCE);
            await().atMost(PATIENCE).until(() -> pingsAfterReady(receiver.datagrams()) >= 3);
            child.signal("TERM");
            assertEquals(0, child.awaitExit(PATIENCE), child::transcript);
            assertTrue(child.stdout().contains("SN-STOPPED"), child::transcript);
            await().atMost(PATIENCE).until(() -> receiver.datagrams().contains("STOPPING=1"));
            return receiver.datagrams();
        }
    }

    private static long pingsAfterReady(List<String> datagrams) {
        int ready = datagrams.indexOf("READY=1");
        return ready < 0
                ? 0
                : datagrams.subList(ready, datagrams.size()).stream()
                        .filter(PING::equals)
                        .count();
    }

    /**
     * Exactly aiomisc's sequence: STATUS=Starting, the announcement if any, the first ping (the
     * service sends it before it reports started), STATUS=Started, READY=1, more pings,
     * STATUS=Stopping, STOPPING=1 last; pings may interleave anywhere after the first.
     */
    private static void assertSequence(List<String> datagrams, String announcement) {
        List<String> expected = announcement == null
                ? List.of(
                        "STATUS=Starting 2 services",
                        "STATUS=Started 2 services",
                        "READY=1",
                        "STATUS=Stopping 2 services",
                        "STOPPING=1")
                : List.of(
                        "STATUS=Starting 2 services",
                        announcement,
                        "STATUS=Started 2 services",
                        "READY=1",
                        "STATUS=Stopping 2 services",
                        "STOPPING=1");
        assertEquals(expected, withoutPings(datagrams), datagrams::toString);
        int firstPing = datagrams.indexOf(PING);
        assertTrue(firstPing > 0, datagrams::toString);
        assertTrue(firstPing < datagrams.indexOf("STATUS=Started 2 services"), datagrams::toString);
        if (announcement != null) {
            assertTrue(datagrams.indexOf(announcement) < firstPing, datagrams::toString);
        }
        assertTrue(pingsAfterReady(datagrams) >= 3, datagrams::toString);
        assertEquals("STOPPING=1", datagrams.getLast(), datagrams::toString);
    }

    static List<String> withoutPings(List<String> datagrams) {
        return datagrams.stream().filter(d -> !d.equals(PING)).toList();
    }
}
