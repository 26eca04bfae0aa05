package io.aiomisc.log;

import io.aiomisc.stats.Counter;
import io.aiomisc.stats.Statistic;

/**
 * Counters of a {@link BufferedAppender} (aiomisc's {@code ThreadedHandlerStatistic}):
 * {@code records} accepted from logging calls, {@code flushes} (batches written), {@code dropped}
 * records (buffer full, see {@link OverflowPolicy}), {@code waits} (calls that had to wait for
 * room) and {@code errors} (records the wrapped appender failed on).
 */
public final class BufferedAppenderStatistic extends Statistic {
    public final Counter records = counter("records");
    public final Counter flushes = counter("flushes");
    public final Counter dropped = counter("dropped");
    public final Counter waits = counter("waits");
    public final Counter errors = counter("errors");

    public BufferedAppenderStatistic(String name) {
        super(name);
    }
}
