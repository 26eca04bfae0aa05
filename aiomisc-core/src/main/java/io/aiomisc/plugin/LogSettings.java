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
 * @param bufferSize    records held before a flush is forced; positive
 * @param flushInterval the longest time a buffered record waits; positive
 */
public record LogSettings(
        String level, String format, String dateFormat, boolean buffered, int bufferSize, Duration flushInterval) {
    public LogSettings {
        level = LogNames.level("level", level);
        format = LogNames.format("format", format);
        if (bufferSize < 1) {
            throw new IllegalArgumentException("bufferSize must be positive: " + bufferSize);
        }
        Durations.requirePositive("flushInterval", flushInterval);
    }

    /** These settings, unbuffered (what an entrypoint reconfigures to when it closes). */
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
