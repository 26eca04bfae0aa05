package io.aiomisc.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiomisc.internal.TaskLauncher;
import io.aiomisc.stats.Metric;
import io.aiomisc.stats.RetryStatistic;
import io.aiomisc.stats.Statistics;
import io.aiomisc.task.Task;
import io.aiomisc.testing.TimeDriver;
import io.aiomisc.time.ManualTimeSource;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Ports of aiomisc's backoff scenarios, under a manual clock. */
class BackoffTest {
    private final ManualTimeSource time = new ManualTimeSource();
    private final AtomicInteger calls = new AtomicInteger();

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }

    /** Blocks until interrupted (by an attempt timeout or the deadline), without touching the clock. */
    private static Object hang() throws InterruptedException {
        new CountDownLatch(1).await();
        throw new AssertionError("unreachable");
    }

    private Backoff.Builder builder() {
        return Backoff.builder().timeSource(time);
    }

    private <T> TimeDriver<T> start(Backoff backoff, Callable<T> callable) {
        return TimeDriver.start(time, () -> backoff.call(callable));
    }

    @Test
    void succeedsAfterRetriableFailures() throws Exception {
        Backoff backoff = builder()
                .attemptTimeout(ms(100))
                .deadline(ms(500))
                .exceptions(IOException.class)
                .build();
        TimeDriver<String> call = start(backoff, () -> {
            if (calls.incrementAndGet() < 3) {
                throw new IOException("not yet");
            }
            return "ok";
        });
        call.run();
        assertEquals("ok", call.result());
        assertEquals(3, calls.get());
        assertEquals(3, backoff.statistic().attempts());
        assertEquals(2, backoff.statistic().errors.value());
        assertEquals(1, backoff.statistic().done.value());
    }

    @Test
    void aNonRetriableFailureIsThrownAfterOneAttempt() {
        // aiomisc: asyncbackoff(0.1, 0.5) with a ValueError raises after one attempt. The attempt
        // timeout here is long enough that a descheduled attempt on a loaded machine cannot time
        // out (and be retried) before it throws: the test is about the failure, not the timeout.
        Backoff backoff = Backoff.asyncbackoff(ms(10_000), ms(50_000), null);
        IllegalArgumentException failure = new IllegalArgumentException("value");
        assertSame(
                failure,
                assertThrows(
                        IllegalArgumentException.class,
                        () -> backoff.call(() -> {
                            calls.incrementAndGet();
                            throw failure;
                        })));
        assertEquals(1, calls.get());
    }

    @Test
    void deadlineAfterFailuresThrowsTheLastFailure() throws Exception {
        Backoff backoff = builder()
                .deadline(ms(250))
                .pause(ms(100))
                .exceptions(IOException.class)
                .build();
        TimeDriver<Object> call = start(backoff, () -> {
            throw new IOException("failure " + calls.incrementAndGet());
        });
        Duration took = call.run();
        IOException thrown = assertThrows(IOException.class, call::result);
        assertEquals("failure 3", thrown.getMessage()); // at 0, 100 and 200 ms; the deadline cuts the third pause
        assertEquals(ms(250), took);
    }

    @Test
    void deadlineDuringTheSecondAttemptThrowsTheFirstFailure() throws Exception {
        Backoff backoff =
                builder().deadline(ms(500)).exceptions(IOException.class).build();
        TimeDriver<Object> call = start(backoff, () -> {
            if (calls.incrementAndGet() == 1) {
                throw new IOException("first");
            }
            return hang();
        });
        call.run();
        assertEquals("first", assertThrows(IOException.class, call::result).getMessage());
        assertEquals(2, calls.get());
    }

    @Test
    void deadlineBeforeAnyFailureIsATimeout() throws Exception {
        Backoff backoff = builder().deadline(ms(300)).build();
        TimeDriver<Object> call = start(backoff, BackoffTest::hang);
        Duration took = call.run();
        assertThrows(TimeoutException.class, call::result);
        assertEquals(ms(300), took);
    }

    @Test
    void attemptTimeoutsAreAlwaysRetriedUntilTheDeadline() throws Exception {
        Backoff backoff = builder().attemptTimeout(ms(100)).deadline(ms(450)).build();
        TimeDriver<Object> call = start(backoff, () -> {
            calls.incrementAndGet();
            return hang();
        });
        Duration took = call.run();
        assertThrows(TimeoutException.class, call::result);
        assertEquals(5, calls.get()); // 0-100, 100-200, 200-300, 300-400, 400-450
        assertEquals(ms(450), took);
        assertEquals(4, backoff.statistic().errors.value());
    }

    @Test
    void theLastExceptionIsTheLastOne() throws Exception {
        // aiomisc test_last_exception_is_last: a timeout, then a non-retriable failure
        Backoff backoff = builder().attemptTimeout(ms(100)).deadline(ms(1000)).build();
        IllegalStateException second = new IllegalStateException("second");
        TimeDriver<Object> call = start(backoff, () -> {
            if (calls.incrementAndGet() == 1) {
                return hang();
            }
            throw second;
        });
        call.run();
        assertSame(second, assertThrows(IllegalStateException.class, call::result));
    }

    @Test
    void maxTriesCountsTheFirstCall() {
        Backoff backoff = builder().maxTries(3).exceptions(IOException.class).build();
        IOException thrown = assertThrows(
                IOException.class,
                () -> backoff.call(() -> {
                    throw new IOException("try " + calls.incrementAndGet());
                }));
        assertEquals(3, calls.get());
        assertEquals("try 3", thrown.getMessage());
    }

    @Test
    void noPauseAfterTheLastAttempt() throws Exception {
        Backoff backoff = builder()
                .maxTries(3)
                .pause(Duration.ofSeconds(1))
                .exceptions(IOException.class)
                .build();
        TimeDriver<Object> call = start(backoff, () -> {
            throw new IOException("try " + calls.incrementAndGet());
        });
        Duration took = call.run();
        assertThrows(IOException.class, call::result);
        assertEquals(Duration.ofSeconds(2), took);
    }

    @Test
    void giveupStopsEarly() {
        Backoff backoff = builder()
                .maxTries(10)
                .exceptions(IOException.class)
                .giveup(e -> e.getMessage().equals("fatal"))
                .build();
        IOException thrown = assertThrows(
                IOException.class,
                () -> backoff.call(() -> {
                    throw new IOException(calls.incrementAndGet() == 2 ? "fatal" : "transient");
                }));
        assertEquals("fatal", thrown.getMessage());
        assertEquals(2, calls.get());
    }

    @Test
    void aTimeoutExceptionFromTheCallIsRetriedToo() throws Exception {
        Backoff backoff = builder().maxTries(2).build();
        assertEquals("second", backoff.call(() -> {
            if (calls.incrementAndGet() == 1) {
                throw new TimeoutException("slow upstream");
            }
            return "second";
        }));
    }

    @Test
    void interruptionIsNeverRetried() throws Exception {
        Backoff backoff = Backoff.asyncretry(10);
        CountDownLatch running = new CountDownLatch(1);
        Task<Object> call = TaskLauncher.startDetached(() -> backoff.call(() -> {
            calls.incrementAndGet();
            running.countDown();
            return hang();
        }));
        running.await();
        call.cancel(true);
        org.awaitility.Awaitility.await().until(() -> backoff.statistic().done.value() == 1);
        assertEquals(1, calls.get());
        assertEquals(1, backoff.statistic().cancels.value());
    }

    @Test
    void interruptionDuringAPauseEndsTheCall() throws Exception {
        Backoff backoff = builder()
                .pause(Duration.ofHours(1))
                .exceptions(IOException.class)
                .build();
        TimeDriver<Object> call = start(backoff, () -> {
            calls.incrementAndGet();
            throw new IOException("again");
        });
        time.awaitSleepers(1, Duration.ofSeconds(10));
        call.worker().interrupt();
        org.awaitility.Awaitility.await()
                .until(() -> backoff.statistic().cancels.value() == 1);
        assertEquals(1, calls.get());
    }

    @Test
    void asyncretryRetriesAnyExceptionButNotErrors() throws Exception {
        assertEquals(3, Backoff.asyncretry(5).call(() -> {
            if (calls.incrementAndGet() < 3) {
                throw new IllegalStateException("flaky");
            }
            return calls.get();
        }));
        calls.set(0);
        assertThrows(AssertionError.class, () -> Backoff.asyncretry(5).call(() -> {
            calls.incrementAndGet();
            throw new AssertionError("an Error");
        }));
        assertEquals(1, calls.get());
    }

    @Test
    void asyncretryWithExceptionTypesRetriesOnlyThose() {
        assertThrows(IllegalStateException.class, () -> Backoff.asyncretry(5, IOException.class)
                .call(() -> {
                    calls.incrementAndGet();
                    throw new IllegalStateException("not retried");
                }));
        assertEquals(1, calls.get());
    }

    @Test
    void asyncretryReportsARetryStatistic() throws Exception {
        Backoff backoff = Backoff.asyncretry(2);
        backoff.call(() -> 1);
        assertInstanceOf(RetryStatistic.class, backoff.statistic());
        List<Metric> metrics = backoff.statistic().metrics();
        assertEquals("RetryStatistic", metrics.get(0).kind());
        assertTrue(Statistics.all(RetryStatistic.class).containsAll(metrics));
    }

    @Test
    void pausesGrowExponentiallyUpToTheCap() {
        Backoff backoff =
                builder().pause(ms(100)).multiplier(2).maxPause(ms(500)).build();
        assertEquals(ms(100), backoff.pauseAfter(1));
        assertEquals(ms(200), backoff.pauseAfter(2));
        assertEquals(ms(400), backoff.pauseAfter(3));
        assertEquals(ms(500), backoff.pauseAfter(4));
        assertEquals(ms(500), backoff.pauseAfter(40));
    }

    @Test
    void jitterStaysWithinItsBand() {
        Backoff backoff = builder()
                .pause(ms(1000))
                .jitter(0.25)
                .random(new SplittableRandom(7))
                .build();
        boolean below = false;
        boolean above = false;
        for (int i = 0; i < 1000; i++) {
            long pause = backoff.pauseAfter(1).toMillis();
            assertTrue(pause >= 750 && pause <= 1250, "pause " + pause);
            below |= pause < 900;
            above |= pause > 1100;
        }
        assertTrue(below && above, "the jitter spreads the pauses");
    }

    @Test
    void pausesAreWaitedOnTheTimeSource() throws Exception {
        Backoff backoff = builder()
                .pause(ms(100))
                .multiplier(3)
                .maxTries(4)
                .exceptions(IOException.class)
                .build();
        TimeDriver<Object> call = start(backoff, () -> {
            throw new IOException("x");
        });
        Duration took = call.run();
        assertEquals(ms(100 + 300 + 900), took);
    }

    @Test
    void wrapAppliesTheBackoffToEachCall() throws Exception {
        Callable<Integer> wrapped = Backoff.asyncretry(3).wrap(() -> {
            if (calls.incrementAndGet() % 2 == 1) {
                throw new IOException("odd");
            }
            return calls.get();
        });
        assertEquals(2, wrapped.call());
        assertEquals(4, wrapped.call());
    }

    @Test
    void badSettingsAreRejectedAtOnce() {
        assertThrows(IllegalArgumentException.class, () -> Backoff.asyncretry(0));
        assertThrows(IllegalArgumentException.class, () -> Backoff.builder().maxTries(0));
        assertThrows(IllegalArgumentException.class, () -> Backoff.builder().pause(ms(-1)));
        assertThrows(IllegalArgumentException.class, () -> Backoff.builder().deadline(ms(-1)));
        assertThrows(IllegalArgumentException.class, () -> Backoff.builder().attemptTimeout(ms(-1)));
        assertThrows(IllegalArgumentException.class, () -> Backoff.builder().multiplier(0.5));
        assertThrows(IllegalArgumentException.class, () -> Backoff.builder().jitter(1.5));
        assertThrows(NullPointerException.class, () -> Backoff.builder().exceptions(IOException.class, null));
        assertThrows(NullPointerException.class, () -> Backoff.asyncretry(1).call(null));
        assertTrue(assertThrows(
                        IllegalArgumentException.class, () -> Backoff.builder().pause(ms(-5)))
                .getMessage()
                .contains("pause"));
        Backoff.builder().pause(Duration.ZERO).build();
    }

    @Test
    void callAsyncRetriesWithoutBlocking() throws Exception {
        Backoff backoff = builder().maxTries(5).exceptions(IOException.class).build();
        CompletableFuture<String> result = backoff.callAsync(() -> calls.incrementAndGet() < 3
                ? CompletableFuture.failedFuture(new IOException("not yet"))
                : CompletableFuture.completedFuture("done"));
        assertEquals("done", result.get());
        assertEquals(3, calls.get());
    }

    @Test
    void callAsyncGivesTheLastFailureAfterMaxTries() {
        Backoff backoff = Backoff.asyncretry(3);
        CompletableFuture<String> result = backoff.callAsync(
                () -> CompletableFuture.failedFuture(new IOException("try " + calls.incrementAndGet())));
        ExecutionException thrown = assertThrows(ExecutionException.class, result::get);
        assertEquals("try 3", thrown.getCause().getMessage());
    }

    @Test
    void callAsyncDeadlineCancelsTheRunningAttempt() throws Exception {
        Backoff backoff = builder().deadline(ms(300)).build();
        CompletableFuture<String> attempt = new CompletableFuture<>();
        CompletableFuture<String> result = backoff.callAsync(() -> attempt);
        time.advance(ms(300));
        assertInstanceOf(
                TimeoutException.class,
                assertThrows(ExecutionException.class, result::get).getCause());
        assertTrue(attempt.isCancelled());
    }

    @Test
    void callAsyncAttemptTimeoutIsRetried() throws Exception {
        Backoff backoff = builder().attemptTimeout(ms(100)).maxTries(2).build();
        CompletableFuture<String> first = new CompletableFuture<>();
        CompletableFuture<String> result = backoff.callAsync(
                () -> calls.incrementAndGet() == 1 ? first : CompletableFuture.completedFuture("second"));
        time.advance(ms(100));
        assertEquals("second", result.get());
        assertTrue(first.isCompletedExceptionally());
    }

    @Test
    void cancellingTheAsyncResultStopsTheRetries() throws Exception {
        Backoff backoff = builder()
                .pause(Duration.ofSeconds(1))
                .exceptions(IOException.class)
                .build();
        CompletableFuture<String> result = backoff.callAsync(() -> {
            calls.incrementAndGet();
            return CompletableFuture.failedFuture(new IOException("x"));
        });
        assertEquals(1, time.waiters());
        result.cancel(true);
        assertEquals(0, time.waiters());
        time.advance(Duration.ofSeconds(5));
        assertEquals(1, calls.get());
        assertFalse(result.isCompletedExceptionally() && !result.isCancelled());
    }
}
