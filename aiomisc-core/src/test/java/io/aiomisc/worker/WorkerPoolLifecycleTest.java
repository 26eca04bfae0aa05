package io.aiomisc.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiomisc.task.Task;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A {@link WorkerPool}'s life: the initializer, start(), close(). */
class WorkerPoolLifecycleTest {
    @TempDir
    Path dir;

    @Test
    void theInitializersStateIsVisibleToTasksInEveryWorker() throws Exception {
        try (WorkerPool pool = WorkerPool.builder()
                .workers(2)
                .initializer(() -> System.setProperty(
                        "wt.initialized", Long.toString(ProcessHandle.current().pid())))
                .build()) {
            pool.start();
            Path release = dir.resolve("release");
            // each waits for the release, so both run at once: one in each worker
            Task<WtResult> first = pool.createTask(WtTasks.initializedAfter(marker("first"), release.toString()));
            Task<WtResult> second = pool.createTask(WtTasks.initializedAfter(marker("second"), release.toString()));
            WtFiles.awaitPid(dir.resolve("first"));
            WtFiles.awaitPid(dir.resolve("second"));
            WtFiles.touch(release);

            WtResult one = first.await();
            WtResult two = second.await();
            assertNotEquals(one.pid(), two.pid(), "the two tasks ran in different workers");
            assertEquals(one.pid(), one.value(), "worker " + one.pid() + " ran the initializer");
            assertEquals(two.pid(), two.value(), "worker " + two.pid() + " ran the initializer");
            assertNull(System.getProperty("wt.initialized"), "the initializer ran in this JVM");
        }
    }

    /**
     * An initializer that throws: the queued task fails with an exception caused by it, start()
     * throws IllegalStateException caused by it, the pool closes (no worker left) and createTask
     * is refused with the same cause.
     */
    @Test
    void anInitializerFailureFailsPendingTasksAndClosesThePool() throws Exception {
        Set<Long> before = WtFiles.workerChildren();
        WorkerPool pool = WorkerPool.builder()
                .workers(1)
                .initializer(() -> {
                    throw new WtTaskException("no model", new IOException("model file missing"));
                })
                .build();
        try {
            Task<Long> pending = pool.createTask(WtTasks.pid()); // starts the pool; queued until ready

            IllegalStateException startFailed = assertThrows(IllegalStateException.class, pool::start);
            assertInitializerFailure(startFailed.getCause());

            Exception taskFailed = assertThrows(Exception.class, pending::await);
            assertTrue(causes(taskFailed).stream().anyMatch(WtTaskException.class::isInstance), "" + taskFailed);
            assertInitializerFailure(causes(taskFailed).stream()
                    .filter(WtTaskException.class::isInstance)
                    .findFirst()
                    .orElseThrow());

            IllegalStateException refused =
                    assertThrows(IllegalStateException.class, () -> pool.createTask(WtTasks.pid()));
            assertInitializerFailure(refused.getCause());
            awaitNoNewWorkers(before);
        } finally {
            pool.close();
        }
        assertEquals(1, pool.statistic().spawning.value(), "a worker was started after the initializer failed");
    }

    /** close() while a worker JVM is starting: it is stopped, and no pool thread dies of an exception. */
    @Test
    void closeWhileAWorkerStartsStopsItCleanly() throws Exception {
        Set<Long> before = WtFiles.workerChildren();
        List<Throwable> uncaught = new CopyOnWriteArrayList<>();
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> uncaught.add(e));
        try {
            WorkerPool pool = new WorkerPool(1);
            Task<Long> queued = pool.createTask(WtTasks.pid());
            // the worker JVM exists but takes far longer to start than this wait for it
            Awaitility.await("the worker JVM launched")
                    .atMost(WtFiles.PATIENCE)
                    .pollInterval(Duration.ofMillis(1))
                    .until(() -> pool.statistic().spawning.value() == 1);

            pool.close();

            assertThrows(CancellationException.class, queued::await);
            assertEquals(Set.of(), newWorkers(before), "worker JVMs left after close()");
            assertEquals(List.of(), uncaught, "pool threads died of exceptions");
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(previous);
        }
    }

    /**
     * close() with a running and two queued tasks: each ends with CancellationException; no worker
     * JVM and no socket file is left; createTask is refused; a second close() returns at once.
     */
    @Test
    void closeCancelsQueuedAndRunningTasksAndLeavesNoChild() throws Exception {
        Set<Long> before = WtFiles.workerChildren();
        WorkerPool pool = new WorkerPool(1);
        Task<Long> running = pool.createTask(WtTasks.markAndSleep(marker("running")));
        long pid = WtFiles.awaitPid(dir.resolve("running"));
        Task<Long> queued = pool.createTask(WtTasks.pid());
        Task<Long> queued2 = pool.createTask(WtTasks.pid());
        SocketAddress address = pool.address();
        assertTrue(WtFiles.workerChildren().contains(pid), "the check below sees worker JVMs");

        pool.close();

        assertThrows(CancellationException.class, running::await);
        assertThrows(CancellationException.class, queued::await);
        assertThrows(CancellationException.class, queued2::await);
        assertTrue(WtFiles.dead(pid), "worker " + pid + " outlived close()");
        assertEquals(Set.of(), newWorkers(before), "worker JVMs left after close()");
        assertEquals(Set.of(), pool.pids());
        if (address instanceof UnixDomainSocketAddress unix) {
            assertFalse(Files.exists(unix.getPath()), "the socket file is left");
        }
        assertThrows(IllegalStateException.class, () -> pool.createTask(WtTasks.pid()));
        pool.close(); // idempotent
        assertThrows(IllegalStateException.class, pool::start);
    }

    /** start() of a thread whose interrupt status is set: InterruptedException, the pool closed, the status set. */
    @Test
    void anInterruptedStartClosesThePoolAndKeepsTheInterruptStatus() throws Exception {
        Set<Long> before = WtFiles.workerChildren();
        WorkerPool pool = new WorkerPool(1);
        try {
            Thread.currentThread().interrupt();
            assertThrows(InterruptedException.class, pool::start);
            assertTrue(Thread.interrupted(), "the interrupt status is set");

            assertThrows(IllegalStateException.class, () -> pool.createTask(WtTasks.pid()));
            assertEquals(Set.of(), newWorkers(before), "a worker JVM outlived the interrupted start");
        } finally {
            Thread.interrupted();
            pool.close();
        }
    }

    /** close() with the interrupt status set still stops everything, and keeps the status. */
    @Test
    void closeWithTheInterruptStatusSetStopsEverythingAndKeepsTheStatus() throws Exception {
        Set<Long> before = WtFiles.workerChildren();
        WorkerPool pool = new WorkerPool(1);
        Task<Long> running = pool.createTask(WtTasks.markAndSleep(marker("running")));
        long pid = WtFiles.awaitPid(dir.resolve("running"));
        Thread.currentThread().interrupt();
        try {
            pool.close();
        } finally {
            assertTrue(Thread.interrupted(), "close() kept the interrupt status");
        }
        assertThrows(CancellationException.class, running::await);
        assertTrue(WtFiles.dead(pid), "worker " + pid + " outlived close()");
        assertEquals(Set.of(), newWorkers(before));
    }

    private String marker(String name) {
        return dir.resolve(name).toString();
    }

    private static void assertInitializerFailure(Throwable failure) {
        WtTaskException thrown = assertInstanceOf(WtTaskException.class, failure);
        assertEquals("no model", thrown.getMessage());
        assertEquals("model file missing", thrown.getCause().getMessage());
    }

    private static List<Throwable> causes(Throwable failure) {
        List<Throwable> chain = new java.util.ArrayList<>();
        for (Throwable t = failure; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }

    private static Set<Long> newWorkers(Set<Long> before) {
        Set<Long> now = new HashSet<>(WtFiles.workerChildren());
        now.removeAll(before);
        return now;
    }

    private static void awaitNoNewWorkers(Set<Long> before) {
        Awaitility.await("no worker JVM left")
                .atMost(WtFiles.PATIENCE)
                .pollInterval(Duration.ofMillis(10))
                .until(() -> newWorkers(before).isEmpty());
    }
}
