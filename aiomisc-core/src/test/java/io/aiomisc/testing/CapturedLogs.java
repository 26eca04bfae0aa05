package io.aiomisc.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Collects what one logger (and its children) logs while open, for tests that check log output. */
public final class CapturedLogs implements AutoCloseable {
    private final Logger logger;
    private final Level previousLevel;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    private CapturedLogs(Class<?> source, Level level) {
        this.logger = (Logger) LoggerFactory.getLogger(source);
        this.previousLevel = logger.getLevel();
        logger.setLevel(level);
        appender.start();
        logger.addAppender(appender);
    }

    /** Captures INFO and above from {@code source}'s logger. */
    public static CapturedLogs of(Class<?> source) {
        return new CapturedLogs(source, Level.INFO);
    }

    /** Captures {@code level} and above from {@code source}'s logger. */
    public static CapturedLogs of(Class<?> source, Level level) {
        return new CapturedLogs(source, level);
    }

    /** The captured events so far. */
    public List<ILoggingEvent> events() {
        synchronized (appender.list) {
            return List.copyOf(appender.list);
        }
    }

    /** True if some captured message at {@code level} contains {@code text}. */
    public boolean contains(Level level, String text) {
        return events().stream()
                .anyMatch(e -> e.getLevel() == level && e.getFormattedMessage().contains(text));
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        logger.setLevel(previousLevel);
        appender.stop();
    }
}
