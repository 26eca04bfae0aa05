package io.aiomisc.examples;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiomisc.testing.JavaProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class WorkerPoolExampleTest {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final Pattern READY = Pattern.compile("2 worker JVMs ready in \\d+ ms: pids \\[(\\d+), (\\d+)]");
    private static final Pattern PART =
            Pattern.compile("\\[(\\d+), (\\d+)\\): (\\d+) primes, in worker process (\\d+)");

    @Test
    void countsOnTheWorkersAndInThisJvmAlike() throws Exception {
        try (JavaProcess app = JavaProcess.start(WorkerPoolExample.class, Map.of(), "200000", "2")) {
            assertEquals(0, app.awaitExit(WAIT), app::transcript);
            List<String> log = app.stderr();
            Set<Long> workers = workerPids(log, app);
            assertFalse(workers.contains(app.pid()), app::transcript);
            List<Long> ends = new ArrayList<>();
            long sum = 0;
            for (String line : log) {
                Matcher part = PART.matcher(line);
                if (part.find()) {
                    ends.add(Long.parseLong(part.group(1)));
                    ends.add(Long.parseLong(part.group(2)));
                    sum += Long.parseLong(part.group(3));
                    // each part ran in a worker JVM, not in the application's
                    assertTrue(workers.contains(Long.parseLong(part.group(4))), line + "\n" + app.transcript());
                }
            }
            assertEquals(List.of(0L, 100000L, 100000L, 200000L), ends, app::transcript); // two ranges, no gap
            assertEquals(17984, sum, app::transcript); // pi(200000)
            int at = -1;
            for (String expected : List.of(
                    "On 2 workers: 17984 primes below 200000",
                    "Single-threaded in this JVM (pid " + app.pid() + "): 17984 primes below 200000",
                    "Same answer: 17984",
                    "Worker pool example finished")) {
                int next = indexOf(log, expected, at + 1);
                assertTrue(next > at, () -> "missing or out of order: " + expected + "\n" + app.transcript());
                at = next;
            }
            assertWorkersGone(workers);
        }
    }

    @Test
    void stopsOnSigtermWithItsWorkers() throws Exception {
        // a limit the workers would need minutes for: SIGTERM interrupts the count
        try (JavaProcess app = JavaProcess.start(WorkerPoolExample.class, Map.of(), "2000000000", "2")) {
            app.awaitStderr(line -> READY.matcher(line).find(), WAIT);
            Set<Long> workers = workerPids(app.stderr(), app);
            app.signal("TERM");
            assertEquals(0, app.awaitExit(WAIT), app::transcript);
            List<String> log = app.stderr();
            assertTrue(
                    log.stream().anyMatch(line -> line.contains("Worker pool example stopped before the end")),
                    app::transcript);
            assertTrue(log.stream().noneMatch(line -> line.contains("Same answer")), app::transcript);
            assertWorkersGone(workers);
        }
    }

    @Test
    void refusesALimitBelowTwoAndNoWorkers() {
        IllegalArgumentException limit =
                assertThrows(IllegalArgumentException.class, () -> WorkerPoolExample.main(new String[] {"1"}));
        assertEquals("LIMIT must be at least 2: 1", limit.getMessage());
        IllegalArgumentException workers =
                assertThrows(IllegalArgumentException.class, () -> WorkerPoolExample.main(new String[] {"100", "0"}));
        assertEquals("WORKERS must be at least 1: 0", workers.getMessage());
    }

    @Test
    void countsPrimesByTrialDivision() {
        assertEquals(0, WorkerPoolExample.countPrimes(0, 2));
        assertEquals(4, WorkerPoolExample.countPrimes(0, 10)); // 2 3 5 7
        assertEquals(25, WorkerPoolExample.countPrimes(0, 100));
        assertEquals(
                WorkerPoolExample.countPrimes(0, 100),
                WorkerPoolExample.countPrimes(0, 37) + WorkerPoolExample.countPrimes(37, 100));
    }

    private static Set<Long> workerPids(List<String> log, JavaProcess app) {
        for (String line : log) {
            Matcher ready = READY.matcher(line);
            if (ready.find()) {
                Set<Long> pids = new HashSet<>(List.of(Long.parseLong(ready.group(1)), Long.parseLong(ready.group(2))));
                assertEquals(2, pids.size(), app::transcript);
                assertNotEquals(app.pid(), Long.parseLong(ready.group(1)), app::transcript);
                return pids;
            }
        }
        throw new AssertionError("no line with the workers' pids\n" + app.transcript());
    }

    /** Waits until none of {@code pids} is alive (the application's close stops its workers). */
    private static void assertWorkersGone(Set<Long> pids) {
        await().atMost(Duration.ofSeconds(30)).until(() -> pids.stream()
                .noneMatch(
                        pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)));
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
