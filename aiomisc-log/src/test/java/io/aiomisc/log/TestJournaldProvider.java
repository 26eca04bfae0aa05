package io.aiomisc.log;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.EncoderBase;
import java.nio.charset.StandardCharsets;

/**
 * A stand-in for aiomisc-systemd's journald format, for child JVMs of the tests (registered only
 * on their class path): writes {@code journal: <message>} lines to standard error.
 */
public final class TestJournaldProvider implements LogFormatProvider {
    @Override
    public LogFormat format() {
        return LogFormat.JOURNALD;
    }

    @Override
    public Appender<ILoggingEvent> newAppender(LogConfig config) {
        OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
        appender.setName("test-journald");
        appender.setEncoder(new EncoderBase<>() {
            @Override
            public byte[] headerBytes() {
                return null;
            }

            @Override
            public byte[] encode(ILoggingEvent event) {
                return ("journal: " + event.getFormattedMessage() + "\n").getBytes(StandardCharsets.UTF_8);
            }

            @Override
            public byte[] footerBytes() {
                return null;
            }
        });
        appender.setOutputStream(System.err);
        return appender;
    }
}
