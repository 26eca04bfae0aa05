package io.aiomisc.stats;

import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

/**
 * A metric that sums durations, reported in seconds as a {@code Double} (aiomisc's
 * {@code sum_time}). Thread-safe; summed in nanoseconds, so nothing is lost to rounding.
 */
public final class TimeCounter {
    private final LongAdder nanos = new LongAdder();

    TimeCounter() {}

    /**
     * Adds a duration given in nanoseconds.
     *
     * @param elapsedNanos the duration to add, in nanoseconds
     */
    public void addNanos(long elapsedNanos) {
        nanos.add(elapsedNanos);
    }

    /**
     * Adds a duration.
     *
     * @param elapsed the duration to add
     * @throws ArithmeticException if {@code elapsed} does not fit in a {@code long} of nanoseconds
     */
    public void add(Duration elapsed) {
        nanos.add(elapsed.toNanos());
    }

    /**
     * The sum in seconds.
     *
     * @return the sum of every duration added, in seconds
     */
    public double seconds() {
        return nanos.sum() / 1e9;
    }

    @Override
    public String toString() {
        return Double.toString(seconds());
    }
}
