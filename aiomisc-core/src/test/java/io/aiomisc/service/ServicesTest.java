package io.aiomisc.service;

import static io.aiomisc.testing.TestEntrypoints.builder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import io.aiomisc.Entrypoint;
import io.aiomisc.schedule.CronCallback;
import io.aiomisc.task.Task;
import io.aiomisc.testing.Blocking;
import io.aiomisc.testing.CapturedLogs;
import io.aiomisc.testing.TimeDriver;
import io.aiomisc.time.ManualTimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** PeriodicService, CronService and GracefulService, in entrypoints, under a manual clock. */
class ServicesTest {
    private final ManualTimeSource time = new ManualTimeSource(Instant.parse("2026-06-01T00:00:00Z"));

    private void step(int steps) throws InterruptedException, TimeoutException {
        TimeDriver.step(time, steps);
    }

    final class Ticker extends PeriodicService {
        final List<Duration> calls = new CopyOnWriteArrayList<>();

        Ticker(Duration interval, Duration delay) {
            super(interval, delay, time);
        }

        @Override
        protected void callback() {
            calls.add(time.elapsed());
        }
    }

    @Test
    void periodicServiceCallsItsCallbackAndLogsStartAndStop() throws Exception {
        Ticker ticker = new Ticker(Duration.ofSeconds(2), Duration.ofSeconds(1));
        try (CapturedLogs logs = CapturedLogs.of(PeriodicService.class)) {
            try (Entrypoint ep = builder().services(ticker).start()) {
                step(3);
                Awaitility.await().until(() -> ticker.calls.size() == 3);
            }
            assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(3), Duration.ofSeconds(5)), ticker.calls);
            assertTrue(logs.contains(Level.INFO, "Periodic service Ticker(interval=PT2S,delay=PT1S) started"));
            assertTrue(logs.contains(Level.INFO, "is stopped"));
        }
        assertFalse(ticker.periodic().isRunning());
    }

    /** Its name depends on a field its own constructor sets. */
    final class Labelled extends PeriodicService {
        private final String label;

        Labelled(String label) {
            super(Duration.ofSeconds(1), Duration.ZERO, time);
            this.label = label;
        }

        @Override
        public String name() {
            return "labelled-" + label;
        }

        @Override
        protected void callback() {}
    }

    /**
     * Regression (issue 10, this-escape): the periodic callback is named after {@code name()} once
     * the subclass is constructed; the old constructor called the overridable {@code name()}
     * before the subclass had set its fields ("labelled-null").
     */
    @Test
    void periodicServiceNamesItsCallbackAfterTheSubclassIsConstructed() {
        Labelled labelled = new Labelled("cache");
        assertEquals("labelled-cache", labelled.periodic().name());
        assertTrue(labelled.periodic() == labelled.periodic(), "one periodic callback per service");
    }

    @Test
    void periodicServiceRejectsABadIntervalInItsConstructor() {
        assertThrows(IllegalArgumentException.class, () -> new Ticker(Duration.ZERO, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new Ticker(Duration.ofSeconds(-1), Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new Ticker(Duration.ofSeconds(1), Duration.ofSeconds(-1)));
    }

    @Test
    void stoppingAPeriodicServiceInterruptsARunningCallback() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        AtomicInteger interrupted = new AtomicInteger();
        PeriodicService blocking = new PeriodicService(Duration.ofSeconds(1), Duration.ZERO, time) {
            @Override
            protected void callback() throws Exception {
                Blocking.untilInterrupted(running, interrupted::incrementAndGet).call();
            }
        };
        Entrypoint ep = builder().services(blocking).start();
        running.await();
        ep.close();
        assertEquals(1, interrupted.get());
    }

    @Test
    void cronServiceRunsEveryRegisteredCallback() throws Exception {
        CronService cron = new CronService(time);
        List<String> fired = new CopyOnWriteArrayList<>();
        cron.register(() -> fired.add("hourly " + time.now()), "0 * * * *");
        // Kolkata is UTC+05:30: its minute 30 is UTC's minute 0
        cron.register(() -> fired.add("kolkata " + time.now()), "30 * * * *", java.time.ZoneId.of("Asia/Kolkata"));
        cron.register(() -> fired.add("quarter " + time.now()), "15 * * * *");
        try (CapturedLogs logs = CapturedLogs.of(CronService.class);
                Entrypoint ep = builder().services(cron).start()) {
            time.awaitWaiters(3, Duration.ofSeconds(10));
            time.advance(Duration.ofMinutes(15));
            Awaitility.await().until(() -> fired.size() == 1);
            time.awaitWaiters(3, Duration.ofSeconds(10));
            time.advance(Duration.ofMinutes(45));
            Awaitility.await().until(() -> fired.size() == 3);
            assertTrue(logs.contains(Level.INFO, "Cron service CronService started"));
        }
        assertEquals(
                List.of("hourly 2026-06-01T01:00:00Z", "kolkata 2026-06-01T01:00:00Z", "quarter 2026-06-01T00:15:00Z"),
                fired.stream().sorted().toList());
    }

    private final List<String> ticks = new CopyOnWriteArrayList<>();

    private void tick() {
        ticks.add("tick " + time.now());
    }

    @Test
    void cronServiceTakesAVoidCallback() throws Exception {
        CronService cron = new CronService(time);
        CronCallback byReference = cron.register(this::tick, "0 * * * *");
        cron.register(() -> tick(), "30 * * * *", java.time.ZoneId.of("Asia/Kolkata"));
        assertTrue(byReference.name().startsWith("0 * * * * "), byReference.name());
        try (Entrypoint ep = builder().services(cron).start()) {
            time.awaitWaiters(2, Duration.ofSeconds(10));
            time.advance(Duration.ofHours(1));
            Awaitility.await().until(() -> ticks.size() == 2);
        }
        assertEquals(List.of("tick 2026-06-01T01:00:00Z", "tick 2026-06-01T01:00:00Z"), ticks);
        assertThrows(IllegalArgumentException.class, () -> cron.register(this::tick, "0 25 * * *"));
    }

    @Test
    void cronServiceRejectsBadSpecsAndLateRegistrations() throws Exception {
        CronService cron = new CronService(time);
        IllegalArgumentException thrown =
                assertThrows(IllegalArgumentException.class, () -> cron.register(() -> 1, "0 25 * * *"));
        assertTrue(thrown.getMessage().contains("hour"));
        try (Entrypoint ep = builder().services(cron).start()) {
            assertThrows(IllegalStateException.class, () -> cron.register(() -> 1, "* * * * *"));
        }
    }

    /** Awaits a task that sleeps on the manual clock, cancels one that blocks, records how each ended. */
    final class Swan extends GracefulService {
        final List<String> events = new CopyOnWriteArrayList<>();
        final Duration flight;
        Task<Object> fly;
        Task<Object> duckify;

        Swan(Duration waitTimeout, boolean cancelOnTimeout, Duration flight) {
            super(waitTimeout, cancelOnTimeout, time);
            this.flight = flight;
        }

        @Override
        public void start() {
            fly = createGracefulTask(
                    () -> {
                        try {
                            time.sleep(flight);
                            events.add("flew to a lake");
                        } catch (InterruptedException e) {
                            events.add("flight cancelled");
                            throw e;
                        }
                        return null;
                    },
                    false);
            duckify = createGracefulTask(
                    () -> {
                        try {
                            new CountDownLatch(1).await();
                        } catch (InterruptedException e) {
                            events.add("duckify cancelled");
                            throw e;
                        }
                        return null;
                    },
                    true);
        }
    }

    @Test
    void gracefulServiceAwaitsItsTasksAndCancelsTheOthers() throws Exception {
        Swan swan = new Swan(null, true, Duration.ofSeconds(1));
        Entrypoint ep = builder().services(swan).start();
        AtomicReference<Throwable> closeFailure = new AtomicReference<>();
        Thread closer = Thread.ofPlatform().start(() -> {
            try {
                ep.close();
            } catch (Throwable t) {
                closeFailure.set(t);
            }
        });
        Awaitility.await().until(() -> swan.events.contains("duckify cancelled"));
        assertFalse(swan.fly.isDone(), "stop() waits for the flight");
        time.awaitSleepers(1, Duration.ofSeconds(10));
        time.advance(Duration.ofSeconds(1));
        closer.join();
        assertEquals(List.of("duckify cancelled", "flew to a lake"), swan.events);
        assertTrue(swan.duckify.isCancelled());
        assertEquals(null, closeFailure.get());
    }

    @Test
    void gracefulWaitTimeoutCancelsLateTasksWhenAsked() throws Exception {
        Swan swan = new Swan(Duration.ofSeconds(10), true, Duration.ofHours(1));
        Entrypoint ep = builder().services(swan).start();
        Thread closer = Thread.ofPlatform().start(() -> {
            try {
                ep.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        time.awaitWaiters(2, Duration.ofSeconds(10)); // the flight's sleep and the wait timeout
        time.advance(Duration.ofSeconds(10));
        closer.join();
        assertTrue(swan.events.contains("flight cancelled"));
        assertTrue(swan.fly.isCancelled());
    }

    @Test
    void gracefulWaitTimeoutLeavesLateTasksRunningWhenAskedAndTheEntrypointCancelsThem() throws Exception {
        Swan swan = new Swan(Duration.ofSeconds(10), false, Duration.ofHours(1));
        List<String> atPostStop = new CopyOnWriteArrayList<>();
        Entrypoint ep = builder().services(swan).build();
        ep.postStop().connect((e, services) -> atPostStop.add("fly done=" + swan.fly.isDone()));
        ep.start();
        Thread closer = Thread.ofPlatform().start(() -> {
            try {
                ep.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        time.awaitWaiters(2, Duration.ofSeconds(10));
        time.advance(Duration.ofSeconds(10));
        closer.join();
        assertEquals(List.of("fly done=false"), atPostStop, "the service's stop left the flight running");
        assertTrue(swan.events.contains("flight cancelled"), "the entrypoint cancelled it afterwards");
    }

    @Test
    void gracefulTasksNeedARunningService() {
        Swan swan = new Swan(null, true, Duration.ofSeconds(1));
        assertThrows(IllegalStateException.class, swan::start);
        assertThrows(IllegalArgumentException.class, () -> new Swan(Duration.ofSeconds(-1), true, Duration.ZERO));
    }
}
