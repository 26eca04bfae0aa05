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
    /** Records accepted into the buffer (not those written directly while stopping or unbuffered). */
    public final Counter records = counter("records");
    /** Batches the writer thread wrote (and flushed, when the wrapped appender writes a stream). */
    public final Counter flushes = counter("flushes");
    /** Records lost: buffer full, given up on by a stop, or logged while the output is stuck. */
    public final Counter dropped = counter("dropped");
    /** Logging calls that found the buffer full and waited for room ({@link OverflowPolicy#WAIT}). */
    public final Counter waits = counter("waits");
    /** Records the wrapped appender threw on, or that went to a dead standard stream. */
    public final Counter errors = counter("errors");

    /**
     * Registers counters for a buffered appender, all starting at 0; a {@link BufferedAppender}
     * makes its own on its first start.
     *
     * @param name the name in reports, the appender's name; may be null
     */
    public BufferedAppenderStatistic(String name) {
        super(name);
    }
}
