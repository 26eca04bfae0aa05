package io.aiomisc.task;

import io.aiomisc.internal.Durations;
import io.aiomisc.internal.RunnableTask;
import io.aiomisc.internal.SharedTimer;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Bounds the time a piece of blocking code may take: aiomisc's {@code @timeout}.
 *
 * <pre>{@code
 * String body = Timeout.run(Duration.ofSeconds(1), () -> fetch(url));
 * Callable<String> bounded = Timeout.wrap(Duration.ofSeconds(1), () -> fetch(url));
 * }</pre>
 *
 * <p>The work runs on the calling thread, so thread locals, the current entrypoint and locks held
 * by the caller stay as they are. When the time is up the calling thread is interrupted; the
 * work's next blocking call throws, and {@code run} throws {@link TimeoutException} (with the
 * work's own exception, if any, as the cause). The interrupt is cleared before {@code run}
 * returns, so it does not leak into the caller's later code. Code that ignores interrupts is not
 * stopped, but {@code run} still throws {@code TimeoutException} when it returns late.
 *
 * <p>Timeouts nest: an inner timeout that is not the one that fired passes the interruption on.
 */
public final class Timeout {
    private Timeout() {
    }

    /**
     * Runs {@code work} on the calling thread, interrupting it after {@code timeout}.
     *
     * @param timeout how long the work may take; {@link Duration#ZERO} fails at once, as aiomisc's
     *                {@code timeout(0)} does, without running the work
     * @return the work's result
     * @throws TimeoutException         if the work did not finish within {@code timeout}
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws Exception                whatever the work threw within the time, as is
     */
    public static <T> T run(Duration timeout, Callable<T> work) throws Exception {
        Durations.requireNonNegative("timeout", timeout);
        Objects.requireNonNull(work, "work");
        if (timeout.isZero()) {
            throw new TimeoutException("operation did not complete within " + timeout);
        }
        Expiry expiry = new Expiry(Thread.currentThread());
        ScheduledFuture<?> timer = SharedTimer.schedule(expiry::fire, Durations.toNanos(timeout));
        T result = null;
        Throwable failure = null;
        try {
            result = work.call();
        } catch (Throwable t) {
            failure = t;
        } finally {
            timer.cancel(false);
        }
        if (expiry.finish()) {
            Thread.interrupted();
            TimeoutException timedOut = new TimeoutException("operation did not complete within " + timeout);
            if (failure != null) {
                timedOut.initCause(failure);
            }
            throw timedOut;
        }
        if (failure != null) {
            throw RunnableTask.rethrowable(failure);
        }
        return result;
    }

    /**
     * Returns a {@link Callable} that runs {@code work} under {@link #run(Duration, Callable)}.
     *
     * @throws IllegalArgumentException at once if {@code timeout} is negative
     */
    public static <T> Callable<T> wrap(Duration timeout, Callable<T> work) {
        Durations.requireNonNegative("timeout", timeout);
        Objects.requireNonNull(work, "work");
        return () -> run(timeout, work);
    }

    /** Decides, under a lock, whether the timer fired before the work finished. */
    private static final class Expiry {
        private final ReentrantLock lock = new ReentrantLock();
        private final Thread worker;
        private boolean finished; // guarded by lock
        private boolean fired; // guarded by lock

        Expiry(Thread worker) {
            this.worker = worker;
        }

        void fire() {
            lock.lock();
            try {
                if (!finished) {
                    fired = true;
                    worker.interrupt();
                }
            } finally {
                lock.unlock();
            }
        }

        boolean finish() {
            lock.lock();
            try {
                finished = true;
                return fired;
            } finally {
                lock.unlock();
            }
        }
    }
}
