package io.aiomisc.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiomisc.stats.WorkerPoolStatistic;
import io.aiomisc.task.Task;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What a {@link WorkerPool} does with tasks: results, exceptions, dead workers, statistics. */
class WorkerPoolTest {
    private static final long OUR_PID = ProcessHandle.current().pid();

    @TempDir
    Path dir;

    @Test
    void twoHundredConcurrentTasksOverFourWorkersRunInOtherJvms() throws Exception {
        try (WorkerPool pool = new WorkerPool(4)) {
            pool.start();
            Set<Long> pids = pool.pids();
            assertEquals(pool.workers(), pids.size(), "every worker is connected once start() returns");
            assertEquals(4, pool.workers());

            List<Future<WtResult>> results = new ArrayList<>();
            try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < 200; i++) {
                    long n = i;
                    results.add(callers.submit(
                            () -> pool.createTask(WtTasks.square(n)).await()));
                }
            }
            for (int i = 0; i < results.size(); i++) {
                WtResult result = results.get(i).get();
                assertEquals((long) i * i, result.value(), "the result of task " + i);
                assertNotEquals(OUR_PID, result.pid(), "task " + i + " ran in this JVM");
                assertTrue(pids.contains(result.pid()), "task " + i + " ran in " + result.pid() + ", not a worker");
            }
            assertEquals(pids, pool.pids(), "no worker was replaced");
        }
    }

    @Test
    void aTaskExceptionComesBackAsItselfWithItsCauseAndTheWorkersStackTrace() throws Exception {
        try (WorkerPool pool = new WorkerPool(1)) {
            Task<String> task = pool.createTask(new WtFailingTask("task 7 failed"));

            WtTaskException thrown = assertThrows(WtTaskException.class, task::await);

            assertEquals("task 7 failed", thrown.getMessage());
            IOException cause = assertInstanceOf(IOException.class, thrown.getCause());
            assertEquals("the root cause of task 7 failed", cause.getMessage());
            List<StackTraceElement> trace = Arrays.asList(thrown.getStackTrace());
            assertTrue(
                    trace.stream()
                            .anyMatch(frame -> frame.getClassName().equals(WtFailingTask.class.getName())
                                    && frame.getMethodName().equals("call")),
                    "the task's frame is in " + trace);
            assertTrue(
                    trace.stream().anyMatch(frame -> frame.getClassName().startsWith(ChildMain.class.getName())),
                    "the trace is the worker's: " + trace);
            assertEquals(
                    pool.pids().iterator().next(),
                    pool.createTask(WtTasks.pid()).await(),
                    "the worker lives");
        }
    }

    /**
     * A worker killed with SIGKILL while it runs a task, 20 times over: only that task fails, with
     * the dead pid and status 137; the worker is replaced (a new pid each time); the task on the
     * other worker, running through all 20 deaths, is untouched; later tasks succeed.
     */
    @Test
    @Timeout(150)
    void aWorkerKilledDuringATaskFailsOnlyThatTaskTwentyTimesInARow() throws Exception {
        try (WorkerPool pool = new WorkerPool(2)) {
            pool.start();
            Path release = dir.resolve("release");
            Task<Long> bystander = pool.createTask(
                    WtTasks.markAndAwait(dir.resolve("bystander").toString(), release.toString()));
            long bystanderPid = WtFiles.awaitPid(dir.resolve("bystander"));
            Set<Long> killed = new HashSet<>();

            for (int i = 0; i < 20; i++) {
                Path marker = dir.resolve("victim-" + i);
                Task<Long> victim = pool.createTask(WtTasks.markAndSleep(marker.toString()));
                long pid = WtFiles.awaitPid(marker);
                assertNotEquals(bystanderPid, pid);
                assertTrue(killed.add(pid), "round " + i + ": pid " + pid + " was killed before: not replaced");

                ProcessHandle.of(pid).orElseThrow().destroyForcibly();

                WorkerDiedException died = assertThrows(WorkerDiedException.class, victim::await, "round " + i);
                assertEquals(pid, died.pid(), "round " + i);
                assertEquals(137, died.exitStatus(), "round " + i + ": " + died.getMessage());
                Awaitility.await("round " + i + ": a replacement for " + pid)
                        .atMost(WtFiles.PATIENCE)
                        .pollInterval(Duration.ofMillis(10))
                        .until(() -> pool.pids().size() == 2 && !pool.pids().contains(pid));
                assertTrue(pool.pids().contains(bystanderPid), "round " + i);
                assertTrue(!bystander.isDone(), "round " + i + ": the other worker's task was disturbed");
            }

            WtFiles.touch(release);
            assertEquals(bystanderPid, bystander.await(), "the task on the other worker completes");
            Set<Long> live = pool.pids();
            assertEquals(2, live.size());
            for (int i = 0; i < 4; i++) {
                long pid = pool.createTask(WtTasks.pid()).await();
                assertTrue(live.contains(pid), pid + " in " + live);
            }
            assertEquals(22, pool.statistic().spawning.value(), "2 workers and 20 replacements started so far");
        }
    }

    /**
     * A pool started by its first task (no start()), then a success, a task exception, a task that
     * calls System.exit(3) and a success: only the exiting task fails, with WorkerDiedException and
     * status 3; the worker is replaced; every statistic counts exactly that.
     */
    @Test
    void systemExitInATaskFailsOnlyThatTaskAndEveryStatisticIsTrue() throws Exception {
        try (WorkerPool pool =
                WorkerPool.builder().workers(1).statisticName("wt").build()) {
            long first = pool.createTask(WtTasks.pid()).await();
            assertNotEquals(OUR_PID, first);
            assertEquals(Set.of(first), pool.pids());

            assertThrows(WtTaskException.class, () -> pool.createTask(new WtFailingTask("expected"))
                    .await());

            WorkerDiedException died = assertThrows(WorkerDiedException.class, () -> pool.createTask(WtTasks.exit(3))
                    .await());
            assertEquals(first, died.pid());
            assertEquals(3, died.exitStatus(), died.getMessage());

            long second = pool.createTask(WtTasks.pid()).await();
            assertNotEquals(first, second, "the worker was replaced");
            assertEquals(Set.of(second), pool.pids());

            WorkerPoolStatistic statistic = pool.statistic();
            // a task's outcome is counted just after its caller sees it
            Awaitility.await("every outcome counted")
                    .atMost(WtFiles.PATIENCE)
                    .until(() -> statistic.success.value() + statistic.error.value() == 4);
            assertEquals(4, statistic.taskAdded.value(), "task_added");
            assertEquals(4, statistic.submitted.value(), "submitted");
            assertEquals(4, statistic.done.value(), "done");
            assertEquals(2, statistic.success.value(), "success");
            assertEquals(2, statistic.error.value(), "error");
            assertEquals(2, statistic.spawning.value(), "spawning: the first worker and its replacement");
            assertEquals(1, statistic.processes.value(), "processes");
            assertEquals(0, statistic.badAuth.value(), "bad_auth");
            assertTrue(statistic.sumTime.seconds() > 0, "sum_time");
        }
    }
}
