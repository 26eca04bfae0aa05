package io.aiomisc.sentry;

import io.sentry.ILogger;
import io.sentry.SentryLevel;
import java.util.IllegalFormatException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Sentry SDK's own diagnostics, into SLF4J logger {@value #NAME} with the DSN's keys masked.
 * FATAL and ERROR → ERROR, WARNING → WARN, INFO and DEBUG → DEBUG (the SDK's INFO is chatter
 * about its own setup).
 */
final class SdkLogger implements ILogger {
    /** The SLF4J logger the SDK's diagnostics go to: {@value}. */
    static final String NAME = "io.aiomisc.sentry.sdk";

    private static final Logger log = LoggerFactory.getLogger(NAME);

    private final Redactor redactor;

    SdkLogger(Redactor redactor) {
        this.redactor = redactor;
    }

    /** The lowest SDK level worth formatting, from what SLF4J would print. */
    static SentryLevel threshold() {
        return log.isDebugEnabled() ? SentryLevel.DEBUG : SentryLevel.WARNING;
    }

    @Override
    public void log(SentryLevel level, String message, Object... args) {
        if (isEnabled(level)) {
            emit(level, format(message, args), null);
        }
    }

    @Override
    public void log(SentryLevel level, String message, Throwable throwable) {
        if (isEnabled(level)) {
            emit(level, message, throwable);
        }
    }

    @Override
    public void log(SentryLevel level, Throwable throwable, String message, Object... args) {
        if (isEnabled(level)) {
            emit(level, format(message, args), throwable);
        }
    }

    @Override
    public boolean isEnabled(SentryLevel level) {
        if (level == null) {
            return false;
        }
        return switch (level) {
            case DEBUG, INFO -> log.isDebugEnabled();
            case WARNING -> log.isWarnEnabled();
            case ERROR, FATAL -> log.isErrorEnabled();
        };
    }

    private void emit(SentryLevel level, String message, Throwable throwable) {
        String text = redactor.redact(message);
        Throwable cause = redactor.redact(throwable);
        switch (level) {
            case DEBUG, INFO -> log.debug(text, cause);
            case WARNING -> log.warn(text, cause);
            default -> log.error(text, cause);
        }
    }

    private static String format(String message, Object... args) {
        if (message == null) {
            return "";
        }
        if (args == null || args.length == 0) {
            return message;
        }
        try {
            return String.format(message, args);
        } catch (IllegalFormatException e) {
            return message;
        }
    }
}
