package io.aiomisc.systemd;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import io.aiomisc.Entrypoint;
import io.aiomisc.testing.CapturedLogs;
import io.aiomisc.testing.TestEntrypoints;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link SdWatchdogService} in an entrypoint, against a notify socket the test binds. */
class SdWatchdogServiceTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final String PROBLEM = "SystemD notify socket communication problem";

    private static Entrypoint run(SdWatchdogService service) throws Exception {
        return TestEntrypoints.builder().services(service).build().start();
    }

    @Test
    void pingsEveryHalfIntervalFromWatchdogUsecWithoutAnnouncing(@TempDir Path dir) throws Exception {
        try (SnReceiver receiver = SnReceiver.bind(dir.resolve("notify"))) {
            SdWatchdogService service =
                    new SdWatchdogService(Map.of("NOTIFY_SOCKET", receiver.address(), "WATCHDOG_USEC", "200000"), null);
            assertEquals(Duration.ofMillis(200), service.interval().orElseThrow());
            try (Entrypoint entrypoint = run(service)) {
                await().atMost(PATIENCE).until(() -> receiver.datagrams().size() >= 6);
            }
            List<String> datagrams = receiver.datagrams();
            assertTrue(datagrams.stream().allMatch("WATCHDOG=1"::equals), datagrams::toString);
            // pings are spaced by interval / 2 at least: six take at least five periods of 100 ms
            List<Long> arrivals = receiver.arrivals();
            long elapsed = arrivals.get(5) - arrivals.get(0);
            assertTrue(elapsed >= Duration.ofMillis(450).toNanos(), "six pings in " + elapsed + " ns");
        }
    }

    @Test
    void theFirstPingGoesOutAtOnce(@TempDir Path dir) throws Exception {
        try (SnReceiver receiver = SnReceiver.bind(dir.resolve("notify"))) {
            // a ten-minute period: the only ping this test can see is the first one
            SdWatchdogService service = new SdWatchdogService(
                    Map.of("NOTIFY_SOCKET", receiver.address(), "WATCHDOG_USEC", "1200000000"), null);
            try (Entrypoint entrypoint = run(service)) {
                // sent before the service reports started, so before start() returned
                await().atMost(PATIENCE).until(() -> receiver.datagrams().size() == 1);
                assertEquals(List.of("WATCHDOG=1"), receiver.datagrams());
            }
        }
    }

    @Test
    void aGivenIntervalDifferentFromTheExportedOneIsAnnouncedFirst(@TempDir Path dir) throws Exception {
        try (SnReceiver receiver = SnReceiver.bind(dir.resolve("notify"))) {
            SdWatchdogService service = new SdWatchdogService(
                    Map.of("NOTIFY_SOCKET", receiver.address(), "WATCHDOG_USEC", "200000"), Duration.ofMillis(300));
            assertEquals(Duration.ofMillis(300), service.interval().orElseThrow());
            try (Entrypoint entrypoint = run(service)) {
                await().atMost(PATIENCE).until(() -> receiver.datagrams().size() >= 3);
            }
            List<String> datagrams = receiver.datagrams();
            assertEquals("WATCHDOG_USEC=300000", datagrams.get(0));
            assertTrue(
                    datagrams.subList(1, datagrams.size()).stream().allMatch("WATCHDOG=1"::equals),
                    datagrams::toString);
        }
    }

    @Test
    void aGivenIntervalWithoutAnExportedOneIsAnnouncedFirst(@TempDir Path dir) throws Exception {
        try (SnReceiver receiver = SnReceiver.bind(dir.resolve("notify"))) {
            SdWatchdogService service =
                    new SdWatchdogService(Map.of("NOTIFY_SOCKET", receiver.address()), Duration.ofMillis(1500));
            try (Entrypoint entrypoint = run(service)) {
                await().atMost(PATIENCE).until(() -> receiver.datagrams().size() >= 2);
            }
            List<String> datagrams = receiver.datagrams();
            assertEquals(List.of("WATCHDOG_USEC=1500000", "WATCHDOG=1"), datagrams.subList(0, 2));
            assertEquals(1, receiver.count("WATCHDOG_USEC=1500000"), datagrams::toString);
        }
    }

    @Test
    void aGivenIntervalEqualToTheExportedOneIsNotAnnounced(@TempDir Path dir) throws Exception {
        try (SnReceiver receiver = SnReceiver.bind(dir.resolve("notify"))) {
            SdWatchdogService service = new SdWatchdogService(
                    Map.of("NOTIFY_SOCKET", receiver.address(), "WATCHDOG_USEC", "200000"), Duration.ofMillis(200));
            try (Entrypoint entrypoint = run(service)) {
                await().atMost(PATIENCE).until(() -> receiver.datagrams().size() >= 3);
            }
            assertTrue(receiver.datagrams().stream().allMatch("WATCHDOG=1"::equals), receiver.datagrams()::toString);
        }
    }

    @Test
    void theEntrypointsInterruptEndsThePings(@TempDir Path dir) throws Exception {
        try (SnReceiver receiver = SnReceiver.bind(dir.resolve("notify"))) {
            SdWatchdogService service =
                    new SdWatchdogService(Map.of("NOTIFY_SOCKET", receiver.address(), "WATCHDOG_USEC", "20000"), null);
            Entrypoint entrypoint = run(service);
            await().atMost(PATIENCE).until(() -> receiver.count("WATCHDOG=1") >= 3);
            entrypoint.close(); // interrupts start() after stop(): the ping loop ends, the socket closes
            int sent = receiver.datagrams().size();
            // fifty periods of 10 ms: nothing more (a ping in flight at close may still land)
            await().during(Duration.ofMillis(500))
                    .atMost(PATIENCE)
                    .until(() -> receiver.datagrams().size() <= sent + 1);
        }
    }

    @Test
    void withoutNotifySocketTheServiceIsInert() throws Exception {
        SdWatchdogService service = new SdWatchdogService(Map.of("WATCHDOG_USEC", "2000"), null);
        try (Entrypoint entrypoint = run(service)) {
            // start() returned by itself (it never calls ready()): the entrypoint is running
            assertTrue(entrypoint.isRunning());
        }
    }

    @Test
    void withoutAnIntervalTheServiceIsInert(@TempDir Path dir) throws Exception {
        try (SnReceiver receiver = SnReceiver.bind(dir.resolve("notify"))) {
            SdWatchdogService service = new SdWatchdogService(Map.of("NOTIFY_SOCKET", receiver.address()), null);
            assertTrue(service.interval().isEmpty());
            try (Entrypoint entrypoint = run(service)) {
                assertTrue(entrypoint.isRunning());
                // bounded: a ping would have gone out at once
                await().during(Duration.ofMillis(500)).atMost(PATIENCE).until(() -> receiver.datagrams()
                        .isEmpty());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "-5", "0", "1.5", "99999999999999999999"})
    void aMalformedWatchdogUsecIsAWarningAndNoPings(String value, @TempDir Path dir) throws Exception {
        try (SnReceiver receiver = SnReceiver.bind(dir.resolve("notify"));
                CapturedLogs logs = CapturedLogs.of(SdWatchdogService.class)) {
            SdWatchdogService service =
                    new SdWatchdogService(Map.of("NOTIFY_SOCKET", receiver.address(), "WATCHDOG_USEC", value), null);
            assertTrue(logs.contains(Level.WARN, "WATCHDOG_USEC=" + value), logs.events()::toString);
            assertTrue(service.interval().isEmpty());
            try (Entrypoint entrypoint = run(service)) {
                assertTrue(entrypoint.isRunning());
                await().during(Duration.ofMillis(300)).atMost(PATIENCE).until(() -> receiver.datagrams()
                        .isEmpty());
            }
        }
    }

    @Test
    void badIntervalsAreRejectedNamingTheValue() {
        assertThrows(NullPointerException.class, () -> new SdWatchdogService(null));
        for (Duration bad :
                List.of(Duration.ZERO, Duration.ofSeconds(-1), Duration.ofNanos(1000), Duration.ofNanos(1999))) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> new SdWatchdogService(bad), bad::toString);
            assertTrue(e.getMessage().contains(bad.toString()), e.getMessage());
        }
        assertEquals(
                Duration.ofNanos(2000),
                new SdWatchdogService(Duration.ofNanos(2000)).interval().orElseThrow());
    }

    @Test
    void aSocketThatGoesAwayIsOneWarningPerOutageAndPingsResumeWhenItComesBack(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("notify");
        SnReceiver first = SnReceiver.bind(path);
        SdWatchdogService service =
                new SdWatchdogService(Map.of("NOTIFY_SOCKET", path.toString(), "WATCHDOG_USEC", "200000"), null);
        try (CapturedLogs logs = CapturedLogs.of(SdWatchdogService.class);
                Entrypoint entrypoint = run(service)) {
            await().atMost(PATIENCE).until(() -> first.count("WATCHDOG=1") >= 2);

            first.close(); // the first outage
            await().atMost(PATIENCE).until(() -> warnings(logs) == 1);
            // ten more ping periods: still one warning, and the service still runs
            await().during(Duration.ofSeconds(1)).atMost(PATIENCE).until(() -> warnings(logs) == 1);
            assertTrue(entrypoint.isRunning());
            assertEquals(0, infos(logs));

            try (SnReceiver second = SnReceiver.bind(path)) {
                await().atMost(PATIENCE).until(() -> second.count("WATCHDOG=1") >= 6);
                assertTrue(logs.contains(Level.INFO, path.toString()), logs.events()::toString);
                assertEquals(1, infos(logs));
                assertSpaced(second.arrivals(), Duration.ofMillis(100));
            }

            // the second outage: one more warning
            await().atMost(PATIENCE).until(() -> warnings(logs) == 2);
            await().during(Duration.ofMillis(500)).atMost(PATIENCE).until(() -> warnings(logs) == 2);

            try (SnReceiver third = SnReceiver.bind(path)) {
                await().atMost(PATIENCE).until(() -> third.count("WATCHDOG=1") >= 2);
                await().atMost(PATIENCE).until(() -> infos(logs) == 2);
            }
            assertTrue(entrypoint.isRunning());
        }
        assertFalse(service.interval().isEmpty());
    }

    /** No burst: n pings take at least n - 1 periods (less a scheduling slack of a tenth). */
    private static void assertSpaced(List<Long> arrivals, Duration period) {
        for (int n = 1; n < arrivals.size(); n++) {
            long elapsed = arrivals.get(n) - arrivals.get(0);
            long least = n * period.toNanos() * 9 / 10 - period.toNanos();
            assertTrue(elapsed >= least, (n + 1) + " pings in " + elapsed + " ns: " + arrivals);
        }
    }

    private static long warnings(CapturedLogs logs) {
        return logs.events().stream()
                .filter(e ->
                        e.getLevel() == Level.WARN && e.getFormattedMessage().contains(PROBLEM))
                .count();
    }

    private static long infos(CapturedLogs logs) {
        return logs.events().stream().filter(e -> e.getLevel() == Level.INFO).count();
    }
}
