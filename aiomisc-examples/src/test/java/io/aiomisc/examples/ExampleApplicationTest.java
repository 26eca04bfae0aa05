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
            for (String expected : List.of("Greeter started", "Heartbeat ready", "Interrupt signal received, shutting down...",
                    "Heartbeat stopping", "Greeter stopped (Interrupt signal received: SIGTERM)", "Heartbeat finished after",
                    "Example application stopped cleanly")) {
                assertTrue(log.stream().anyMatch(line -> line.contains(expected)), expected + "\n" + app.transcript());
            }
        }
    }
}
