package io.aiomisc;

import static io.aiomisc.testing.TestEntrypoints.builder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiomisc.plugin.LogSettings;
import io.aiomisc.thread.ThreadPool;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EntrypointConfigurationTest {

    @Test
    void nullServiceIsANullPointerExceptionNamingItsIndex() {
        Service ok = new Recorder().service("ok");
        NullPointerException thrown = assertThrows(
                NullPointerException.class, () -> Entrypoint.builder().services(ok, null));
        assertTrue(thrown.getMessage().contains("services[1]"), thrown.getMessage());
    }

    @Test
    void sameServiceTwiceIsAnIllegalArgument() {
        Service svc = new Recorder().service("twice");
        IllegalArgumentException thrown = assertThrows(
                IllegalArgumentException.class, () -> Entrypoint.builder().services(svc, svc));
        assertTrue(thrown.getMessage().contains("twice"), thrown.getMessage());
    }

    @Test
    void negativeOrZeroPoolSizeIsAnIllegalArgument() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Entrypoint.builder()
                        .poolSize(-1))
                .getMessage()
                .contains("poolSize"));
        assertThrows(IllegalArgumentException.class, () -> Entrypoint.builder().poolSize(0));
    }

    @Test
    void negativeTimeoutsAreIllegalArguments() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Entrypoint.builder()
                        .shutdownTimeout(Duration.ofSeconds(-1)))
                .getMessage()
                .contains("shutdownTimeout"));
        assertThrows(IllegalArgumentException.class, () -> Entrypoint.builder().logFlushInterval(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> Entrypoint.builder().logBufferSize(0));
    }

    @Test
    void unknownLogLevelOrFormatIsAnIllegalArgument() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Entrypoint.builder()
                        .logLevel("loud"))
                .getMessage()
                .contains("loud"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Entrypoint.builder()
                        .logFormat("xml"))
                .getMessage()
                .contains("xml"));
    }

    @Test
    void startingTwiceIsAnIllegalState() throws Exception {
        try (Entrypoint ep = builder().start()) {
            assertThrows(IllegalStateException.class, ep::start);
        }
    }

    @Test
    void startingAfterCloseIsAnIllegalState() throws Exception {
        Entrypoint ep = builder().build();
        ep.close();
        assertTrue(ep.isClosed());
        assertThrows(IllegalStateException.class, ep::start);
    }

    @Test
    void runForeverBeforeStartIsAnIllegalState() {
        Entrypoint ep = builder().build();
        assertThrows(IllegalStateException.class, ep::runForever);
        assertThrows(IllegalStateException.class, () -> ep.runUntilComplete(() -> 1));
        assertThrows(IllegalStateException.class, () -> ep.createTask(() -> 1));
        assertThrows(IllegalStateException.class, ep::threadPool);
    }

    @Test
    void currentOutsideAnEntrypointIsAnIllegalState() {
        IllegalStateException thrown = assertThrows(IllegalStateException.class, Entrypoint::current);
        assertTrue(thrown.getMessage().contains("no current entrypoint"));
    }

    @Test
    void defaultsWithoutEnvironment() {
        Entrypoint ep = Entrypoint.builder(Map.of()).catchSignals(false).build();
        LogSettings log = ep.logSettings();
        assertEquals("info", log.level());
        assertTrue(log.buffered());
        assertEquals(1024, log.bufferSize());
        assertEquals(Duration.ofMillis(200), log.flushInterval());
        assertEquals(Duration.ofSeconds(60), ep.shutdownTimeout());
        assertEquals(Math.min(Math.max(Runtime.getRuntime().availableProcessors(), 4), 32), ThreadPool.DEFAULT_SIZE);
    }

    @Test
    void environmentVariablesProvideDefaults() throws Exception {
        Map<String, String> env = Map.of(
                "AIOMISC_LOG_LEVEL", "debug",
                "AIOMISC_LOG_FORMAT", "json",
                "AIOMISC_LOG_DATE_FORMAT", "HH:mm",
                "AIOMISC_LOG_FLUSH", "0.5",
                "AIOMISC_LOG_BUFFERING", "off",
                "AIOMISC_LOG_BUFFER", "16",
                "AIOMISC_POOL_SIZE", "2",
                "AIOMISC_SHUTDOWN_TIMEOUT", "PT3S");
        Entrypoint ep =
                Entrypoint.builder(env).catchSignals(false).logConfig(false).build();
        assertEquals(new LogSettings("debug", "json", "HH:mm", false, 16, Duration.ofMillis(500)), ep.logSettings());
        assertEquals(Duration.ofSeconds(3), ep.shutdownTimeout());
        try (ep) {
            ep.start();
            assertEquals(2, TestPools.defaultPool(ep).size());
        }
    }

    @Test
    void builderValuesWinOverTheEnvironment() {
        Entrypoint ep = Entrypoint.builder(Map.of("AIOMISC_LOG_LEVEL", "debug", "AIOMISC_POOL_SIZE", "not a number"))
                .catchSignals(false)
                .logLevel("WARNING")
                .poolSize(5)
                .build();
        assertEquals("warning", ep.logSettings().level());
    }

    @ParameterizedTest
    @CsvSource({
        "AIOMISC_POOL_SIZE, many",
        "AIOMISC_POOL_SIZE, -3",
        "AIOMISC_SHUTDOWN_TIMEOUT, soon",
        "AIOMISC_SHUTDOWN_TIMEOUT, -1",
        "AIOMISC_LOG_FLUSH, 0",
        "AIOMISC_LOG_BUFFER, 0",
        "AIOMISC_LOG_BUFFERING, maybe",
        "AIOMISC_LOG_CONFIG, perhaps",
        "AIOMISC_DEBUG, 2",
        "AIOMISC_LOG_LEVEL, loud",
        "AIOMISC_LOG_FORMAT, xml",
    })
    void badEnvironmentValueIsAnIllegalArgumentNamingTheVariable(String variable, String value) {
        IllegalArgumentException thrown =
                assertThrows(IllegalArgumentException.class, () -> Entrypoint.builder(Map.of(variable, value))
                        .catchSignals(false)
                        .build());
        assertTrue(thrown.getMessage().contains(variable), thrown.getMessage());
        assertTrue(thrown.getMessage().contains(value), thrown.getMessage());
    }

    @Test
    void debugVariableAcceptsAiomiscBooleans() {
        for (String yes : new String[] {"1", "yes", "TRUE", "on", "enabled"}) {
            assertTrue(new EnvironmentDefaults(Map.of("AIOMISC_DEBUG", yes))
                    .bool("AIOMISC_DEBUG")
                    .orElseThrow());
        }
        for (String no : new String[] {"0", "no", "False", "off", "disabled"}) {
            assertFalse(new EnvironmentDefaults(Map.of("AIOMISC_DEBUG", no))
                    .bool("AIOMISC_DEBUG")
                    .orElseThrow());
        }
    }

    @Test
    void logBufferSizeAliasIsAccepted() {
        Entrypoint ep = Entrypoint.builder(Map.of("AIOMISC_LOG_BUFFER_SIZE", "64"))
                .catchSignals(false)
                .build();
        assertEquals(64, ep.logSettings().bufferSize());
    }
}
