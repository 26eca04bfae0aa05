package io.aiomisc.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiomisc.testing.JavaProcess;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EchoExampleTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void theClientGetsEveryLineBackAndTheProgramEndsByItself() throws Exception {
        try (JavaProcess app = JavaProcess.start(EchoExample.class, Map.of(), "0", "4")) {
            assertEquals(0, app.awaitExit(WAIT), app::transcript);
            List<String> log = app.stderr();
            assertContains(log, "Echo server listening on tcp://127.0.0.1:", app);
            for (int i = 1; i <= 4; i++) {
                assertContains(log, "Echo client: sent 'hello " + i + "', got 'hello " + i + "' back", app);
            }
            assertContains(log, "closed after 4 lines", app);
            assertContains(log, "Echo example finished", app);
            assertTrue(log.stream().noneMatch(line -> line.contains("hello 5")), app::transcript);
        }
    }

    @Test
    void aLineCountBelowOneIsRejectedNamingIt() throws Exception {
        try (JavaProcess app = JavaProcess.start(EchoExample.class, Map.of(), "0", "0")) {
            assertEquals(1, app.awaitExit(WAIT), app::transcript);
            assertContains(app.stderr(), "LINES must be at least 1: 0", app);
        }
    }

    private static void assertContains(List<String> lines, String expected, JavaProcess app) {
        assertTrue(lines.stream().anyMatch(line -> line.contains(expected)), () -> expected + "\n" + app.transcript());
    }
}
