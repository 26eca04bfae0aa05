package io.aiomisc.log;

import io.aiomisc.plugin.LogConfigurator;
import io.aiomisc.plugin.LogSettings;
import java.util.Objects;

/**
 * The entrypoint's logging, through core's {@link LogConfigurator} service: an entrypoint whose
 * {@code logConfig} option is on (the default) applies its {@code log*} options here at start, and
 * at close writes everything buffered and leaves logging unbuffered. Found by
 * {@link java.util.ServiceLoader}; there is nothing to call.
 */
public final class LogbackConfigurator implements LogConfigurator {
    /** For {@link java.util.ServiceLoader}. */
    public LogbackConfigurator() {}

    @Override
    public void configure(LogSettings settings) {
        LogConfig.builder()
                .level(settings.level())
                .format(settings.format())
                .dateFormat(settings.dateFormat())
                .buffered(settings.buffered())
                .bufferSize(settings.bufferSize())
                .flushInterval(settings.flushInterval())
                .apply();
    }

    @Override
    public void release(LogSettings settings) {
        LogConfig config = LogConfig.current();
        if (config != null) {
            config.close();
        }
    }

    @Override
    public String defaultFormat() {
        return LogFormat.defaultFormat().toString();
    }

    /**
     * Accepts what {@link LogConfig.Builder#dateFormat} accepts: a strftime pattern with
     * directives this module knows, or a {@link java.time.format.DateTimeFormatter} pattern, that
     * can format every date (a pad narrower than its field cannot). Thread-safe.
     *
     * @throws IllegalArgumentException for any other pattern, quoting it and saying what is wrong
     *                                  ({@code "'%Q' is not a date format (unsupported directive '%Q')"})
     * @throws NullPointerException     if {@code dateFormat} is null
     */
    @Override
    public void checkDateFormat(String dateFormat) {
        Objects.requireNonNull(dateFormat, "dateFormat");
        try {
            DateFormats.check(dateFormat);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + dateFormat + "' is not a date format (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Accepts a format this module can log in now: every name of {@link LogFormat#choices()}
     * except one whose module is missing ({@code journald} without
     * {@code io.aiomisc:aiomisc-systemd}). Thread-safe.
     *
     * @throws IllegalArgumentException for an unknown name, or saying which module is missing
     *                                  ({@code "journald needs io.aiomisc:aiomisc-systemd on the class path"})
     * @throws NullPointerException     if {@code format} is null
     */
    @Override
    public void checkFormat(String format) {
        Objects.requireNonNull(format, "format");
        LogFormat chosen = LogFormat.of(format);
        if (!chosen.isAvailable()) {
            throw new IllegalArgumentException(chosen + " needs " + chosen.missingModule() + " on the class path");
        }
    }
}
