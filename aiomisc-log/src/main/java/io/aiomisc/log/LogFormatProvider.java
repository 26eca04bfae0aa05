package io.aiomisc.log;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;

/**
 * Service-provider interface for log formats that live in other modules (found with
 * {@link java.util.ServiceLoader}): {@code journald} comes with {@code aiomisc-systemd}, which
 * writes to systemd's journal socket. Implementations must be thread-safe.
 */
public interface LogFormatProvider {
    /**
     * The format this provider writes.
     *
     * @return the format, the same on every call
     */
    LogFormat format();

    /**
     * A new, unstarted appender writing records in this format; {@link LogConfig} sets its
     * context, starts it and, when buffering, wraps it in a {@link BufferedAppender}.
     *
     * @param config the configuration being applied (date format, colours, ...); its
     *               {@link LogConfig#appenders()} is empty at this point
     * @return a new appender, not started and without a context
     */
    Appender<ILoggingEvent> newAppender(LogConfig config);
}
