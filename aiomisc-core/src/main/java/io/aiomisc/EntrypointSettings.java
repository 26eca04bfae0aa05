package io.aiomisc;

import io.aiomisc.plugin.LogSettings;
import java.time.Duration;

/**
 * An entrypoint's resolved configuration: builder values, else environment variables, else the
 * built-in defaults. Immutable.
 */
record EntrypointSettings(
        int poolSize,
        LogSettings log,
        boolean logConfig,
        boolean debug,
        boolean catchSignals,
        Duration shutdownTimeout) {
}
