package io.aiomisc.log;

import ch.qos.logback.classic.spi.ILoggingEvent;

/** aiomisc's {@code plain} format: the message alone ({@code %(message)s}), then the trace. */
final class PlainLayout extends TextLayout {
    PlainLayout() {
        super(null, false);
    }

    @Override
    void format(StringBuilder out, ILoggingEvent event) {
        out.append(event.getFormattedMessage());
    }
}
