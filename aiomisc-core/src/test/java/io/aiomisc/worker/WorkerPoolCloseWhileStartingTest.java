package io.aiomisc.worker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.aiomisc.task.Task;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** close() while a worker JVM is still starting (before it has connected). */
class WorkerPoolCloseWhileStartingTest {
    @Test
    void closingBeforeTheWorkerConnectedEndsItsSlotQuietly(@TempDir Path dir) throws Exception {
        // The worker JVM stops before its main until this file is deleted, which never happens: it
        // never connects, so close() meets its slot waiting for the connection.
        Path paused = dir.resolve("paused");
        List<Throwable> uncaught = new CopyOnWriteArrayList<>();
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> uncaught.add(e));
        try {
            WorkerPool pool = WorkerPool.builder()
                    .workers(1)
                    .jvmOptions(List.of(
                            "-XX:+UnlockDiagnosticVMOptions",
                            "-XX:+PauseAtStartup",
                            "-XX:PauseAtStartupFile=" + paused))
                    .build();
            Task<Integer> task = pool.createTask(() -> 1);
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(paused));
            pool.close(); // joins the slot's thread: an exception it died of has been reported
            assertThrows(CancellationException.class, task::await);
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(previous);
        }
        assertEquals(List.of(), uncaught);
    }
}
