package io.aiomisc.log;

import ch.qos.logback.classic.spi.ILoggingEvent;
import java.time.format.DateTimeFormatter;

/**
 * aiomisc's {@code stream} format, Python's default: {@code LEVEL:logger:message}, preceded by the
 * date and a space when a date format is given.
 */
final class StreamLayout extends TextLayout {
    StreamLayout(DateTimeFormatter dates) {
        super(dates, false);
    }

    @Override
    void format(StringBuilder out, ILoggingEvent event) {
        if (dates != null) {
            out.append(date(event)).append(' ');
        }
        out.append(Severity.of(event).pythonName())
                .append(':')
                .append(event.getLoggerName())
                .append(':')
                .append(event.getFormattedMessage());
    }
}
