package io.aiomisc.log;

import ch.qos.logback.classic.spi.ILoggingEvent;
import java.time.format.DateTimeFormatter;

/**
 * aiomisc's {@code color} format (colorlog): {@code date [T:thread] LEVEL:logger: message}, the date
 * bold white on black, the thread blue, level and logger in the level's colour (debug cyan, info
 * green, warning yellow, error red, critical red on white), the message bold from warning up.
 * Without colours (standard error is not a terminal) the same text with no escape codes.
 */
final class ColorLayout extends TextLayout {
    ColorLayout(DateTimeFormatter dates, boolean colors) {
        super(dates, colors);
    }

    @Override
    void format(StringBuilder out, ILoggingEvent event) {
        Severity severity = Severity.of(event);
        colored(out, Ansi.BOLD_WHITE_ON_BLACK, date(event)).append(' ');
        colored(out, Ansi.BLUE, "[T:" + event.getThreadName() + "]").append(' ');
        colored(out, Ansi.of(severity), severity.pythonName() + ":" + event.getLoggerName())
                .append(": ");
        boolean loud = severity.ordinal() <= Severity.WARNING.ordinal();
        if (colors && loud) {
            colored(out, Ansi.BOLD, event.getFormattedMessage());
        } else {
            out.append(event.getFormattedMessage());
        }
    }
}
