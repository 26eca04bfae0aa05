package io.aiomisc.sentry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The JUL filter reaches the logger the JDK's HTTP client really logs to. */
class HeaderRedactionTest {
    @Test
    void theJdksOwnLoggerIsFilteredAfterTheApplicationsLoggerOfThatNameWasCollected() {
        // the JDK asks for its logger (as HttpURLConnection does, for module java.base) while an
        // application logger of that name exists: the two share a configuration...
        WeakReference<Logger> first = new WeakReference<>(Logger.getLogger(HeaderRedaction.LOGGER));
        first.get().setLevel(Level.FINEST);
        System.Logger jdk =
                System.LoggerFinder.getLoggerFinder().getLogger(HeaderRedaction.LOGGER, Object.class.getModule());
        // ...until the application's one is collected (unless it is the JDK's own, kept by the JDK)
        boolean collected;
        try {
            Awaitility.await()
                    .atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> {
                        System.gc();
                        return first.get() == null;
                    });
            collected = true;
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            collected = false;
        }
        Assumptions.assumeTrue(collected, "the application's logger is the JDK's own here: nothing to lose");

        List<LogRecord> records = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (HeaderRedaction.LOGGER.equals(record.getLoggerName())) {
                    records.add(record);
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger root = Logger.getLogger("");
        root.addHandler(capture);
        HeaderRedaction redaction = HeaderRedaction.install(new Redactor(List.of("s3kr1t")));
        Logger current = Logger.getLogger(HeaderRedaction.LOGGER);
        try {
            current.setLevel(Level.FINEST);
            jdk.log(System.Logger.Level.DEBUG, "{X-Sentry-Auth: Sentry sentry_key=pub,sentry_secret=s3kr1t}");
        } finally {
            redaction.uninstall();
            current.setLevel(null);
            root.removeHandler(capture);
        }
        assertEquals(1, records.size(), "the JDK's record did not reach the root handlers");
        assertTrue(
                records.getFirst().getMessage().contains("sentry_secret=***"),
                records.getFirst().getMessage());
    }
}
