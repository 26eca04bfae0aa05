package io.aiomisc.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiomisc.testing.JavaProcess;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BackoffExampleTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void retriesATimeoutAndAFailureThenGivesUpOnACallThatAlwaysFails() throws Exception {
        try (JavaProcess app = JavaProcess.start(BackoffExample.class, Map.of())) {
            assertEquals(0, app.awaitExit(WAIT), app::transcript);
            List<String> log = app.stderr();
            int at = -1;
            for (String expected : List.of(
                    "attempt 1: hanging",
                    "attempt 2: failing",
                    "attempt 3: answering",
                    "Got 'pong after 3 attempts'; attempts 3",
                    "Gave up after 3 tries: service unavailable (try 3)",
                    "Backoff example finished")) {
                int next = indexOf(log, expected, at + 1);
                assertTrue(next > at, () -> "missing or out of order: " + expected + "\n" + app.transcript());
                at = next;
            }
            assertTrue(
                    log.stream().noneMatch(line -> line.contains("the attempt timeout did not interrupt")),
                    app::transcript);
            assertTrue(log.stream().noneMatch(line -> line.contains("attempt 4")), app::transcript);
        }
    }

    private static int indexOf(List<String> lines, String expected, int from) {
        for (int i = from; i < lines.size(); i++) {
            if (lines.get(i).contains(expected)) {
                return i;
            }
        }
        return -1;
    }
}
