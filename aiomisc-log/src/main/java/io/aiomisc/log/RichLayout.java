package io.aiomisc.log;

import ch.qos.logback.classic.spi.ILoggingEvent;
import java.time.format.DateTimeFormatter;

/**
 * aiomisc's {@code rich} and {@code rich_tb} formats, after the rich library's log handler:
 * columns {@code [time] LEVEL    message ... File.java:42}, the source location right-aligned to
 * the terminal's width ({@code COLUMNS}, default 120), continuation lines indented under the
 * message. {@code rich} prints an exception's Java trace in full; {@code rich_tb} renders it as
 * rich's traceback panel: every exception of the chain in a box, most recent call last. Colours
 * only when they are on.
 */
final class RichLayout extends TextLayout {
    private static final int LEVEL_WIDTH = 8;

    private final boolean tracebacks;
    private final int width;

    RichLayout(DateTimeFormatter dates, boolean colors, boolean tracebacks, int width) {
        super(dates, colors);
        this.tracebacks = tracebacks;
        this.width = width;
    }

    @Override
    void format(StringBuilder out, ILoggingEvent event) {
        Severity severity = Severity.of(event);
        String time = "[" + date(event) + "] ";
        colored(out, Ansi.CYAN, time);
        String level = pad(severity.pythonName(), LEVEL_WIDTH);
        colored(out, Ansi.of(severity), level);
        int indent = time.length() + level.length();
        String location = location(event);
        String[] lines = event.getFormattedMessage().split("\n", -1);
        out.append(lines[0]);
        int used = indent + lines[0].length();
        if (location != null) {
            int gap = Math.max(2, width - used - location.length());
            out.append(" ".repeat(gap));
            colored(out, "\u001b[2m", location);
        }
        for (int i = 1; i < lines.length; i++) {
            out.append('\n').append(" ".repeat(indent)).append(lines[i]);
        }
    }

    @Override
    void trace(StringBuilder out, ILoggingEvent event) {
        if (tracebacks) {
            Traces.appendBoxed(out, event.getThrowableProxy(), colors);
        } else {
            Traces.appendFull(out, event.getThrowableProxy());
        }
    }

    private static String location(ILoggingEvent event) {
        StackTraceElement caller = Callers.of(event);
        if (caller == null) {
            return null;
        }
        String file = caller.getFileName() != null ? caller.getFileName() : caller.getClassName();
        return caller.getLineNumber() > 0 ? file + ":" + caller.getLineNumber() : file;
    }

    private static String pad(String text, int width) {
        return text.length() >= width ? text + " " : text + " ".repeat(width - text.length());
    }
}
