package io.aiomisc.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LogConfigTest {
    private static final org.slf4j.Logger log = LoggerFactory.getLogger("io.aiomisc.test.config");

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @AfterEach
    void reset() {
        Logback.reset();
    }

    @Test
    void theLevelFiltersRecords() {
        LogConfig config = LogConfig.builder()
                .level("warning")
                .format("plain")
                .buffered(false)
                .target(out)
                .apply();
        log.debug("debug");
        log.info("info");
        log.warn("warning");
        log.error("error");
        assertEquals(List.of("warning", "error"), Logback.lines(out));
        assertEquals("warning", config.level());
    }

    @Test
    void criticalLetsOnlyCriticalRecordsThroughAndNotsetLetsEverythingThrough() {
        LogConfig.builder()
                .level("CRITICAL")
                .format("plain")
                .buffered(false)
                .target(out)
                .apply();
        log.error("error");
        log.error(Severity.CRITICAL_MARKER, "critical");
        assertEquals(List.of("critical"), Logback.lines(out));

        out.reset();
        LogConfig.builder()
                .level("notset")
                .format("plain")
                .buffered(false)
                .target(out)
                .apply();
        log.trace("trace");
        log.debug("debug");
        assertEquals(List.of("trace", "debug"), Logback.lines(out));
    }

    @Test
    void applyingReplacesTheRootAppendersAndApplyingAgainIsSafe() {
        List<Appender<ILoggingEvent>> before = Logback.rootAppenders();
        assertFalse(before.isEmpty(), "logback-test.xml's appender");
        LogConfig first = LogConfig.builder().format("plain").target(out).apply();
        assertEquals(first.appenders(), Logback.rootAppenders());
        assertFalse(before.get(0).isStarted(), "the replaced appender is stopped");
        log.info("one");
        ByteArrayOutputStream second = new ByteArrayOutputStream();
        LogConfig again = LogConfig.builder().format("stream").target(second).apply();
        log.info("two");
        again.close();
        assertEquals(List.of("one"), Logback.lines(out), "the first configuration wrote what it buffered, once");
        assertEquals(List.of("INFO:io.aiomisc.test.config:two"), Logback.lines(second));
        assertSame(again, LogConfig.current());
        assertEquals(again.appenders(), Logback.rootAppenders());
        assertTrue(again.appenders().get(0) instanceof BufferedAppender);
    }

    @Test
    void closeWritesEverythingAndLeavesLoggingUnbuffered() {
        LogConfig config = LogConfig.builder()
                .format("plain")
                .flushInterval(Duration.ofHours(1))
                .target(out)
                .apply();
        log.info("buffered");
        assertEquals(List.of(), Logback.lines(out));
        config.close();
        assertEquals(List.of("buffered"), Logback.lines(out));
        log.info("direct");
        assertEquals(List.of("buffered", "direct"), Logback.lines(out));
        config.close();
    }

    @Test
    void javaUtilLoggingIsBridgedWithItsLevels() {
        LogConfig.builder().format("stream").buffered(false).target(out).apply();
        java.util.logging.Logger jul = java.util.logging.Logger.getLogger("io.aiomisc.test.jul");
        jul.info("from jul");
        jul.fine("too fine");
        jul.warning("careful");
        assertEquals(
                List.of("INFO:io.aiomisc.test.jul:from jul", "WARNING:io.aiomisc.test.jul:careful"),
                Logback.lines(out));
        assertFalse(
                jul.isLoggable(java.util.logging.Level.FINE),
                "JUL's levels follow Logback's: a disabled call is cheap");
    }

    @Test
    void uncaughtExceptionsOfAnyThreadGoToTheUnhandledLogger() throws Exception {
        LogConfig.builder().format("stream").buffered(false).target(out).apply();
        Thread thread = Thread.ofPlatform().name("doomed").start(() -> {
            throw new IllegalStateException("nobody caught me");
        });
        thread.join();
        Thread virtual = Thread.ofVirtual().name("doomed-virtual").start(() -> {
            throw new IllegalArgumentException("nor me");
        });
        virtual.join();
        Awaitility.await()
                .until(() -> Logback.lines(out).stream()
                                .filter(l -> l.startsWith("ERROR:unhandled:"))
                                .count()
                        == 2);
        List<String> lines = Logback.lines(out);
        assertTrue(lines.contains("ERROR:unhandled:Unhandled exception in thread \"doomed\""), lines::toString);
        assertTrue(lines.contains("java.lang.IllegalStateException: nobody caught me"), lines::toString);
        assertTrue(lines.contains("java.lang.IllegalArgumentException: nor me"), lines::toString);
    }

    @Test
    void badSettingsAreRejectedNamingTheValue() {
        assertMessage("loud", () -> LogConfig.builder().level("loud"));
        assertMessage("xml", () -> LogConfig.builder().format("xml"));
        assertMessage("%Q", () -> LogConfig.builder().dateFormat("%Q"));
        assertMessage("0", () -> LogConfig.builder().bufferSize(0));
        assertMessage("PT0S", () -> LogConfig.builder().flushInterval(Duration.ZERO));
        assertMessage("PT-1S", () -> LogConfig.builder().maxWait(Duration.ofSeconds(-1)));
        assertThrows(NullPointerException.class, () -> LogConfig.builder().target(null));
    }

    /** Issue 11, defects 7 and 8: a direct LogConfig user meets the entrypoint's bounds. */
    @Test
    void bufferSizeAndFlushIntervalHaveTheEntrypointsBounds() {
        assertMessage("100000000", () -> LogConfig.builder().bufferSize(100_000_000));
        assertMessage("1048577", () -> LogConfig.builder().bufferSize(1_048_577));
        assertMessage("PT0.000000001S", () -> LogConfig.builder().flushInterval(Duration.ofNanos(1)));
        assertMessage("PT2H", () -> LogConfig.builder().flushInterval(Duration.ofHours(2)));
        LogConfig.builder().bufferSize(1 << 20).flushInterval(Duration.ofMillis(1));
    }

    @Test
    void theConfiguratorRejectsAFormatWhoseModuleIsMissing() {
        LogbackConfigurator configurator = new LogbackConfigurator();
        assertMessage(
                "journald needs io.aiomisc:aiomisc-systemd on the class path",
                () -> configurator.checkFormat("journald"));
        assertMessage("xml", () -> configurator.checkFormat("xml"));
        for (String format : LogFormat.choices()) {
            if (!format.equals("journald")) {
                configurator.checkFormat(format);
            }
        }
    }

    private static void assertMessage(String value, org.junit.jupiter.api.function.Executable executable) {
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class, executable);
        assertTrue(thrown.getMessage().contains(value), thrown.getMessage());
    }

    @Test
    void basicConfigTakesAiomiscsArguments() {
        ch.qos.logback.core.read.ListAppender<ILoggingEvent> extra = new ch.qos.logback.core.read.ListAppender<>();
        extra.setName("extra");
        LogConfig config =
                LogConfig.basicConfig("debug", LogFormat.DISABLED, true, 16, Duration.ofMillis(50), "%H:%M", extra);
        log.debug("to the extra appender");
        Awaitility.await().until(() -> extra.list.size() == 1);
        assertEquals("debug", config.level());
        assertEquals(LogFormat.DISABLED, config.format());
        assertEquals(16, config.bufferSize());
        assertEquals("%H:%M", config.dateFormat());
        config.close();
        assertTrue(config.toString().contains("format=disabled"), config.toString());
    }

    @Test
    void anExtraAppenderGivenToSeveralConfigurationsKeepsWorking() {
        ch.qos.logback.core.read.ListAppender<ILoggingEvent> extra = new ch.qos.logback.core.read.ListAppender<>();
        extra.setName("extra");
        LogConfig.builder().format(LogFormat.DISABLED).appenders(extra).apply();
        log.info("one");
        LogConfig.builder()
                .format(LogFormat.DISABLED)
                .buffered(false)
                .appenders(extra)
                .apply();
        log.info("two");
        LogConfig last =
                LogConfig.builder().format(LogFormat.DISABLED).appenders(extra).apply();
        log.info("three");
        last.close();
        assertTrue(extra.isStarted());
        assertEquals(
                List.of("one", "two", "three"),
                extra.list.stream().map(ILoggingEvent::getFormattedMessage).toList());
    }
}
