package io.aiomisc.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiomisc.testing.JavaProcess;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExampleApplicationTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void runsBothServicesAndStopsCleanlyOnSigterm() throws Exception {
        try (JavaProcess app = JavaProcess.start(ExampleApplication.class, Map.of(), "50")) {
            app.awaitStderr(line -> line.contains("(beat 2)"), WAIT);
            app.signal("TERM");
            assertEquals(0, app.awaitExit(WAIT), app::transcript);
            List<String> log = app.stderr();
            for (String expected : List.of(
                    "Greeter started",
                    "Heartbeat ready",
                    "Interrupt signal received, shutting down...",
                    "Heartbeat stopping",
                    "Greeter stopped (Interrupt signal received: SIGTERM)",
                    "Heartbeat finished after",
                    "Example application stopped cleanly")) {
                assertTrue(log.stream().anyMatch(line -> line.contains(expected)), expected + "\n" + app.transcript());
            }
        }
    }

    @Test
    void logsJsonToStdoutWhenTheEnvironmentSaysSo() throws Exception {
        try (JavaProcess app =
                JavaProcess.start(ExampleApplication.class, Map.of("AIOMISC_LOG_FORMAT", "json"), "50")) {
            app.awaitStdout(line -> line.contains("(beat 2)"), WAIT);
            app.signal("TERM");
            assertEquals(0, app.awaitExit(WAIT), app::transcript);
            com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
            List<String> messages = new java.util.ArrayList<>();
            for (String line : app.stdout()) {
                com.fasterxml.jackson.databind.JsonNode record;
                try {
                    record = json.readTree(line);
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new AssertionError("not JSON: " + line + "\n" + app.transcript(), e);
                }
                messages.add(record.get("msg").asText());
                assertTrue(List.of("info", "warn").contains(record.get("level").asText()), line);
            }
            assertTrue(messages.contains("Greeter started"), messages::toString);
            assertTrue(app.stderr().stream().noneMatch(line -> line.contains("Heartbeat interval")), app::transcript);
            assertTrue(messages.contains("Example application stopped cleanly"), messages::toString);
        }
    }
}
