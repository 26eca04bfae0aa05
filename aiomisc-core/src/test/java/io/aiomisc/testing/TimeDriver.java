package io.aiomisc.testing;

import io.aiomisc.time.ManualTimeSource;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs code on a thread of its own against a {@link ManualTimeSource} and drives the time: whenever
 * that thread is blocked (waiting for time, since the code under test blocks on nothing else) and
 * something waits for time, time moves exactly to the next deadline. "Time passes only while the
 * code waits" makes runs deterministic whatever the machine's speed.
 */
public final class TimeDriver<T> {
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private final ManualTimeSource time;
    private final CompletableFuture<T> result = new CompletableFuture<>();
    private final Thread worker;

    private TimeDriver(ManualTimeSource time, Callable<T> work) {
        this.time = time;
        this.worker = Thread.ofVirtual().name("time-driven").start(() -> {
            try {
                result.complete(work.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
    }

    /**
     * Moves {@code time} to its next deadline once something waits for it, {@code steps} times: for
     * code that runs on threads of its own (callbacks, services).
     *
     * @throws java.util.concurrent.TimeoutException if nothing waits for time within 10 s
     */
    public static void step(ManualTimeSource time, int steps)
            throws InterruptedException, java.util.concurrent.TimeoutException {
        for (int i = 0; i < steps; i++) {
            time.awaitWaiters(1, Duration.ofSeconds(10));
            time.advance(time.pendingDelays().get(0));
        }
    }

    /** Starts {@code work} on a virtual thread; drive it with {@link #run()}. */
    public static <T> TimeDriver<T> start(ManualTimeSource time, Callable<T> work) {
        return new TimeDriver<>(time, work);
    }

    /** The worker thread. */
    public Thread worker() {
        return worker;
    }

    /** True once the work has returned or thrown. */
    public boolean isDone() {
        return result.isDone();
    }

    /**
     * Drives time until the work is done and returns how much fake time it took; the work's
     * result is then available from {@link #result()}.
     */
    public Duration run() {
        Duration start = time.elapsed();
        long realDeadline = System.nanoTime() + PATIENCE.toNanos();
        while (!result.isDone()) {
            if (System.nanoTime() > realDeadline) {
                throw new AssertionError(
                        "work not done after " + PATIENCE + " of real time; " + time + ", worker " + worker.getState());
            }
            Thread.State state = worker.getState();
            if ((state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING) && time.waiters() > 0) {
                List<Duration> pending = time.pendingDelays();
                if (!pending.isEmpty() && worker.getState() == state) {
                    time.advance(pending.get(0).isNegative() ? Duration.ZERO : pending.get(0));
                    continue;
                }
            }
            LockSupport.parkNanos(50_000);
        }
        return time.elapsed().minus(start);
    }

    /** The work's result, rethrowing its exception as is. */
    public T result() throws Exception {
        try {
            return result.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception exception) {
                throw exception;
            }
            throw (Error) e.getCause();
        }
    }
}
