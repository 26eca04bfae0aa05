package io.aiomisc.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiomisc.stats.ProcessPoolStatistic;
import io.aiomisc.task.Task;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ProcessPoolExecutor}: an ExecutorService over worker JVMs. */
class ProcessPoolExecutorTest {
    private static final long OUR_PID = ProcessHandle.current().pid();

    @TempDir
    Path dir;

    /**
     * Every way in (submit of a Callable, of a Runnable with and without a result, execute,
     * invokeAll, invokeAny), the refusal of tasks that cannot be serialized, the statistic after
     * that known sequence, then shutdownNow with a running task.
     */
    @Test
    void tasksRunInWorkersAndEveryStatisticIsTrueThenShutdownNowCancels() throws Exception {
        Set<Long> before = WtFiles.workerChildren();
        ProcessPoolExecutor executor = new ProcessPoolExecutor(2, "wt-executor");
        try {
            Callable<Integer> notSerializable = new Callable<>() {
                @Override
                public Integer call() {
                    return 1;
                }
            };
            assertThrows(IllegalArgumentException.class, () -> executor.submit(notSerializable));
            Runnable notSerializableRunnable = new Runnable() {
                @Override
                public void run() {}
            };
            assertThrows(IllegalArgumentException.class, () -> executor.execute(notSerializableRunnable));
            assertThrows(IllegalArgumentException.class, () -> executor.submit(notSerializableRunnable));

            long pid = executor.submit(callable(() -> ProcessHandle.current().pid()))
                    .get(30, TimeUnit.SECONDS);
            assertNotEquals(OUR_PID, pid);
            assertTrue(executor.pids().contains(pid));

            String marker = dir.resolve("submitted").toString();
            assertNull(executor.submit((Runnable & Serializable) () -> WtTasks.mark(marker))
                    .get(30, TimeUnit.SECONDS));
            assertTrue(WtFiles.awaitPid(Path.of(marker)) > 0);
            assertEquals(
                    "done",
                    executor.submit((Runnable & Serializable) () -> {}, "done").get(30, TimeUnit.SECONDS));
            String executed = dir.resolve("executed").toString();
            executor.execute((Runnable & Serializable) () -> WtTasks.mark(executed));
            assertTrue(executor.pids().contains(WtFiles.awaitPid(Path.of(executed))));

            List<Callable<Integer>> three = List.of(callable(() -> 1), callable(() -> 2), callable(() -> 3));
            List<Future<Integer>> all = executor.invokeAll(three);
            assertEquals(3, all.size());
            for (int i = 0; i < 3; i++) {
                assertTrue(all.get(i).isDone());
                assertEquals(i + 1, all.get(i).get());
            }

            List<Callable<Integer>> oneGood = List.of(
                    callable(() -> {
                        throw new IllegalStateException("bad");
                    }),
                    callable(() -> 42));
            assertEquals(42, executor.invokeAny(oneGood));
            List<Callable<Integer>> allBad = List.of(
                    callable(() -> {
                        throw new IllegalStateException("bad 1");
                    }),
                    callable(() -> {
                        throw new IllegalStateException("bad 2");
                    }));
            ExecutionException none = assertThrows(ExecutionException.class, () -> executor.invokeAny(allBad));
            assertInstanceOf(IllegalStateException.class, none.getCause());

            // 4 submits/executes + 3 invokeAll + 2 + 2 invokeAny = 11; 8 succeeded, 3 failed
            ProcessPoolStatistic statistic = executor.statistic();
            Awaitility.await("every task counted").atMost(WtFiles.PATIENCE).until(() -> statistic.done.value() == 11);
            assertEquals(11, statistic.submitted.value(), "submitted");
            assertEquals(8, statistic.success.value(), "success");
            assertEquals(3, statistic.error.value(), "error");
            // the workers start one after another: the second may connect after every task ran
            Awaitility.await("both workers connected")
                    .atMost(WtFiles.PATIENCE)
                    .until(() -> statistic.processes.value() == 2);
            assertEquals(2, executor.pids().size(), "processes");
            assertTrue(statistic.sumTime.seconds() > 0, "sum_time");

            Set<Long> workers = new HashSet<>(executor.pids());
            Task<Long> running = executor.submit(callable(WtTasks.markAndSleep(marker("running"))));
            WtFiles.awaitPid(dir.resolve("running"));
            assertEquals(List.of(), executor.shutdownNow());
            assertThrows(CancellationException.class, () -> running.get(30, TimeUnit.SECONDS));
            assertTrue(executor.isShutdown());
            assertTrue(executor.isTerminated());
            assertThrows(RejectedExecutionException.class, () -> executor.submit(callable(() -> 1)));
            for (long worker : workers) {
                assertTrue(WtFiles.dead(worker), "worker " + worker + " outlived shutdownNow()");
            }
            assertEquals(Set.of(), newWorkers(before));
            assertEquals(0, statistic.processes.value(), "processes after shutdownNow");
        } finally {
            executor.close();
        }
    }

    /**
     * shutdown() refuses new tasks, lets the running one finish, then stops the workers:
     * awaitTermination is false while the task runs and true after.
     */
    @Test
    void shutdownLetsTheRunningTaskFinishThenTerminates() throws Exception {
        Set<Long> before = WtFiles.workerChildren();
        try (ProcessPoolExecutor executor = new ProcessPoolExecutor(1)) {
            Path release = dir.resolve("release");
            Task<Long> running = executor.submit(callable(WtTasks.markAndAwait(marker("running"), release.toString())));
            long pid = WtFiles.awaitPid(dir.resolve("running"));

            executor.shutdown();
            assertTrue(executor.isShutdown());
            assertThrows(RejectedExecutionException.class, () -> executor.submit(callable(() -> 1)));
            assertThrows(RejectedExecutionException.class, () -> executor.execute((Runnable & Serializable) () -> {}));
            assertFalse(executor.awaitTermination(0, TimeUnit.MILLISECONDS), "terminated with a task running");
            assertFalse(executor.isTerminated());

            WtFiles.touch(release);
            assertEquals(pid, running.get(30, TimeUnit.SECONDS), "the running task finished");
            assertTrue(executor.awaitTermination(30, TimeUnit.SECONDS));
            assertTrue(executor.isTerminated());
            assertTrue(WtFiles.dead(pid), "worker " + pid + " outlived the shutdown");
            assertEquals(Set.of(), newWorkers(before));
        }
    }

    /** A serializable callable (a WorkerTask is one). */
    private static <T> Callable<T> callable(WorkerTask<T> task) {
        return task;
    }

    private String marker(String name) {
        return dir.resolve(name).toString();
    }

    private static Set<Long> newWorkers(Set<Long> before) {
        Set<Long> now = new HashSet<>(WtFiles.workerChildren());
        now.removeAll(before);
        return now;
    }
}
