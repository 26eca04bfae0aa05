package io.aiomisc.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiomisc.testing.JavaProcess;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DependencyExampleTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void createsEachDependencyOnceBeforeTheServicesAndTearsThemDownInReverseAfterThey() throws Exception {
        try (JavaProcess app = JavaProcess.start(DependencyExample.class, Map.of())) {
            assertEquals(0, app.awaitExit(WAIT), app::transcript);
            List<String> log = app.stderr();
            assertInOrder(
                    log,
                    app,
                    "Creating dependency 'config'",
                    "Creating dependency 'database' for db://127.0.0.1/shop",
                    "Dependencies created, in order: [config, database]",
                    "Both services share one database: true",
                    "A task asked for it by name: row 3 of 'SELECT 1'",
                    "Database db://127.0.0.1/shop closed after 3 queries",
                    "Config released",
                    "Dependency example finished");
            // both services started before the first teardown, and stopped before it
            int firstTeardown = indexOf(log, "Database db://127.0.0.1/shop closed", 0);
            for (String service : List.of("Users service", "Reports service")) {
                int started = indexOf(log, service + " started", 0);
                int stopped = indexOf(log, service + " stopped", 0);
                assertTrue(started >= 0 && started < stopped, () -> service + "\n" + app.transcript());
                assertTrue(stopped < firstTeardown, () -> service + "\n" + app.transcript());
            }
            assertTrue(
                    indexOf(log, "Reports service started (pool size 4)", 0) >= 0,
                    "the config reached the field named settings\n" + app.transcript());
            assertEquals(1, count(log, "Creating dependency 'database'"), app::transcript);
        }
    }

    @Test
    void aFailingProviderFailsTheStartNamingItAndTearsDownWhatWasCreated() throws Exception {
        try (JavaProcess app = JavaProcess.start(DependencyExample.class, Map.of(), "fail")) {
            assertEquals(1, app.awaitExit(WAIT), app::transcript);
            List<String> log = app.stderr();
            assertInOrder(
                    log,
                    app,
                    "Creating dependency 'config'",
                    "Creating dependency 'database'",
                    "Config released",
                    "The entrypoint did not start: the provider of dependency 'database' failed");
            assertTrue(indexOf(log, "(cause: connection refused: db://127.0.0.1/shop)", 0) >= 0, app::transcript);
            assertEquals(-1, indexOf(log, "service started", 0), app::transcript);
            assertEquals(-1, indexOf(log, "Database db://", 0), app::transcript);
        }
    }

    @Test
    void anUnknownArgumentPrintsTheUsage() throws Exception {
        try (JavaProcess app = JavaProcess.start(DependencyExample.class, Map.of(), "explode")) {
            assertEquals(2, app.awaitExit(WAIT), app::transcript);
            assertTrue(indexOf(app.stderr(), "Usage: DependencyExample [fail]", 0) >= 0, app::transcript);
        }
    }

    private static void assertInOrder(List<String> log, JavaProcess app, String... expected) {
        int at = -1;
        for (String line : expected) {
            int next = indexOf(log, line, at + 1);
            assertTrue(next > at, () -> "missing or out of order: " + line + "\n" + app.transcript());
            at = next;
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

    private static long count(List<String> lines, String expected) {
        return lines.stream().filter(line -> line.contains(expected)).count();
    }
}
