package io.aiomisc.worker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiomisc.testing.JavaProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OrphanedWorkersTest {
    @Test
    void workersExitByThemselvesWhenTheirParentIsKilledWithSigkill() throws Exception {
        List<Long> workers;
        try (JavaProcess parent = JavaProcess.start(OrphanParentMain.class, Map.of())) {
            String line = parent.awaitStdout(l -> l.startsWith("worker-pids "), Duration.ofSeconds(90));
            workers = Arrays.stream(line.substring("worker-pids ".length()).split(","))
                    .map(Long::parseLong)
                    .toList();
            assertEquals(2, workers.size(), line);
            for (long pid : workers) {
                Optional<ProcessHandle> worker = ProcessHandle.of(pid);
                assertTrue(worker.isPresent() && worker.get().isAlive(), "worker " + pid + " is not running");
                assertEquals(
                        Optional.of(parent.pid()),
                        worker.get().parent().map(ProcessHandle::pid),
                        "worker " + pid + " is not the parent's child");
            }

            parent.signal("KILL"); // no shutdown hook runs: the workers must notice by themselves
            parent.awaitExit(Duration.ofSeconds(30));
        }
        try {
            await().atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> workers.stream().noneMatch(OrphanedWorkersTest::running));
        } finally {
            for (long pid : workers) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly); // never leave one behind
            }
        }
    }

    /**
     * Whether {@code pid} still runs. An exited orphan stays a zombie until whoever adopted it reaps
     * it, which a container's pid 1 may never do; a zombie has exited, so it does not count.
     */
    private static boolean running(long pid) {
        if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
                return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
            } catch (IOException e) {
                return !Files.isDirectory(Path.of("/proc")); // gone, unless there is no /proc to tell
            }
        }
        return false;
    }
}
