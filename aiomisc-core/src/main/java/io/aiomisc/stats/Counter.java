package io.aiomisc.stats;

import java.util.concurrent.atomic.LongAdder;

/**
 * A metric that counts: increments and decrements from any number of threads without contention.
 * Thread-safe.
 */
public final class Counter {
    private final LongAdder adder = new LongAdder();

    /** A counter not declared as a metric of a statistic (for values other metrics derive from). */
    public Counter() {
    }

    public void increment() {
        adder.increment();
    }

    public void decrement() {
        adder.decrement();
    }

    public void add(long delta) {
        adder.add(delta);
    }

    /** The current count. Concurrent updates may or may not be included. */
    public long value() {
        return adder.sum();
    }

    @Override
    public String toString() {
        return Long.toString(value());
    }
}
