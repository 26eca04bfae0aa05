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

    /** A point on a monotonic scale, in nanoseconds, as {@link System#nanoTime()}. */
    long nanoTime();

    /** The wall-clock time now. */
    Instant now();

    /**
     * Blocks the calling thread for {@code duration}; returns at once for zero or negative.
     *
     * @throws InterruptedException if interrupted while sleeping
     */
    void sleep(Duration duration) throws InterruptedException;

    /**
     * Runs {@code action} once, {@code delay} from now (at once for zero or negative). The action
     * runs on a timer thread shared by many timers: it must be short and must not block; hand
     * anything longer to another thread.
     *
     * @return a handle that cancels the action if it has not run
     */
    Scheduled schedule(Duration delay, Runnable action);

    /** A pending {@link #schedule} action. */
    interface Scheduled {
        /** Cancels the action; true if it had not run and now never will. */
        boolean cancel();
    }

    /** The system clock: {@link System#nanoTime()}, {@link Instant#now()}, a JVM-wide timer thread. */
    static TimeSource system() {
        return SystemTimeSource.INSTANCE;
    }
}
