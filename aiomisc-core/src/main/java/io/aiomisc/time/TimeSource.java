package io.aiomisc.time;

import java.time.Duration;
import java.time.Instant;

/**
 * Where a component gets its time from: a monotonic clock, the wall clock, sleeping and one-shot
 * timers. {@link #system()} is the real thing; {@link ManualTimeSource} is moved by tests.
 *
 * <p>Implementations are thread-safe.
 */
public interface TimeSource {

    /**
     * A point on a monotonic scale, in nanoseconds, as {@link System#nanoTime()}: only differences
     * between two readings mean something.
     *
     * @return the current point, in nanoseconds
     */
    long nanoTime();

    /**
     * The wall-clock time now.
     *
     * @return the current instant
     */
    Instant now();

    /**
     * Blocks the calling thread for {@code duration}; returns at once for zero or negative.
     *
     * @param duration how long to sleep
     * @throws InterruptedException if interrupted while sleeping (or already interrupted); the
     *                              interrupt status is cleared, as {@link Thread#sleep} does
     */
    void sleep(Duration duration) throws InterruptedException;

    /**
     * Runs {@code action} once, {@code delay} from now (at once for zero or negative). The action
     * runs on a timer thread shared by many timers: it must be short and must not block; hand
     * anything longer to another thread.
     *
     * @param delay  how long from now
     * @param action what to run
     * @return a handle that cancels the action if it has not run
     */
    Scheduled schedule(Duration delay, Runnable action);

    /** A pending {@link #schedule} action. */
    interface Scheduled {
        /**
         * Cancels the action. Idempotent.
         *
         * @return true if it had not run and now never will
         */
        boolean cancel();
    }

    /**
     * The system clock: {@link System#nanoTime()}, {@link Instant#now()}, a JVM-wide timer thread.
     *
     * @return the one system time source
     */
    static TimeSource system() {
        return SystemTimeSource.INSTANCE;
    }
}
