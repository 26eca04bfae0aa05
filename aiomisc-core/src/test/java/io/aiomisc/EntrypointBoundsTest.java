package io.aiomisc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiomisc.plugin.LogConfigurator;
import io.aiomisc.plugin.LogSettings;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 11, defects 7 and 8: every {@code AIOMISC_*} value and builder option is checked against
 * its bounds in {@code build()}, at once, naming the variable or option.
 */
class EntrypointBoundsTest {
    private static final Duration AT_ONCE = Duration.ofSeconds(1);

    private static IllegalArgumentException buildFails(Map<String, String> env) {
        return assertTimeoutPreemptively(
                AT_ONCE,
                () -> assertThrows(IllegalArgumentException.class, () -> Entrypoint.builder(env)
                        .catchSignals(false)
                        .logConfig(false)
                        .build()));
    }

    private static void assertMentions(Throwable thrown, String... parts) {
        for (String part : parts) {
            assertTrue(thrown.getMessage().contains(part), thrown.getMessage());
        }
    }

    @ParameterizedTest
    @CsvSource({
        "AIOMISC_LOG_BUFFER, 268435457",
        "AIOMISC_LOG_BUFFER, 100000000",
        "AIOMISC_LOG_BUFFER, 1048577",
        "AIOMISC_LOG_BUFFER, 99999999999",
        "AIOMISC_LOG_BUFFER_SIZE, 100000000",
    })
    void aLogBufferAboveTheBoundFailsBuildNamingTheVariable(String variable, String value) {
        assertMentions(buildFails(Map.of(variable, value)), variable, value, "1048576");
    }

    @Test
    void aLogBufferAtTheBoundIsAccepted() {
        Entrypoint ep = Entrypoint.builder(Map.of("AIOMISC_LOG_BUFFER", "1048576"))
                .catchSignals(false)
                .logConfig(false)
                .build();
        assertEquals(LogSettings.MAX_BUFFER_SIZE, ep.logSettings().bufferSize());
    }

    @Test
    void theLogBufferSizeSetterHasTheSameBound() {
        assertMentions(
                assertThrows(IllegalArgumentException.class, () -> Entrypoint.builder(Map.of())
                        .logBufferSize(100_000_000)),
                "logBufferSize",
                "100000000",
                "1048576");
        assertMentions(
                assertThrows(IllegalArgumentException.class, () -> Entrypoint.builder(Map.of())
                        .logBufferSize(LogSettings.MAX_BUFFER_SIZE + 1)),
                "logBufferSize");
        assertEquals(
                LogSettings.MAX_BUFFER_SIZE,
                Entrypoint.builder(Map.of())
                        .catchSignals(false)
                        .logConfig(false)
                        .logBufferSize(LogSettings.MAX_BUFFER_SIZE)
                        .build()
                        .logSettings()
                        .bufferSize());
    }

    @ParameterizedTest
    @CsvSource({
        "AIOMISC_SHUTDOWN_TIMEOUT, 1e50000000",
        "AIOMISC_SHUTDOWN_TIMEOUT, -1e50000000",
        "AIOMISC_SHUTDOWN_TIMEOUT, 1e-30000000",
        "AIOMISC_SHUTDOWN_TIMEOUT, 86401",
        "AIOMISC_SHUTDOWN_TIMEOUT, P2D",
        "AIOMISC_SHUTDOWN_TIMEOUT, PT9999999999999999999H",
        "AIOMISC_LOG_FLUSH, 1e-30000000",
        "AIOMISC_LOG_FLUSH, 1e50000000",
        "AIOMISC_LOG_FLUSH, 1e-9",
        "AIOMISC_LOG_FLUSH, 0.0009",
        "AIOMISC_LOG_FLUSH, PT0.000001S",
        "AIOMISC_LOG_FLUSH, 3601",
        "AIOMISC_LOG_FLUSH, PT2H",
    })
    void aDurationOutOfRangeFailsBuildAtOnceNamingTheVariable(String variable, String value) {
        assertMentions(buildFails(Map.of(variable, value)), variable, value);
    }

    @Test
    void aDurationBelowOneNanosecondIsRejectedNotRoundedToZero() {
        assertMentions(
                buildFails(Map.of("AIOMISC_SHUTDOWN_TIMEOUT", "1e-30000000")),
                "AIOMISC_SHUTDOWN_TIMEOUT",
                "not between 0 and 1 ns");
    }

    @Test
    void anOverlongDurationFailsBuildAtOnce() {
        String value = "1" + "0".repeat(EnvironmentDefaults.MAX_DURATION_LENGTH);
        assertMentions(
                buildFails(Map.of("AIOMISC_SHUTDOWN_TIMEOUT", value)), "AIOMISC_SHUTDOWN_TIMEOUT", "64 characters");
    }

    @ParameterizedTest
    @CsvSource({
        "0.001, PT0.001S",
        "1e-3, PT0.001S",
        "3600, PT1H",
        "PT1H, PT1H",
        "0.0010000000009, PT0.001S",
    })
    void flushIntervalsWithinTheBoundsAreAccepted(String value, String expected) {
        Entrypoint ep = Entrypoint.builder(Map.of("AIOMISC_LOG_FLUSH", value))
                .catchSignals(false)
                .logConfig(false)
                .build();
        assertEquals(Duration.parse(expected), ep.logSettings().flushInterval());
    }

    @ParameterizedTest
    @CsvSource({"0, PT0S", "86400, PT24H", "P1D, PT24H", "1.5e2, PT2M30S", "1e-9, PT0.000000001S"})
    void shutdownTimeoutsWithinTheBoundsAreAccepted(String value, String expected) {
        Entrypoint ep = Entrypoint.builder(Map.of("AIOMISC_SHUTDOWN_TIMEOUT", value))
                .catchSignals(false)
                .logConfig(false)
                .build();
        assertEquals(Duration.parse(expected), ep.shutdownTimeout());
    }

    @Test
    void theDurationSettersHaveTheSameBounds() {
        assertMentions(
                assertThrows(IllegalArgumentException.class, () -> Entrypoint.builder(Map.of())
                        .logFlushInterval(Duration.ofNanos(1))),
                "logFlushInterval",
                "PT0.000000001S");
        assertMentions(
                assertThrows(IllegalArgumentException.class, () -> Entrypoint.builder(Map.of())
                        .logFlushInterval(Duration.ofHours(2))),
                "logFlushInterval");
        assertMentions(
                assertThrows(IllegalArgumentException.class, () -> Entrypoint.builder(Map.of())
                        .shutdownTimeout(Duration.ofDays(2))),
                "shutdownTimeout",
                "PT48H");
        Entrypoint ep = Entrypoint.builder(Map.of())
                .catchSignals(false)
                .logConfig(false)
                .logFlushInterval(LogSettings.MIN_FLUSH_INTERVAL)
                .shutdownTimeout(Duration.ofDays(1))
                .build();
        assertEquals(Duration.ofMillis(1), ep.logSettings().flushInterval());
        assertEquals(Duration.ofDays(1), ep.shutdownTimeout());
    }

    @Test
    void logSettingsHaveTheSameBounds() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new LogSettings("info", "plain", null, true, 1 << 21, Duration.ofMillis(200)));
        assertThrows(
                IllegalArgumentException.class,
                () -> new LogSettings("info", "plain", null, true, 1024, Duration.ofNanos(1)));
    }

    /** A logging module that knows no journald: the default SPI answer for it is overridden. */
    private static final class NoJournald implements LogConfigurator {
        final AtomicReference<LogSettings> configured = new AtomicReference<>();

        @Override
        public void configure(LogSettings settings) {
            configured.set(settings);
        }

        @Override
        public void release(LogSettings settings) {}

        @Override
        public String defaultFormat() {
            return "plain";
        }

        @Override
        public void checkFormat(String format) {
            if (format.equals("journald")) {
                throw new IllegalArgumentException("journald needs io.aiomisc:aiomisc-systemd on the class path");
            }
        }

        @Override
        public void checkDateFormat(String dateFormat) {
            if (dateFormat.contains("%Q")) {
                throw new IllegalArgumentException("unsupported directive '%Q'");
            }
        }
    }

    @Test
    void aLogFormatTheLoggingModuleCannotServeFailsBuildNamingTheVariableAndTheMissingModule() {
        NoJournald module = new NoJournald();
        IllegalArgumentException thrown = assertThrows(
                IllegalArgumentException.class, () -> Entrypoint.builder(Map.of("AIOMISC_LOG_FORMAT", "journald"))
                        .catchSignals(false)
                        .logConfigurator(module)
                        .build());
        assertMentions(thrown, "AIOMISC_LOG_FORMAT", "journald", "aiomisc-systemd");
        assertMentions(
                assertThrows(IllegalArgumentException.class, () -> Entrypoint.builder(Map.of())
                        .catchSignals(false)
                        .logConfigurator(module)
                        .logFormat("journald")
                        .build()),
                "logFormat",
                "aiomisc-systemd");
        // the value is used only when the entrypoint configures logging
        Entrypoint.builder(Map.of("AIOMISC_LOG_FORMAT", "journald"))
                .catchSignals(false)
                .logConfigurator(module)
                .logConfig(false)
                .build();
    }

    @Test
    void aBadDateFormatFailsBuildWhenTheConfigIsTurnedOnByTheEnvironment() {
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class, () -> Entrypoint.builder(
                        Map.of("AIOMISC_LOG_DATE_FORMAT", "%Q", "AIOMISC_LOG_CONFIG", "yes"))
                .catchSignals(false)
                .logConfigurator(new NoJournald())
                .build());
        assertMentions(thrown, "AIOMISC_LOG_DATE_FORMAT", "%Q");
    }

    @Test
    void theDefaultFormatCheckAcceptsTheNamesCoreKnowsAndNothingElse() {
        LogConfigurator plain = new LogConfigurator() {
            @Override
            public void configure(LogSettings settings) {}

            @Override
            public void release(LogSettings settings) {}

            @Override
            public String defaultFormat() {
                return "plain";
            }
        };
        plain.checkFormat("journald");
        plain.checkFormat("rich-tb");
        assertThrows(IllegalArgumentException.class, () -> plain.checkFormat("xml"));
    }
}
