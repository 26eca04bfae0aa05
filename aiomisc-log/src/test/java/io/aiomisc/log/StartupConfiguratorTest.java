package io.aiomisc.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusUtil;
import ch.qos.logback.core.status.WarnStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Logback's configuration before the entrypoint's: aiomisc's, unless the application has its own. */
class StartupConfiguratorTest {
    private final LoggerContext context = new LoggerContext();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(stderr, true, StandardCharsets.UTF_8);

    @AfterEach
    void stop() {
        context.stop();
        Logback.reset();
    }

    private ExecutionStatus configure(Map<String, String> env) {
        StartupConfigurator configurator = new StartupConfigurator(env, false, err);
        configurator.setContext(context);
        return configurator.configure(context);
    }

    private List<String> rootAppenders() {
        List<String> names = new ArrayList<>();
        for (Iterator<Appender<ILoggingEvent>> it = context.getLogger("ROOT").iteratorForAppenders(); it.hasNext(); ) {
            names.add(it.next().getName());
        }
        return names;
    }

    private List<String> warnings() {
        return context.getStatusManager().getCopyOfStatusList().stream()
                .filter(s -> s.getLevel() == Status.WARN)
                .map(Status::getMessage)
                .toList();
    }

    @Test
    void appliesTheEnvironmentsLevelAndFormatUnbufferedAndStopsLogbacksFallback() {
        assertEquals(
                ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY,
                configure(Map.of("AIOMISC_LOG_FORMAT", "json", "AIOMISC_LOG_LEVEL", "warning")));
        assertEquals(Level.WARN, context.getLogger("ROOT").getLevel());
        assertEquals(List.of("aiomisc-json-stdout"), rootAppenders()); // JSON on stdout, nothing else
        LogConfig applied = LogConfig.current();
        assertEquals(LogFormat.JSON, applied.format());
        assertFalse(applied.buffered(), "no writer thread only because a logger was touched");
    }

    @Test
    void withoutVariablesItIsInfoInTheDefaultFormat() {
        configure(Map.of());
        assertEquals(Level.INFO, context.getLogger("ROOT").getLevel());
        assertEquals(LogFormat.defaultFormat(), LogConfig.current().format());
        assertEquals(List.of(), warnings());
    }

    @Test
    void badVariablesAreSkippedWithAWarningNotAFailure() {
        assertEquals(
                ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY,
                configure(Map.of(
                        "AIOMISC_LOG_FORMAT", "jsn", "AIOMISC_LOG_LEVEL", "loud", "AIOMISC_LOG_DATE_FORMAT", "%Q")));
        assertEquals(Level.INFO, context.getLogger("ROOT").getLevel());
        assertEquals(LogFormat.defaultFormat(), LogConfig.current().format());
        List<String> warnings = warnings();
        assertEquals(3, warnings.size(), warnings::toString);
        assertTrue(
                warnings.get(0).contains("AIOMISC_LOG_LEVEL") && warnings.get(0).contains("loud"), warnings::toString);
        assertTrue(warnings.get(1).contains("jsn"), warnings::toString);
        assertTrue(warnings.get(2).contains("%Q"), warnings::toString);
        List<String> lines = Logback.lines(stderr);
        assertEquals(3, lines.size(), lines::toString);
        assertTrue(
                lines.get(0).startsWith("aiomisc-log: AIOMISC_LOG_LEVEL is not a log level: 'loud'"), lines::toString);
        assertTrue(
                lines.get(1).startsWith("aiomisc-log: AIOMISC_LOG_FORMAT is not a log format: 'jsn'"), lines::toString);
        assertTrue(
                lines.get(2).startsWith("aiomisc-log: AIOMISC_LOG_DATE_FORMAT is not a date format: '%Q'"),
                lines::toString);
    }

    @Test
    void aStatusListenerKeepsLogbackFromPrintingItsStatusOnStdout() {
        // Logback prints its status history on stdout after start-up unless a listener is registered
        configure(Map.of("AIOMISC_LOG_LEVEL", "loud"));
        assertTrue(StatusUtil.contextHasStatusListener(context));
    }

    @Test
    void onlyTheStartUpsWarningsAreWrittenToStderr() {
        configure(Map.of());
        context.getStatusManager().add(new WarnStatus("an appender's later trouble", this));
        assertEquals(List.of(), Logback.lines(stderr), "later statuses stay in the status manager");
    }

    @Test
    void aFormatWhoseModuleIsMissingFallsBackToTheDefault() {
        configure(Map.of("AIOMISC_LOG_FORMAT", "journald"));
        assertEquals(LogFormat.defaultFormat(), LogConfig.current().format());
        assertTrue(warnings().get(0).contains("io.aiomisc:aiomisc-systemd"), warnings()::toString);
    }

    @Test
    void stepsAsideForTheApplicationsLogbackXml() {
        // the test class path has logback-test.xml: the real check must find it
        assertTrue(StartupConfigurator.applicationConfigures(context));
        StartupConfigurator configurator = new StartupConfigurator(Map.of("AIOMISC_LOG_FORMAT", "json"), true, err);
        configurator.setContext(context);
        assertEquals(ExecutionStatus.INVOKE_NEXT_IF_ANY, configurator.configure(context));
        assertEquals(List.of(), rootAppenders());
    }

    @Test
    void logbackFindsItAsAService() throws Exception {
        assertTrue(ServiceLoader.load(ch.qos.logback.classic.spi.Configurator.class).stream()
                .anyMatch(p -> p.type() == StartupConfigurator.class));
        new ContextInitializer(context).autoConfig(); // with logback-test.xml present: that file wins
        assertTrue(context.getStatusManager().getCopyOfStatusList().stream()
                .anyMatch(s -> s.getMessage().contains("leaves logging to the application")));
    }
}
