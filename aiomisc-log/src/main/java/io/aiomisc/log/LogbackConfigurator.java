package io.aiomisc.log;

import io.aiomisc.plugin.LogConfigurator;
import io.aiomisc.plugin.LogSettings;

/**
 * The entrypoint's logging, through core's {@link LogConfigurator} service: an entrypoint whose
 * {@code logConfig} option is on (the default) applies its {@code log*} options here at start, and
 * at close writes everything buffered and leaves logging unbuffered. Found by
 * {@link java.util.ServiceLoader}; there is nothing to call.
 */
public final class LogbackConfigurator implements LogConfigurator {
    /** For {@link java.util.ServiceLoader}. */
    public LogbackConfigurator() {
    }

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
}
