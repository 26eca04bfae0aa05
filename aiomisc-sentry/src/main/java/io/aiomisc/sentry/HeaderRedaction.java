package io.aiomisc.sentry;

import java.util.logging.Filter;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Masks the DSN's keys in what the JDK's HTTP client logs through {@code java.util.logging}: at
 * FINE it logs every request's headers, Sentry's {@code X-Sentry-Auth} (public and secret key)
 * among them, and aiomisc-log bridges JUL into SLF4J with the levels in step, so a DEBUG root level
 * would print them. A filter on the client's JUL logger rewrites each record before any handler
 * sees it. Installed for the time a {@link SentryService} runs.
 */
final class HeaderRedaction implements Filter {
    /** The JDK's HttpURLConnection logs here (https included). */
    static final String LOGGER = "sun.net.www.protocol.http.HttpURLConnection";

    private final Logger logger;
    private final Filter previous;
    private final Redactor redactor;

    private HeaderRedaction(Logger logger, Filter previous, Redactor redactor) {
        this.logger = logger;
        this.previous = previous;
        this.redactor = redactor;
    }

    /** Installs a filter in front of the logger's own one; {@link #uninstall()} puts that back. */
    static HeaderRedaction install(Redactor redactor) {
        Logger logger = Logger.getLogger(LOGGER);
        // The JDK logs to its own logger of that name (LogManager's system context), which shares
        // its configuration with the application's logger only if that one existed when the JDK
        // first asked, and only while it lives: once it is collected, Logger.getLogger returns a
        // new, unrelated one and a filter on it would never see the JDK's records. Asking for the
        // logger on behalf of a system module (java.base) merges the two configurations again.
        System.LoggerFinder.getLoggerFinder().getLogger(LOGGER, Object.class.getModule());
        HeaderRedaction filter = new HeaderRedaction(logger, logger.getFilter(), redactor);
        logger.setFilter(filter);
        return filter;
    }

    void uninstall() {
        if (logger.getFilter() == this) {
            logger.setFilter(previous);
        }
    }

    @Override
    public boolean isLoggable(LogRecord record) {
        record.setMessage(redactor.redact(record.getMessage()));
        Object[] parameters = record.getParameters();
        if (parameters != null) {
            Object[] masked = parameters.clone();
            for (int i = 0; i < masked.length; i++) {
                if (masked[i] != null && redactor.containsSecret(String.valueOf(masked[i]))) {
                    masked[i] = redactor.redact(String.valueOf(masked[i]));
                }
            }
            record.setParameters(masked);
        }
        if (record.getThrown() != null) {
            record.setThrown(redactor.redact(record.getThrown()));
        }
        return previous == null || previous.isLoggable(record);
    }
}
