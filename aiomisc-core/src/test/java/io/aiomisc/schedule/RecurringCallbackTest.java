package io.aiomisc.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import io.aiomisc.task.Task;
import io.aiomisc.testing.Blocking;
import io.aiomisc.testing.CapturedLogs;
import io.aiomisc.testing.TimeDriver;
import io.aiomisc.time.ManualTimeSource;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Ports of aiomisc's recurring, periodic and cron callback scenarios, under a manual clock. */
class RecurringCallbackTest {
    private final ManualTimeSource time = new ManualTimeSource();
    private final List<Duration> calls = new CopyOnWriteArrayList<>();
    private final List<RecurringCallback> started = new ArrayList<>();

    private Object record() {
        calls.add(time.elapsed());
        return null;
    }

    private <T extends RecurringCallback> T track(T callback) {
        started.add(callback);
        return callback;
    }

    @AfterEach
    void stopAll() throws InterruptedException {
        for (RecurringCallback callback : started) {
            callback.stop();
        }
    }

    /** Moves time to the next deadline once the callback's thread waits for it, {@code steps} times. */
    private void step(int steps) throws InterruptedException, TimeoutException {
        TimeDriver.step(time, steps);
    }

    private static List<Duration> seconds(double... values) {
        List<Duration> list = new ArrayList<>();
        for (double value : values) {
            list.add(Duration.ofMillis((long) (value * 1000)));
        }
        return list;
    }

    /** A void callback: no value to return, so it is a {@link Callback}, not a {@code Callable}. */
    private void refresh() {
        calls.add(time.elapsed());
    }

    private void refreshFailing() throws java.io.IOException {
        calls.add(time.elapsed());
        throw new java.io.IOException("refresh failed");
    }

    @Test
    void aVoidMethodReferenceIsACallback() throws Exception {
        PeriodicCallback periodic = track(new PeriodicCallback(this::refresh, "by-reference", time));
        periodic.start(Duration.ofSeconds(1), Duration.ZERO);
        step(2);
        Awaitility.await().until(() -> calls.size() == 3);
        assertEquals(seconds(0, 1, 2), calls.subList(0, 3));
        assertEquals(3, periodic.statistic().done.value());
    }

    @Test
    void aVoidLambdaIsACallbackAndItsCheckedFailureIsCounted() throws Exception {
        try (CapturedLogs logs = CapturedLogs.of(RecurringCallback.class)) {
            PeriodicCallback periodic = track(new PeriodicCallback(() -> refreshFailing(), "by-lambda", time));
            periodic.start(Duration.ofSeconds(1), Duration.ZERO);
            step(1);
            Awaitility.await().until(() -> periodic.statistic().fail.value() == 2);
            assertEquals(seconds(0, 1), calls.subList(0, 2));
            assertTrue(logs.contains(Level.ERROR, "Recurring task error in PeriodicCallback(by-lambda)"));
        }
    }

    @Test
    void everyCallbackTypeTakesAVoidCallbackNamedAfterIt() {
        Callback callback = new Callback() {
            @Override
            public void call() {
                refresh();
            }

            @Override
            public String toString() {
                return "refresher";
            }
        };
        assertEquals("refresher", new RecurringCallback(callback).name());
        assertEquals("refresher", new PeriodicCallback(callback).name());
        assertEquals("refresher", new CronCallback(callback).name());
        assertEquals("named", new RecurringCallback(callback, "named", time).name());
        assertEquals("named", new CronCallback(callback, "named", time).name());
    }

    /** The same overload pair as the callback constructors: records which one Java chose. */
    private static final class OverloadProbe extends PeriodicCallback {
        final String chosen;

        OverloadProbe(java.util.concurrent.Callable<?> callback) {
            super(callback);
            chosen = "Callable";
        }

        OverloadProbe(Callback callback) {
            super(callback);
            chosen = "Callback";
        }
    }

    @Test
    void valueReturningLambdasStillPickTheCallableOverloadWithoutAmbiguity() {
        assertEquals("Callable", new OverloadProbe(() -> "value").chosen);
        assertEquals("Callable", new OverloadProbe(this::record).chosen);
        assertEquals(
                "Callable",
                new OverloadProbe(() -> {
                            throw new IllegalStateException("a block that only throws is value-compatible too");
                        })
                        .chosen);
        assertEquals("Callback", new OverloadProbe(this::refresh).chosen);
        assertEquals("Callback", new OverloadProbe(() -> refresh()).chosen);
        assertEquals(
                "Callback",
                new OverloadProbe(() -> {
                            refresh();
                        })
                        .chosen);
    }

    @Test
    void periodicCallsAfterTheDelayThenEveryInterval() throws Exception {
        PeriodicCallback periodic = track(new PeriodicCallback(this::record, "periodic", time));
        periodic.start(Duration.ofSeconds(1), Duration.ofSeconds(10));
        step(4);
        Awaitility.await().until(() -> calls.size() == 4);
        assertEquals(seconds(10, 11, 12, 13), calls);
        assertEquals(4, periodic.statistic().callCount.value());
        assertEquals(4, periodic.statistic().done.value());
    }

    @Test
    void aSlowCallbackIsNeverOverlappedFixedDelay() throws Exception {
        PeriodicCallback periodic = track(new PeriodicCallback(
                () -> {
                    record();
                    time.sleep(Duration.ofSeconds(3));
                    return null;
                },
                "slow",
                time));
        periodic.start(Duration.ofSeconds(1), Duration.ZERO);
        step(6);
        Awaitility.await().until(() -> calls.size() == 4);
        assertEquals(seconds(0, 4, 8, 12), calls.subList(0, 4));
    }

    @Test
    void fixedRateSkipsAndCountsTheTicksAnOverrunningCallMissed() throws Exception {
        PeriodicCallback periodic = track(new PeriodicCallback(
                () -> {
                    record();
                    time.sleep(Duration.ofMillis(2500));
                    return null;
                },
                "fixed-rate",
                time));
        periodic.startAtFixedRate(Duration.ofSeconds(1), Duration.ZERO);
        step(4); // 0: call; 2.5: end, ticks 1 and 2 missed; 3: call; 5.5: end, 4 and 5 missed; 6: call
        Awaitility.await().until(() -> calls.size() == 3);
        assertEquals(seconds(0, 3, 6), calls);
        assertEquals(4, periodic.statistic().skipped.value());
    }

    @Test
    void fixedRateKeepsTheRateWhenCallsAreQuick() throws Exception {
        PeriodicCallback periodic = track(new PeriodicCallback(
                () -> {
                    record();
                    time.sleep(Duration.ofMillis(300));
                    return null;
                },
                "quick",
                time));
        periodic.startAtFixedRate(Duration.ofSeconds(1), Duration.ofSeconds(2));
        step(6);
        Awaitility.await().until(() -> calls.size() == 3);
        assertEquals(seconds(2, 3, 4), calls.subList(0, 3));
        assertEquals(0, periodic.statistic().skipped.value());
    }

    @Test
    void aFailingCallbackIsLoggedCountedAndTheRecurrenceGoesOn() throws Exception {
        AtomicInteger count = new AtomicInteger();
        try (CapturedLogs logs = CapturedLogs.of(RecurringCallback.class)) {
            PeriodicCallback periodic = track(new PeriodicCallback(
                    () -> {
                        if (count.incrementAndGet() % 2 == 1) {
                            throw new IllegalStateException("odd call fails");
                        }
                        return null;
                    },
                    "flaky",
                    time));
            periodic.start(Duration.ofSeconds(1), Duration.ZERO);
            step(3); // calls at 0 (no wait), 1, 2 and 3 s
            Awaitility.await().until(() -> count.get() == 4);
            periodic.stop();
            assertEquals(2, periodic.statistic().fail.value());
            assertEquals(2, periodic.statistic().done.value());
            assertTrue(logs.contains(Level.ERROR, "Recurring task error"));
        }
    }

    @Test
    void suppressedExceptionsAreCountedButNotLogged() throws Exception {
        try (CapturedLogs logs = CapturedLogs.of(RecurringCallback.class)) {
            RecurringCallback recurring = track(new RecurringCallback(
                    () -> {
                        throw new IllegalArgumentException("expected");
                    },
                    "quiet",
                    time));
            AtomicInteger asked = new AtomicInteger();
            recurring.start(() -> asked.getAndIncrement() < 3 ? Duration.ZERO : null, IllegalArgumentException.class);
            Awaitility.await().until(() -> !recurring.isRunning());
            assertEquals(3, recurring.statistic().fail.value());
            assertFalse(logs.contains(Level.ERROR, "Recurring task error"));
        }
    }

    @Test
    void aCallbackCancellingItselfDoesNotStopTheRecurrence() throws Exception {
        AtomicInteger count = new AtomicInteger();
        RecurringCallback recurring = track(new RecurringCallback(
                () -> {
                    count.incrementAndGet();
                    throw new CancellationException("the callback's own cancellation");
                },
                "self-cancelling",
                time));
        AtomicInteger asked = new AtomicInteger();
        recurring.start(() -> asked.getAndIncrement() < 3 ? Duration.ZERO : null);
        Awaitility.await().until(() -> !recurring.isRunning());
        assertEquals(3, count.get());
    }

    @Test
    void strategySkipWaitsWithoutCallingAndStrategyStopEnds() throws Exception {
        RecurringCallback recurring = track(new RecurringCallback(this::record, "strategic", time));
        AtomicInteger asked = new AtomicInteger();
        Task<Void> runner = recurring.start(() -> switch (asked.incrementAndGet()) {
            case 1 -> throw new StrategySkip(Duration.ofSeconds(5));
            case 2 -> Duration.ofSeconds(1);
            case 3 -> throw new StrategyStop();
            default -> throw new AssertionError("asked after stop");
        });
        step(2);
        runner.await(Duration.ofSeconds(10));
        assertEquals(seconds(6), calls);
    }

    @Test
    void aNullDelayStopsAndANegativeOneIsZeroWithAWarning() throws Exception {
        try (CapturedLogs logs = CapturedLogs.of(RecurringCallback.class)) {
            RecurringCallback recurring = track(new RecurringCallback(this::record, "signed", time));
            AtomicInteger asked = new AtomicInteger();
            recurring
                    .start(() -> asked.incrementAndGet() == 1 ? Duration.ofSeconds(-3) : null)
                    .await(Duration.ofSeconds(10));
            assertEquals(seconds(0), calls);
            assertTrue(logs.contains(Level.WARN, "negative delay"));
            assertTrue(logs.contains(Level.WARN, "returned no delay"));
        }
    }

    @Test
    void aFailingStrategyStopsAndIsLogged() throws Exception {
        try (CapturedLogs logs = CapturedLogs.of(RecurringCallback.class)) {
            RecurringCallback recurring = track(new RecurringCallback(this::record, "broken-strategy", time));
            recurring
                    .start(() -> {
                        throw new IllegalStateException("strategy bug");
                    })
                    .await(Duration.ofSeconds(10));
            assertTrue(logs.contains(Level.ERROR, "Strategy of"));
            assertEquals(List.of(), calls);
        }
    }

    @Test
    void startingTwiceIsAnIllegalStateAndAStoppedCallbackCanRestart() throws Exception {
        PeriodicCallback periodic = track(new PeriodicCallback(this::record, "restartable", time));
        periodic.start(Duration.ofSeconds(1), Duration.ofSeconds(1));
        assertThrows(IllegalStateException.class, () -> periodic.start(Duration.ofSeconds(1)));
        periodic.stop();
        assertFalse(periodic.isRunning());
        periodic.start(Duration.ofSeconds(1), Duration.ZERO);
        Awaitility.await().until(() -> calls.size() == 1); // at once: no delay this time
        assertEquals(seconds(0), calls);
    }

    @Test
    void stopInterruptsARunningCallbackAndWaits() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        AtomicInteger interrupted = new AtomicInteger();
        PeriodicCallback periodic = track(new PeriodicCallback(
                Blocking.untilInterrupted(running, interrupted::incrementAndGet), "blocking", time));
        periodic.start(Duration.ofSeconds(1), Duration.ZERO);
        running.await();
        periodic.stop();
        assertEquals(1, interrupted.get(), "stop() returned after the callback ended");
        assertEquals(0, periodic.statistic().fail.value(), "a stop is not a failure");
    }

    @Test
    void badIntervalsAreRejected() {
        PeriodicCallback periodic = new PeriodicCallback(this::record);
        assertThrows(IllegalArgumentException.class, () -> periodic.start(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> periodic.start(Duration.ofSeconds(-1)));
        assertThrows(
                IllegalArgumentException.class, () -> periodic.start(Duration.ofSeconds(1), Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> periodic.startAtFixedRate(Duration.ZERO, Duration.ZERO));
        assertFalse(periodic.isRunning());
    }

    @Test
    void statisticIsNamedAfterTheCallback() {
        PeriodicCallback periodic = new PeriodicCallback(this::record, "named", time);
        assertEquals("named", periodic.statistic().name());
        assertEquals(
                "RecurringCallbackStatistic",
                periodic.statistic().metrics().get(0).kind());
        assertEquals("PeriodicCallback(named)", periodic.toString());
    }

    @Test
    void cronCallbackFiresOnTheScheduleInItsZone() throws Exception {
        ManualTimeSource clock = new ManualTimeSource(Instant.parse("2026-03-07T17:00:00Z"));
        ZoneId newYork = ZoneId.of("America/New_York");
        List<String> fired = new CopyOnWriteArrayList<>();
        CronCallback cron = track(new CronCallback(
                () -> fired.add(ZonedDateTime.ofInstant(clock.now(), newYork)
                        .toOffsetDateTime()
                        .toString()),
                "nightly",
                clock));
        cron.start("30 2 * * *", newYork);
        TimeDriver.step(clock, 3);
        Awaitility.await().until(() -> fired.size() == 3);
        assertEquals(List.of("2026-03-08T03:00-04:00", "2026-03-09T02:30-04:00", "2026-03-10T02:30-04:00"), fired);
    }

    @Test
    void cronCallbackWithSecondsAndDefaultUtc() throws Exception {
        ManualTimeSource clock = new ManualTimeSource(Instant.parse("2026-01-01T00:00:02Z"));
        List<Instant> fired = new CopyOnWriteArrayList<>();
        CronCallback cron = track(new CronCallback(() -> fired.add(clock.now()), "every-5-seconds", clock));
        cron.start("*/5 * * * * *");
        TimeDriver.step(clock, 3);
        Awaitility.await().until(() -> fired.size() == 3);
        assertEquals(
                List.of(
                        Instant.parse("2026-01-01T00:00:05Z"),
                        Instant.parse("2026-01-01T00:00:10Z"),
                        Instant.parse("2026-01-01T00:00:15Z")),
                fired);
    }

    @Test
    void cronCallbackRejectsABadSpec() {
        CronCallback cron = new CronCallback(this::record);
        assertThrows(IllegalArgumentException.class, () -> cron.start("61 * * * *"));
        assertFalse(cron.isRunning());
    }
}
