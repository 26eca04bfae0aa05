package io.aiomisc.stats;

import java.util.concurrent.atomic.LongAdder;

/**
 * A metric that counts: increments and decrements from any number of threads without contention.
 * Thread-safe.
 */
public final class Counter {
    private final LongAdder adder = new LongAdder();

    /** A counter not declared as a metric of a statistic (for values other metrics derive from). */
    public Counter() {}

    /** Adds one. */
    public void increment() {
        adder.increment();
    }

    /** Subtracts one. */
    public void decrement() {
        adder.decrement();
    }

    /**
     * Adds {@code delta}.
     *
     * @param delta the amount to add; negative to subtract
     */
    public void add(long delta) {
        adder.add(delta);
    }

    /**
     * The current count. Concurrent updates may or may not be included.
     *
     * @return the sum of every update so far
     */
    public long value() {
        return adder.sum();
    }

    @Override
    public String toString() {
        return Long.toString(value());
    }
}
