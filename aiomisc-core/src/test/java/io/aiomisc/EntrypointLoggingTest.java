package io.aiomisc;

import static io.aiomisc.testing.TestEntrypoints.builder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import io.aiomisc.plugin.LogConfigurator;
import io.aiomisc.plugin.LogSettings;
import io.aiomisc.testing.CapturedLogs;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class EntrypointLoggingTest {

    /** A logging module stand-in that records what the entrypoint asks of it. */
    static final class RecordingConfigurator implements LogConfigurator {
        final List<String> calls = new CopyOnWriteArrayList<>();

        @Override
        public void configure(LogSettings settings) {
            calls.add("configure " + settings.level() + " " + settings.format() + " buffered=" + settings.buffered());
        }

        @Override
        public void release(LogSettings settings) {
            calls.add("release");
        }

        @Override
        public String defaultFormat() {
            return "color";
        }
    }

    @Test
    void theLoggingModuleIsConfiguredAtStartAndReleasedAtClose() throws Exception {
        RecordingConfigurator configurator = new RecordingConfigurator();
        Entrypoint ep = Entrypoint.builder(Map.of("AIOMISC_LOG_LEVEL", "warning"))
                .catchSignals(false)
                .logConfigurator(configurator)
                .build();
        assertEquals("color", ep.logSettings().format(), "the module's default format");
        ep.start();
        assertEquals(List.of("configure warning color buffered=true"), configurator.calls);
        ep.close();
        assertEquals(List.of("configure warning color buffered=true", "release"), configurator.calls);
    }

    @Test
    void logConfigFalseLeavesLoggingAlone() throws Exception {
        RecordingConfigurator configurator = new RecordingConfigurator();
        Entrypoint.builder()
                .catchSignals(false)
                .logConfigurator(configurator)
                .logConfig(false)
                .start()
                .close();
        assertEquals(List.of(), configurator.calls);
        Entrypoint.builder(Map.of("AIOMISC_LOG_CONFIG", "0"))
                .catchSignals(false)
                .logConfigurator(configurator)
                .start()
                .close();
        assertEquals(List.of(), configurator.calls);
    }

    @Test
    void aFailedStartStillReleasesLogging() {
        RecordingConfigurator configurator = new RecordingConfigurator();
        Service failing = new Service() {
            @Override
            public void start() {
                throw new IllegalStateException("no");
            }
        };
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> Entrypoint.builder()
                .catchSignals(false)
                .logConfigurator(configurator)
                .services(failing)
                .start());
        assertEquals("release", configurator.calls.get(configurator.calls.size() - 1));
    }

    @Test
    void debugLogsTheLifecycleAtInfo() throws Exception {
        try (CapturedLogs logs = CapturedLogs.of(Entrypoint.class)) {
            builder().services(new Recorder().service("traced")).start().close();
            assertFalse(logs.contains(Level.INFO, "Starting service traced"));
            builder()
                    .debug(true)
                    .services(new Recorder().service("traced"))
                    .start()
                    .close();
            assertTrue(logs.contains(Level.INFO, "Starting service traced"));
            assertTrue(logs.contains(Level.INFO, "Stopping service traced"));
        }
    }

    @Test
    void aServiceFailingAfterReadyIsLogged() throws Exception {
        try (CapturedLogs logs = CapturedLogs.of(ServiceRunner.class)) {
            java.util.concurrent.CountDownLatch failed = new java.util.concurrent.CountDownLatch(1);
            Service flaky = new Service() {
                @Override
                public void start() {
                    ready();
                    try {
                        throw new IllegalStateException("background failure");
                    } finally {
                        failed.countDown();
                    }
                }
            };
            try (Entrypoint ep = builder().services(flaky).start()) {
                failed.await();
                org.awaitility.Awaitility.await()
                        .atMost(Duration.ofSeconds(10))
                        .until(() -> logs.contains(Level.ERROR, "failed after it reported ready()"));
            }
        }
    }
}
