package io.aiomisc.log;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;

/**
 * Service-provider interface for log formats that live in other modules (found with
 * {@link java.util.ServiceLoader}): {@code journald} comes with {@code aiomisc-systemd}, which
 * writes to systemd's journal socket. Implementations must be thread-safe.
 */
public interface LogFormatProvider {
    /** The format this provider writes. */
    LogFormat format();

    /**
     * A new, unstarted appender writing records in this format; {@link LogConfig} sets its
     * context, starts it and, when buffering, wraps it in a {@link BufferedAppender}.
     *
     * @param config the configuration being applied (date format, colours, ...)
     */
    Appender<ILoggingEvent> newAppender(LogConfig config);
}
