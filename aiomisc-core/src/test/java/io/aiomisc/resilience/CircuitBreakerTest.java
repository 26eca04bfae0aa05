package io.aiomisc.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiomisc.stats.CircuitBreakerStatistic;
import io.aiomisc.stats.Metric;
import io.aiomisc.time.ManualTimeSource;
import io.aiomisc.time.TimeSource;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The breaker's state machine under a manual clock and a seeded random source. */
class CircuitBreakerTest {
    private static final Duration SECOND = Duration.ofSeconds(1);
    private static final Duration SLICE = Duration.ofMillis(100); // responseTime / 10

    private final ManualTimeSource time = new ManualTimeSource();

    private CircuitBreaker breaker(double errorRatio) {
        return CircuitBreaker.builder()
                .errorRatio(errorRatio)
                .responseTime(SECOND)
                .timeSource(time)
                .random(new SplittableRandom(2026))
                .build();
    }

    private static void fail(CircuitBreaker breaker) {
        assertThrows(
                IOException.class,
                () -> breaker.call(() -> {
                    throw new IOException("down");
                }));
    }

    private static void succeed(CircuitBreaker breaker) throws Exception {
        assertEquals("up", breaker.call(() -> "up"));
    }

    /** One failing call in each of the 10 slices of a response time: the breaker breaks on the next call. */
    private void breakIt(CircuitBreaker breaker) {
        for (int slice = 0; slice < 10; slice++) {
            if (slice > 0) {
                time.advance(SLICE);
            }
            fail(breaker);
        }
        assertThrows(CircuitBroken.class, () -> breaker.call(() -> "never called"));
        assertEquals(CircuitBreakerState.BROKEN, breaker.state());
    }

    @Test
    void passingNeedsTenSlicesOfHistoryToBreak() throws Exception {
        CircuitBreaker breaker = breaker(0.5);
        for (int slice = 0; slice < 9; slice++) {
            fail(breaker);
            fail(breaker);
            time.advance(SLICE);
        }
        assertEquals(CircuitBreakerState.PASSING, breaker.state(), "nine slices are not enough history");
        fail(breaker); // the tenth slice
        assertThrows(CircuitBroken.class, () -> breaker.call(() -> "rejected"));
        assertEquals(CircuitBreakerState.BROKEN, breaker.state());
    }

    @Test
    void oneGoodSliceInTheWindowKeepsItPassing() throws Exception {
        CircuitBreaker breaker = breaker(0.5);
        for (int slice = 0; slice < 12; slice++) {
            if (slice == 5) {
                succeed(breaker);
            } else {
                fail(breaker);
            }
            time.advance(SLICE);
        }
        // state() opens slice 12 (empty, like every call's own slice): history is slices 3..12,
        // of which 5 (good) and 12 (no calls yet) are not bad
        assertEquals(CircuitBreakerState.PASSING, breaker.state());
        assertEquals(0.8, breaker.recoveryRatio(), 1e-9);
    }

    @Test
    void walksPassingBrokenRecoveringPassing() throws Exception {
        CircuitBreaker breaker = breaker(0.5);
        breakIt(breaker);
        assertEquals(SECOND, breaker.stateDelay());
        time.advance(Duration.ofMillis(999));
        assertEquals(CircuitBreakerState.BROKEN, breaker.state());
        time.advance(Duration.ofMillis(1));
        assertEquals(CircuitBreakerState.RECOVERING, breaker.state());
        assertThrows(CircuitBroken.class, () -> breaker.call(() -> "at t=0 nothing is admitted"));
        time.advance(Duration.ofMillis(500));
        int admitted = 0;
        for (int i = 0; i < 100; i++) {
            try {
                succeed(breaker);
                admitted++;
            } catch (CircuitBroken rejected) {
                // not admitted
            }
        }
        assertTrue(admitted > 0 && admitted < 100, "some calls are admitted halfway: " + admitted);
        time.advance(Duration.ofMillis(500));
        assertEquals(CircuitBreakerState.PASSING, breaker.state());
        succeed(breaker);
        assertEquals(SECOND, breaker.stateDelay(), "passing is held for passingTime");
    }

    @Test
    void recoveringBreaksAgainWhenFailuresReturn() throws Exception {
        CircuitBreaker breaker = breaker(0.5);
        breakIt(breaker);
        time.advance(SECOND);
        assertEquals(CircuitBreakerState.RECOVERING, breaker.state());
        time.advance(Duration.ofMillis(900)); // admission probability 2^0.9 - 1 = 0.87
        int attempts = 0;
        while (breaker.state() == CircuitBreakerState.RECOVERING && attempts++ < 1000) {
            try {
                fail(breaker);
            } catch (AssertionError rejectedInstead) {
                // CircuitBroken: the call was not admitted
            }
        }
        assertEquals(CircuitBreakerState.BROKEN, breaker.state(), "a failed admitted call makes the slice bad");
    }

    @Test
    void recoveryAdmissionFollowsTwoToTheElapsedShareMinusOne() {
        for (double share : new double[] {0.25, 0.5, 0.75}) {
            CircuitBreaker breaker = breaker(0.5);
            breakIt(breaker);
            time.advance(SECOND);
            assertEquals(CircuitBreakerState.RECOVERING, breaker.state());
            time.advance(Duration.ofMillis((long) (share * 1000)));
            int n = 20_000;
            int admitted = 0;
            for (int i = 0; i < n; i++) {
                try {
                    breaker.call(() -> "ok");
                    admitted++;
                } catch (CircuitBroken rejected) {
                    // not admitted
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }
            double expected = Math.pow(2, share) - 1;
            double sd = Math.sqrt(expected * (1 - expected) / n);
            assertEquals(expected, (double) admitted / n, 5 * sd, "admission at " + share + " of recoveryTime");
            assertEquals(admitted, breaker.statistic().callRecoveringOk.value());
            assertEquals(n - admitted, breaker.statistic().callRecoveringFailed.value());
            time.advance(Duration.ofSeconds(10));
        }
    }

    @Test
    void circuitBrokenCarriesTheLastFailureAndPrintsSafely() {
        CircuitBreaker breaker = breaker(0.5);
        breakIt(breaker);
        CircuitBroken broken = assertThrows(CircuitBroken.class, () -> breaker.call(() -> "x"));
        assertTrue(broken.getCause() instanceof IOException);
        assertSame(broken.getCause(), broken.lastFailure());
        assertTrue(broken.toString().contains("java.io.IOException: down"), broken.toString());
        CircuitBroken nested = new CircuitBroken(new CircuitBroken(new CircuitBroken(null)));
        assertTrue(nested.toString().contains(CircuitBroken.class.getName()));
        assertEquals(0, broken.getStackTrace().length, "rejections carry no stack trace");
    }

    @Test
    void onlyTheConfiguredExceptionsCount() throws Exception {
        CircuitBreaker breaker = CircuitBreaker.builder()
                .errorRatio(0.5)
                .responseTime(SECOND)
                .exceptions(IOException.class)
                .timeSource(time)
                .build();
        for (int slice = 0; slice < 12; slice++) {
            assertThrows(
                    IllegalStateException.class,
                    () -> breaker.call(() -> {
                        throw new IllegalStateException("not counted");
                    }));
            time.advance(SLICE);
        }
        assertEquals(CircuitBreakerState.PASSING, breaker.state());
        assertNull(breaker.lastFailure());
    }

    @Test
    void theInspectorDecidesWhatCounts() throws Exception {
        CircuitBreaker ignoring = CircuitBreaker.builder()
                .errorRatio(0.5)
                .responseTime(SECOND)
                .exceptionInspector(e -> !e.getMessage().equals("down"))
                .timeSource(time)
                .build();
        for (int slice = 0; slice < 12; slice++) {
            fail(ignoring);
            time.advance(SLICE);
        }
        assertEquals(CircuitBreakerState.PASSING, ignoring.state());

        CircuitBreaker throwingInspector = CircuitBreaker.builder()
                .errorRatio(0.5)
                .responseTime(SECOND)
                .exceptionInspector(e -> {
                    throw new IllegalStateException("inspector bug");
                })
                .timeSource(time)
                .build();
        breakIt(throwingInspector); // an inspector that throws counts the failure
    }

    @Test
    void statisticsReportTheirTrueValues() throws Exception {
        CircuitBreaker breaker = breaker(0.5);
        breakIt(breaker);
        CircuitBreakerStatistic statistic = breaker.statistic();
        Map<String, Number> metrics =
                statistic.metrics().stream().collect(Collectors.toMap(Metric::metric, Metric::value));
        assertEquals(11L, metrics.get("call_count"));
        assertEquals(10L, metrics.get("call_passing"));
        assertEquals(1L, metrics.get("call_broken"));
        assertEquals(0.5, metrics.get("error_ratio_threshold"));
        assertEquals("CircuitBreakerStatistic", statistic.metrics().get(0).kind());
    }

    @Test
    void errorRatioMetricIsTheCurrentShareOfBadSlices() throws Exception {
        CircuitBreaker breaker = breaker(0.5);
        fail(breaker);
        time.advance(SLICE);
        succeed(breaker);
        Number reported = breaker.statistic().metrics().stream()
                .filter(m -> m.metric().equals("error_ratio"))
                .findFirst()
                .orElseThrow()
                .value();
        assertEquals(0.5, reported.doubleValue(), 1e-9);
    }

    @Test
    void wrapGuardsEveryCall() throws Exception {
        CircuitBreaker breaker = breaker(0.5);
        java.util.concurrent.Callable<String> guarded = breaker.wrap(() -> "ok");
        assertEquals("ok", guarded.call());
    }

    @Test
    void cutoutTripsAndCountsEveryExceptionByDefault() {
        // an hour-long window: the failures below land in one or two slices, all of them bad
        CircuitBreaker breaker = Cutout.cutout(0.5, Duration.ofHours(1));
        for (int i = 0; i < 10; i++) {
            assertThrows(
                    Exception.class,
                    () -> breaker.call(() -> {
                        throw new Exception("counted: cutout without types counts every Exception");
                    }));
        }
        assertEquals(1.0, breaker.recoveryRatio(), "every slice with calls is bad: the failures were counted");
        assertEquals(
                "counted: cutout without types counts every Exception",
                breaker.lastFailure().getMessage());

        CircuitBreaker typed = Cutout.cutout(0.2, Duration.ofHours(1), IOException.class);
        assertEquals(0.2, typed.errorRatio());
        assertEquals(Duration.ofHours(1), typed.responseTime());
        assertThrows(
                IllegalStateException.class,
                () -> typed.call(() -> {
                    throw new IllegalStateException("not an IOException: not counted");
                }));
        assertEquals(0.0, typed.recoveryRatio(), "a failure of another type is not counted");
        assertNull(typed.lastFailure());
    }

    @Test
    void cutoutTripsUnderAManualClock() {
        CircuitBreaker breaker = Cutout.settings(0.2, SECOND).timeSource(time).build();
        breakIt(breaker);
        assertEquals(SECOND, breaker.stateDelay(), "cutout breaks for responseTime");
    }

    /** A manual clock that runs a hook once, inside its next {@code nanoTime()}. */
    private static final class HookedTime implements TimeSource {
        private final ManualTimeSource time;
        private Runnable hook;

        HookedTime(ManualTimeSource time) {
            this.time = time;
        }

        void onNextRead(Runnable hook) {
            this.hook = hook;
        }

        @Override
        public long nanoTime() {
            Runnable once = hook;
            hook = null;
            if (once != null) {
                once.run();
            }
            return time.nanoTime();
        }

        @Override
        public Instant now() {
            return time.now();
        }

        @Override
        public void sleep(Duration duration) throws InterruptedException {
            time.sleep(duration);
        }

        @Override
        public Scheduled schedule(Duration delay, Runnable action) {
            return time.schedule(delay, action);
        }
    }

    /**
     * Regression (issue 10, defect 6): the breaker breaks while a call is deciding, between its
     * read of the state and its check of how long the state holds. The call must not pass: it
     * acts on one consistent snapshot (state, hold time and history), and a due transition is
     * re-checked under the lock. The old code read {@code state} and {@code stuckUntil}
     * separately and let this call through (PASSING with the new breaker's hold time).
     */
    @Test
    void aCallDecidingWhileTheBreakerBreaksDoesNotPass() {
        HookedTime hooked = new HookedTime(time);
        CircuitBreaker breaker = CircuitBreaker.builder()
                .errorRatio(0.5)
                .responseTime(SECOND)
                .timeSource(hooked)
                .random(new SplittableRandom(2026))
                .build();
        for (int slice = 0; slice < 10; slice++) {
            if (slice > 0) {
                time.advance(SLICE);
            }
            fail(breaker);
        }
        // the next call will break the breaker; another call breaks it first, mid-decision
        AtomicBoolean brokeMeanwhile = new AtomicBoolean();
        hooked.onNextRead(() -> {
            assertThrows(CircuitBroken.class, () -> breaker.call(() -> "breaks it"));
            brokeMeanwhile.set(true);
        });
        AtomicBoolean called = new AtomicBoolean();
        assertThrows(CircuitBroken.class, () -> breaker.call(() -> called.getAndSet(true)));
        assertTrue(brokeMeanwhile.get(), "the hook ran inside the call's decision");
        assertFalse(called.get(), "a call must not pass a breaker that has just broken");
        assertEquals(CircuitBreakerState.BROKEN, breaker.state());
        assertEquals(2, breaker.statistic().callBroken.value());
        assertEquals(0, breaker.statistic().callRecovering.value());
    }

    @Test
    void callAsyncCountsTheStagesOutcome() throws Exception {
        CircuitBreaker breaker = breaker(0.5);
        assertEquals(
                "up",
                breaker.callAsync(() -> CompletableFuture.completedFuture("up")).get());
        for (int slice = 0; slice < 10; slice++) {
            if (slice > 0) {
                time.advance(SLICE);
            }
            CompletableFuture<String> failing = new CompletableFuture<>();
            CompletableFuture<String> result = breaker.callAsync(() -> failing);
            assertFalse(result.isDone(), "the breaker does not wait for the stage");
            failing.completeExceptionally(new IOException("down"));
            ExecutionException failed = assertThrows(ExecutionException.class, result::get);
            assertTrue(failed.getCause() instanceof IOException, "the stage's failure, unwrapped");
        }
        AtomicBoolean supplied = new AtomicBoolean();
        CompletableFuture<String> rejected = breaker.callAsync(() -> {
            supplied.set(true);
            return CompletableFuture.completedFuture("never");
        });
        ExecutionException broken = assertThrows(ExecutionException.class, rejected::get);
        assertTrue(broken.getCause() instanceof CircuitBroken, broken.toString());
        assertTrue(broken.getCause().getCause() instanceof IOException, "carries the last failure");
        assertFalse(supplied.get(), "a rejected call is not started");
        assertEquals(CircuitBreakerState.BROKEN, breaker.state());
    }

    @Test
    void callAsyncCountsASupplierThatThrowsAndNotACancellation() {
        CircuitBreaker breaker = breaker(0.5);
        CompletableFuture<String> thrown = breaker.callAsync(() -> {
            throw new IllegalStateException("no stage");
        });
        assertTrue(thrown.isCompletedExceptionally());
        assertTrue(breaker.lastFailure() instanceof IllegalStateException);
        assertEquals(1.0, breaker.recoveryRatio());

        time.advance(SECOND.multipliedBy(2)); // a fresh window
        CompletableFuture<String> stage = new CompletableFuture<>();
        CompletableFuture<String> result = breaker.callAsync(() -> stage);
        assertTrue(result.cancel(true));
        assertTrue(stage.isCancelled(), "cancelling the result cancels the stage");
        assertEquals(0.0, breaker.recoveryRatio(), "our own cancellation is not a failure");
        assertEquals(2, breaker.statistic().callPassing.value());
    }

    @Test
    void badSettingsAreRejectedAtOnce() {
        assertThrows(
                IllegalArgumentException.class, () -> CircuitBreaker.builder().errorRatio(Double.NaN));
        assertThrows(
                IllegalArgumentException.class, () -> CircuitBreaker.builder().errorRatio(0));
        assertThrows(
                IllegalArgumentException.class, () -> CircuitBreaker.builder().errorRatio(1.5));
        assertThrows(
                IllegalArgumentException.class, () -> CircuitBreaker.builder().responseTime(Duration.ZERO));
        assertThrows(
                IllegalArgumentException.class, () -> CircuitBreaker.builder().brokenTime(Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> Cutout.cutout(0.5, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> Cutout.cutout(Double.NaN, SECOND));
        assertThrows(
                IllegalStateException.class,
                () -> CircuitBreaker.builder().errorRatio(0.5).build());
        assertThrows(
                IllegalStateException.class,
                () -> CircuitBreaker.builder().responseTime(SECOND).build());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CircuitBreaker.builder()
                        .errorRatio(2))
                .getMessage()
                .contains("errorRatio"));
        assertFalse(CircuitBreaker.builder()
                .errorRatio(1)
                .responseTime(SECOND)
                .build()
                .toString()
                .isEmpty());
    }
}
