package io.aiomisc.log;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.LayoutBase;
import java.time.format.DateTimeFormatter;

/**
 * Base of the text formats: one record per line (plus its exception's trace), with an optional date
 * and ANSI colours. Immutable and thread-safe.
 */
abstract class TextLayout extends LayoutBase<ILoggingEvent> {
    /** The date format, or null for none. */
    final DateTimeFormatter dates;

    final boolean colors;

    TextLayout(DateTimeFormatter dates, boolean colors) {
        this.dates = dates;
        this.colors = colors;
    }

    @Override
    public final String doLayout(ILoggingEvent event) {
        StringBuilder out = new StringBuilder(128);
        format(out, event);
        out.append('\n');
        if (event.getThrowableProxy() != null) {
            trace(out, event);
        }
        return out.toString();
    }

    /** Appends the record's line, without the newline. */
    abstract void format(StringBuilder out, ILoggingEvent event);

    /** Appends the record's exception; by default Java's trace, in full. */
    void trace(StringBuilder out, ILoggingEvent event) {
        Traces.appendFull(out, event.getThrowableProxy());
    }

    /** Appends {@code text} in {@code color} when colours are on. */
    final StringBuilder colored(StringBuilder out, String color, String text) {
        if (colors) {
            return out.append(color).append(text).append(Ansi.RESET);
        }
        return out.append(text);
    }

    final String date(ILoggingEvent event) {
        return dates.format(event.getInstant());
    }
}
