package io.aiomisc.log;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.joran.spi.JoranException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Test helpers: put Logback back as logback-test.xml configures it, read captured output. */
final class Logback {
    private Logback() {}

    /** Stops every appender (writing what they buffered) and configures Logback from scratch. */
    static void reset() {
        LoggerContext context = LogConfig.loggerContext();
        context.reset();
        try {
            new ContextInitializer(context).autoConfig();
        } catch (JoranException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The appenders on the root logger now. */
    static List<Appender<ILoggingEvent>> rootAppenders() {
        List<Appender<ILoggingEvent>> appenders = new ArrayList<>();
        LogConfig.loggerContext()
                .getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)
                .iteratorForAppenders()
                .forEachRemaining(appenders::add);
        return appenders;
    }

    /** The lines written to {@code out} so far. */
    static List<String> lines(ByteArrayOutputStream out) {
        String text = out.toString(StandardCharsets.UTF_8);
        return text.isEmpty() ? List.of() : Arrays.asList(text.split("\n")); // a trailing newline adds no line
    }
}
