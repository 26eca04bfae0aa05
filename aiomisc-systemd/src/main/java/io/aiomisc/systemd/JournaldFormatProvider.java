package io.aiomisc.systemd;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import io.aiomisc.log.LogConfig;
import io.aiomisc.log.LogFormat;
import io.aiomisc.log.LogFormatProvider;
import java.nio.file.Path;

/**
 * The {@code journald} log format for {@code aiomisc-log}: {@code LogFormat.of("journald")} and
 * {@code LogFormat.defaultFormat()} under systemd's journal ({@code JOURNAL_STREAM}) use it when
 * this module is on the class path. Each record is one datagram in the journal's native protocol
 * with {@code MESSAGE}, {@code PRIORITY}, {@code SYSLOG_IDENTIFIER}, {@code CODE_FILE},
 * {@code CODE_LINE}, {@code CODE_FUNC}, {@code LOGGER}, {@code THREAD}, {@code EXCEPTION} and
 * the MDC as upper-cased fields, sent to {@code JOURNAL_SOCKET} when that variable is set, else to
 * {@code /run/systemd/journal/socket}. When the journal cannot be reached, records go to standard
 * error in the {@code plain} format and one warning says why.
 *
 * <p>{@code SYSLOG_IDENTIFIER} is the program's name: the main class's simple name, or the jar's
 * name without {@code .jar} for {@code java -jar}.
 */
public final class JournaldFormatProvider implements LogFormatProvider {
    /** For {@code ServiceLoader}. */
    public JournaldFormatProvider() {}

    /** {@return {@link LogFormat#JOURNALD}} */
    @Override
    public LogFormat format() {
        return LogFormat.JOURNALD;
    }

    @Override
    public Appender<ILoggingEvent> newAppender(LogConfig config) {
        JournaldAppender appender = new JournaldAppender(
                JournaldAppender.socketPath(System.getenv()),
                identifier(System.getProperty("sun.java.command")),
                System.err);
        appender.setName("aiomisc-journald");
        return appender;
    }

    /** The program's name from the launcher's command: a main class or a jar. */
    static String identifier(String command) {
        if (command == null || command.isBlank()) {
            return "java";
        }
        String first = command.trim().split("\\s+", 2)[0];
        if (first.endsWith(".jar")) {
            String name = Path.of(first).getFileName().toString();
            return name.substring(0, name.length() - ".jar".length());
        }
        int slash = first.lastIndexOf('/'); // module/class
        String main = slash >= 0 ? first.substring(slash + 1) : first;
        int dot = main.lastIndexOf('.');
        return dot >= 0 ? main.substring(dot + 1) : main;
    }
}
