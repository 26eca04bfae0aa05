package io.aiomisc.service;

import static io.aiomisc.service.ProcessServiceTest.await;
import static io.aiomisc.service.ProcessServiceTest.liveChildren;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import io.aiomisc.testing.CapturedLogs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RespawningProcessService on real child JVMs: a dead child is replaced, until stop. */
class RespawningProcessServiceTest {
    /** Appends its pid, then sleeps for a minute (or returns at once, if it does not stay). */
    static final class Recorder extends RespawningProcessService {
        private static final long serialVersionUID = 1L;
        private final String file;
        private final boolean stays;
        private final long pollMillis;

        Recorder(Path file, boolean stays, long pollMillis) {
            this.file = file.toString();
            this.stays = stays;
            this.pollMillis = pollMillis;
        }

        @Override
        protected void inProcess() throws Exception {
            PsFiles.appendPid(file);
            if (stays) {
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException e) {
                    // stopped
                }
            }
        }

        @Override
        protected Duration processPollTimeout() {
            return Duration.ofMillis(pollMillis);
        }
    }

    /** Stops a service whatever the test did (stop is idempotent), so that a failed test leaves no child. */
    private record Stopping(ProcessService service) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            service.stop(null);
        }
    }

    /**
     * After stop: no child of this JVM appears, for ten poll intervals (a poller still running
     * would start one within one interval).
     */
    private static void noRespawnAfterStop(Set<Long> before, Path file, int lines) {
        Set<Long> children = new HashSet<>();
        Awaitility.await("no new child and no new body run after stop")
                .during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(10))
                .until(() -> {
                    Set<Long> now = liveChildren();
                    now.removeAll(before);
                    children.addAll(now);
                    return children.isEmpty() && PsFiles.lines(file).size() == lines;
                });
    }

    @Test
    void aKilledChildIsReplacedAndStopEndsTheChildAndThePolling(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("body");
        Set<Long> before = liveChildren();
        Recorder service = new Recorder(file, true, 200);
        long second;
        try (CapturedLogs logs = CapturedLogs.of(RespawningProcessService.class);
                Stopping stopping = new Stopping(service)) {
            service.start();
            long first = service.pid();
            await().until(() -> PsFiles.pids(file).equals(List.of(first)));
            ProcessHandle.of(first).orElseThrow().destroyForcibly();
            await().until(() -> PsFiles.pids(file).size() == 2);
            second = PsFiles.pids(file).get(1);
            assertNotEquals(first, second, "a new child");
            await().until(() -> service.pid() == second);
            assertTrue(
                    logs.contains(Level.INFO, "Process in service Recorder exited with code 137, respawning."),
                    () -> logs.events().toString());
            service.stop(null);
        }
        assertEquals(-1, service.pid());
        assertTrue(PsFiles.gone(second), "the child is gone when stop returns");
        noRespawnAfterStop(before, file, 2);
    }

    @Test
    void aBodyThatReturnsIsRespawnedToo(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("body");
        Set<Long> before = liveChildren();
        Recorder service = new Recorder(file, false, 200);
        try (CapturedLogs logs = CapturedLogs.of(RespawningProcessService.class);
                Stopping stopping = new Stopping(service)) {
            service.start();
            await().until(() -> PsFiles.pids(file).size() >= 2);
            List<Long> pids = PsFiles.pids(file);
            assertNotEquals(pids.get(0), pids.get(1));
            await().until(() ->
                    logs.contains(Level.INFO, "Process in service Recorder exited with code 0, respawning."));
            service.stop(null);
        }
        assertEquals(-1, service.pid());
        noRespawnAfterStop(before, file, PsFiles.lines(file).size());
    }

    @Test
    void aPollTimeoutThatIsNotPositiveFailsTheStart(@TempDir Path dir) {
        Set<Long> before = liveChildren();
        for (long millis : new long[] {0, -1}) {
            Recorder service = new Recorder(dir.resolve("body"), true, millis);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, service::start);
            assertTrue(e.getMessage().contains("processPollTimeout"), e.getMessage());
            assertEquals(-1, service.pid());
        }
        assertTrue(before.containsAll(liveChildren()), "no child started");
    }
}
