package io.aiomisc.internal;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs work on the calling thread and interrupts it when a timer fires: the mechanism behind
 * {@code Timeout} and the attempt timeouts of {@code Backoff}. The timer is a {@link Timer}, so
 * that this package need not know {@code io.aiomisc.time}: callers pass
 * {@code (delay, action) -> time.schedule(delay, action)::cancel}.
 */
public final class TimedCall {
    private TimedCall() {}

    /** A one-shot timer: runs {@code action} after {@code delay} and returns what cancels it. */
    @FunctionalInterface
    public interface Timer {
        /** Schedules {@code action}; the result cancels it if it has not run. */
        Runnable schedule(Duration delay, Runnable action);
    }

    /** The {@link TimeoutException} of a timer that fired, as opposed to one the work threw itself. */
    public static final class Expired extends TimeoutException {
        private static final long serialVersionUID = 1L;

        Expired(Duration timeout) {
            super("operation did not complete within " + timeout);
        }
    }

    /**
     * Runs {@code work}, interrupting the calling thread after {@code timeout} on {@code timer}.
     * A zero timeout fails at once without running the work.
     *
     * @throws Expired         if the timer fired before the work returned (the work's own
     *                          exception, if any, is the cause); the interrupt is cleared
     * @throws Exception        the work's exception, as is, when it finished in time
     */
    public static <T> T run(Timer timer, Duration timeout, Callable<T> work) throws Exception {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new Expired(timeout);
        }
        Expiry expiry = new Expiry(Thread.currentThread());
        Runnable cancelTimer = timer.schedule(timeout, expiry::fire);
        T result = null;
        Throwable failure = null;
        try {
            result = work.call();
        } catch (Throwable t) {
            failure = t;
        } finally {
            cancelTimer.run();
        }
        if (expiry.finish()) {
            Thread.interrupted();
            TimeoutException timedOut = new Expired(timeout);
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
