package io.aiomisc.systemd;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;

/** Logback records for the journald tests, from a private context (the global one is left alone). */
final class SjEvents {
    private SjEvents() {}

    /** A started context of its own, with an MDC adapter. */
    static LoggerContext context() {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        context.start();
        return context;
    }

    /** A record of {@code level} from logger {@code sj.logger} on thread {@code sj-thread}, without a caller. */
    static LoggingEvent event(LoggerContext context, Level level, String message, Throwable thrown) {
        LoggingEvent event = new LoggingEvent(
                SjEvents.class.getName(), context.getLogger("sj.logger"), level, message, thrown, null);
        event.setThreadName("sj-thread");
        event.setCallerData(new StackTraceElement[0]);
        return event;
    }
}
