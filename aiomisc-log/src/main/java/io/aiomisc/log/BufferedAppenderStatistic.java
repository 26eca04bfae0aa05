package io.aiomisc.log;

import io.aiomisc.stats.Counter;
import io.aiomisc.stats.Statistic;

/**
 * Counters of a {@link BufferedAppender} (aiomisc's {@code ThreadedHandlerStatistic}):
 * {@code records} accepted from logging calls, {@code flushes} (batches written), {@code dropped}
 * records (buffer full, see {@link OverflowPolicy}; also those a stop gave up on after waiting 10 s
 * for an output stuck in a write, and those logged while it stays stuck), {@code waits} (calls
 * that had to wait for room) and {@code errors} (records the wrapped appender failed on, including
 * every record written to a dead standard stream, whose {@link java.io.PrintStream} swallows the
 * failure). Thread-safe.
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
