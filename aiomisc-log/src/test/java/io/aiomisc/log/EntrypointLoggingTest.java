package io.aiomisc.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aiomisc.Entrypoint;
import io.aiomisc.plugin.Plugins;
import io.aiomisc.testing.JavaProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The entrypoint's log options, through the configurator this module provides. */
class EntrypointLoggingTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @AfterEach
    void reset() {
        Logback.reset();
    }

    private static List<String> run(Map<String, String> env, String mode, List<String> stderr) throws Exception {
        try (JavaProcess child = JavaProcess.start(LoggingChild.class, env, mode)) {
            int status = child.awaitExit(PATIENCE);
            assertEquals(0, status, child::transcript);
            stderr.addAll(child.stderr());
            return child.stdout();
        }
    }

    @Test
    void theModuleIsTheEntrypointsLogConfigurator() {
        assertTrue(Plugins.logConfigurator().orElseThrow() instanceof LogbackConfigurator);
        assertEquals(LogFormat.defaultFormat().toString(), new LogbackConfigurator().defaultFormat());
    }

    @Test
    void environmentVariablesChooseJsonAndDebugAndNothingLoggedAtShutdownIsLost() throws Exception {
        List<String> stderr = new ArrayList<>();
        List<String> stdout =
                run(Map.of("AIOMISC_LOG_FORMAT", "json", "AIOMISC_LOG_LEVEL", "debug"), "entrypoint", stderr);
        List<JsonNode> records = new ArrayList<>();
        for (String line : stdout) {
            JsonNode record = JSON.readTree(line);
            if ("child".equals(record.get("@fields").get("identifier").asText())) {
                records.add(record);
            }
        }
        List<String> messages = records.stream().map(r -> r.get("msg").asText()).toList();
        assertEquals(List.of("started", "debug record", "info record", "error record"), messages.subList(0, 4));
        assertEquals("debug", records.get(1).get("level").asText());
        assertEquals("r-7", records.get(2).get("@fields").get("request_id").asText());
        assertTrue(records.get(3).get("stackTrace").asText().contains("IllegalStateException: boom"));
        for (int i = 0; i < 1000; i++) {
            assertEquals("stopping " + i, messages.get(4 + i), "records logged while stopping, all and in order");
        }
        assertEquals("after close", messages.get(messages.size() - 1), "logging goes on after the entrypoint closed");
        assertEquals(1005, messages.size());
        assertFalse(String.join("\n", stderr).contains("child"), "json goes to stdout only: " + stderr);
    }

    @Test
    void aPlainFormatAndWarningLevelFromTheEnvironment() throws Exception {
        List<String> stderr = new ArrayList<>();
        List<String> stdout =
                run(Map.of("AIOMISC_LOG_FORMAT", "plain", "AIOMISC_LOG_LEVEL", "WARNING"), "entrypoint", stderr);
        assertEquals(List.of(), stdout);
        assertEquals("error record", stderr.get(0), stderr::toString);
        assertEquals("java.lang.IllegalStateException: boom", stderr.get(1));
        assertFalse(stderr.contains("info record"));
        assertFalse(stderr.contains("after close"));
    }

    @Test
    void recordsLoggedRightBeforeSystemExitAreWritten() throws Exception {
        List<String> stderr = new ArrayList<>();
        run(Map.of(), "exit-without-close", stderr);
        Map<String, Integer> next = new HashMap<>();
        int count = 0;
        for (String line : stderr) {
            if (!line.matches("t\\d n\\d+")) {
                continue;
            }
            String[] parts = line.split(" ");
            int number = Integer.parseInt(parts[1].substring(1));
            assertEquals(next.getOrDefault(parts[0], 0), number, "per-thread order");
            next.put(parts[0], number + 1);
            count++;
        }
        assertEquals(10_000, count);
    }

    @Test
    void logConfigFalseLeavesTheUsersConfigurationAlone() throws Exception {
        List<Appender<ILoggingEvent>> before = Logback.rootAppenders();
        try (Entrypoint entrypoint = Entrypoint.builder()
                .catchSignals(false)
                .logConfig(false)
                .logFormat("json")
                .start()) {
            assertEquals(before, Logback.rootAppenders());
        }
        assertEquals(before, Logback.rootAppenders());
        assertTrue(before.get(0).isStarted());

        try (Entrypoint entrypoint = Entrypoint.builder()
                .catchSignals(false)
                .logFormat("plain")
                .logLevel("error")
                .start()) {
            List<Appender<ILoggingEvent>> during = Logback.rootAppenders();
            assertEquals(1, during.size());
            assertTrue(during.get(0) instanceof BufferedAppender buffered && buffered.isBuffering());
            assertFalse(before.get(0).isStarted());
        }
        assertTrue(
                Logback.rootAppenders().get(0) instanceof BufferedAppender buffered && !buffered.isBuffering(),
                "after close: the same output, unbuffered");
    }
}
