package io.aiomisc.sentry;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import ch.qos.logback.classic.Logger;
import io.sentry.Sentry;
import org.slf4j.LoggerFactory;

/**
 * The JVM-wide state a {@link SentryService} touches (the Sentry SDK, the root logger's appenders,
 * the JDK HTTP client's JUL filter), for tests that check it is left as found.
 */
final class SentryState {
    static final String APPENDER = "aiomisc-sentry";

    private SentryState() {}

    static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    static boolean appenderAttached() {
        return root().getAppender(APPENDER) != null;
    }

    /** The filter on the JUL logger of the JDK's HttpURLConnection. */
    static java.util.logging.Filter julFilter() {
        return java.util.logging.Logger.getLogger(HeaderRedaction.LOGGER).getFilter();
    }

    /**
     * Fails if a test left Sentry initialised, our appender attached or a filter on the JUL
     * logger, after putting all of that right so the next test starts clean.
     */
    static void assertReleased() {
        boolean enabled = Sentry.isEnabled();
        boolean attached = appenderAttached();
        java.util.logging.Filter filter = julFilter();
        if (enabled) {
            Sentry.close();
        }
        if (attached) {
            root().detachAppender(APPENDER);
        }
        if (filter != null) {
            java.util.logging.Logger.getLogger(HeaderRedaction.LOGGER).setFilter(null);
        }
        assertAll(
                () -> assertFalse(enabled, "Sentry left initialised"),
                () -> assertFalse(attached, "appender " + APPENDER + " left on the root logger"),
                () -> assertNull(filter, "JUL filter left on " + HeaderRedaction.LOGGER));
    }
}
