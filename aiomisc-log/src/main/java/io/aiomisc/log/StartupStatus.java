package io.aiomisc.log;

import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusListener;
import java.io.PrintStream;

/**
 * Logback's status while {@link StartupConfigurator} configures it: each warning and error as one
 * line on standard error ({@code aiomisc-log: AIOMISC_LOG_LEVEL is not a log level: 'loud' ...}),
 * the rest kept in the status manager only. Silent once the configuration is done, so that a
 * failing appender later does not write a line per record.
 *
 * <p>Why it exists: when no status listener is registered, Logback prints its whole status
 * history on standard output after its start-up if any warning was among it — a block of INFO
 * lines that corrupts a JSON log stream. Registering this listener is what stops that (and spares
 * the start-up the date formatting the printer sets up).
 *
 * <p>Thread-safe.
 */
final class StartupStatus implements StatusListener {
    private final PrintStream err;
    private volatile boolean reporting = true;

    /** @param err where to write; null for {@code System.err} at the time of each line */
    StartupStatus(PrintStream err) {
        this.err = err;
    }

    @Override
    public void addStatusEvent(Status status) {
        if (!reporting || status.getLevel() < Status.WARN) {
            return;
        }
        Throwable cause = status.getThrowable();
        (err != null ? err : System.err)
                .println("aiomisc-log: " + status.getMessage() + (cause != null ? " (" + cause + ")" : ""));
    }

    /** Stops writing; later statuses go to the status manager only. Idempotent. */
    void done() {
        reporting = false;
    }
}
