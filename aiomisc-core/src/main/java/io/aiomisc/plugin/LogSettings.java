package io.aiomisc.plugin;

import io.aiomisc.internal.Durations;
import java.time.Duration;
import java.util.Objects;

/**
 * How an entrypoint asks for logging to be configured: its {@code log*} options.
 *
 * @param level         a level name: {@code critical}, {@code error}, {@code warning}, {@code info},
 *                      {@code debug} or {@code notset} (see {@link LogNames})
 * @param format        a format name, one of {@link LogNames#FORMATS}
 * @param dateFormat    a date pattern, or null for the format's default
 * @param buffered      whether records go through a buffer flushed by a background thread
 * @param bufferSize    records held before a flush is forced; 1 to {@link #MAX_BUFFER_SIZE}
 * @param flushInterval the longest time a buffered record waits; {@link #MIN_FLUSH_INTERVAL} to
 *                      {@link #MAX_FLUSH_INTERVAL}
 */
public record LogSettings(
        String level, String format, String dateFormat, boolean buffered, int bufferSize, Duration flushInterval) {
    /**
     * The largest log buffer: 1,048,576 records (2<sup>20</sup>, 1024 times the default). The
     * buffer's slots are allocated up front, 12 bytes each (a reference and a sequence number):
     * 12 MiB at this size, which fits the default heap of a small container, while a buffer of
     * 100 million records (1.6 GiB before any record) ends in an {@link OutOfMemoryError}. The
     * buffer absorbs bursts between flushes; one that a million records do not cover is a
     * writer too slow for its load, which more memory does not cure.
     */
    public static final int MAX_BUFFER_SIZE = 1 << 20;

    /**
     * The shortest flush interval: 1 ms. The idle writer wakes once per interval; at 1 ns it
     * spins (a third of a core doing nothing), at 1 ms it costs nothing measurable.
     */
    public static final Duration MIN_FLUSH_INTERVAL = Duration.ofMillis(1);

    /**
     * The longest flush interval: 1 hour. Records wait at most this long in memory before they
     * are written (and are lost with it if the process is killed); no log collector waits longer.
     */
    public static final Duration MAX_FLUSH_INTERVAL = Duration.ofHours(1);

    /**
     * Checks every component.
     *
     * @throws IllegalArgumentException naming the component and the value if one is out of range
     */
    public LogSettings {
        level = LogNames.level("level", level);
        format = LogNames.format("format", format);
        requireBufferSize("bufferSize", bufferSize);
        Durations.requireBetween("flushInterval", flushInterval, MIN_FLUSH_INTERVAL, MAX_FLUSH_INTERVAL);
    }

    /**
     * Returns {@code bufferSize}.
     *
     * @param parameter  the option's or variable's name, for the message
     * @param bufferSize the number of records to check
     * @return {@code bufferSize}
     * @throws IllegalArgumentException naming {@code parameter} and the value unless it is in
     *                                  1..{@link #MAX_BUFFER_SIZE}
     */
    public static int requireBufferSize(String parameter, int bufferSize) {
        if (bufferSize < 1 || bufferSize > MAX_BUFFER_SIZE) {
            throw new IllegalArgumentException(
                    parameter + " must be in 1.." + MAX_BUFFER_SIZE + " (records): " + bufferSize);
        }
        return bufferSize;
    }

    /**
     * These settings, unbuffered (what an entrypoint reconfigures to when it closes).
     *
     * @return a copy of these settings with {@code buffered} false
     */
    public LogSettings unbuffered() {
        return new LogSettings(level, format, dateFormat, false, bufferSize, flushInterval);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LogSettings other
                && level.equals(other.level)
                && format.equals(other.format)
                && Objects.equals(dateFormat, other.dateFormat)
                && buffered == other.buffered
                && bufferSize == other.bufferSize
                && flushInterval.equals(other.flushInterval);
    }

    @Override
    public int hashCode() {
        return Objects.hash(level, format, dateFormat, buffered, bufferSize, flushInterval);
    }
}
