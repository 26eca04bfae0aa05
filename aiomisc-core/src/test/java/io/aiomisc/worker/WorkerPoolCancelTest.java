package io.aiomisc.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiomisc.task.Task;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cancelling {@link WorkerPool} tasks, and the caller blocked by {@code maxOverflow}. */
class WorkerPoolCancelTest {
    @TempDir
    Path dir;

    /**
     * cancel(true) of a sleeping task interrupts it in its worker, which lives on: the same pid
     * serves the next task. A task cancelled in the queue never runs. Interrupting a thread blocked
     * in await() cancels the task.
     */
    @Test
    void cancelInterruptsASleepingTaskAndTheSameWorkerServesTheNext() throws Exception {
        try (WorkerPool pool = new WorkerPool(1)) {
            Task<Long> sleeping = pool.createTask(WtTasks.markAndSleep(marker("sleeping")));
            long pid = WtFiles.awaitPid(dir.resolve("sleeping"));
            Path neverRuns = dir.resolve("never-runs");
            Task<Long> queued = pool.createTask(WtTasks.markOnly(neverRuns.toString()));

            assertTrue(queued.cancel(true));
            assertThrows(CancellationException.class, queued::await);
            assertTrue(sleeping.cancel(true));
            assertThrows(CancellationException.class, sleeping::await);

            assertEquals(pid, pool.createTask(WtTasks.pid()).await(), "the same worker serves the next task");
            assertFalse(Files.exists(neverRuns), "the task cancelled while queued ran");
            assertEquals(Set.of(pid), pool.pids());

            Task<Long> awaited = pool.createTask(WtTasks.markAndSleep(marker("awaited")));
            assertEquals(pid, WtFiles.awaitPid(dir.resolve("awaited")));
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            Thread waiter = Thread.ofVirtual().start(() -> {
                try {
                    awaited.await();
                    outcome.complete(null);
                } catch (Throwable e) {
                    outcome.complete(e);
                }
            });
            awaitBlocked(waiter);
            waiter.interrupt();
            assertInstanceOf(InterruptedException.class, outcome.get(30, TimeUnit.SECONDS));
            assertTrue(awaited.isCancelled(), "interrupting await() cancels the task");
            assertEquals(pid, pool.createTask(WtTasks.pid()).await(), "the worker was interrupted, not killed");
        }
    }

    /** A task that ignores interrupts: after cancelTimeout its worker is killed and replaced. */
    @Test
    void cancelOfAnInterruptDeafTaskKillsAndReplacesItsWorkerAfterTheCancelTimeout() throws Exception {
        try (WorkerPool pool = WorkerPool.builder()
                .workers(1)
                .cancelTimeout(Duration.ofMillis(500))
                .build()) {
            Task<Long> deaf = pool.createTask(WtTasks.markAndSpin(marker("deaf")));
            long pid = WtFiles.awaitPid(dir.resolve("deaf"));

            assertTrue(deaf.cancel(true));
            assertThrows(CancellationException.class, deaf::await);

            Awaitility.await("worker " + pid + " killed and replaced")
                    .atMost(WtFiles.PATIENCE)
                    .pollInterval(Duration.ofMillis(10))
                    .until(() -> WtFiles.dead(pid)
                            && pool.pids().size() == 1
                            && !pool.pids().contains(pid));
            long next = pool.createTask(WtTasks.pid()).await();
            assertNotEquals(pid, next);
            assertEquals(Set.of(next), pool.pids());
            assertEquals(2, pool.statistic().spawning.value());
        }
    }

    /**
     * maxOverflow(1) with one worker: with a task running and one queued, createTask blocks until
     * the queue has room; interrupting the blocked caller throws CancellationException with the
     * interrupt status set, and queues nothing.
     */
    @Test
    void maxOverflowBlocksTheCallerUntilThereIsRoomAndAnInterruptCancelsTheCall() throws Exception {
        try (WorkerPool pool = WorkerPool.builder().workers(1).maxOverflow(1).build()) {
            pool.start();
            long pid = pool.pids().iterator().next();
            Task<Long> running = pool.createTask(WtTasks.markAndSleep(marker("running")));
            WtFiles.awaitPid(dir.resolve("running"));
            Task<Long> queued = pool.createTask(WtTasks.pid());

            CompletableFuture<Task<Long>> third = new CompletableFuture<>();
            Thread caller = Thread.ofVirtual().start(() -> {
                try {
                    third.complete(pool.createTask(WtTasks.pid()));
                } catch (Throwable e) {
                    third.completeExceptionally(e);
                }
            });
            awaitBlocked(caller);
            assertFalse(third.isDone(), "createTask did not block with a full queue");
            assertEquals(2, pool.statistic().taskAdded.value());

            running.cancel(true); // the queued task moves to the worker: room in the queue
            assertEquals(pid, third.get(30, TimeUnit.SECONDS).await());
            assertEquals(pid, queued.await());
            assertEquals(3, pool.statistic().taskAdded.value());

            Task<Long> running2 = pool.createTask(WtTasks.markAndSleep(marker("running2")));
            WtFiles.awaitPid(dir.resolve("running2"));
            Task<Long> queued2 = pool.createTask(WtTasks.pid());
            Path neverQueued = dir.resolve("never-queued");
            CompletableFuture<Throwable> refused = new CompletableFuture<>();
            AtomicBoolean interruptedAfter = new AtomicBoolean();
            Thread blocked = Thread.ofVirtual().start(() -> {
                try {
                    pool.createTask(WtTasks.markOnly(neverQueued.toString()));
                    refused.complete(null);
                } catch (Throwable e) {
                    interruptedAfter.set(Thread.currentThread().isInterrupted());
                    refused.complete(e);
                }
            });
            awaitBlocked(blocked);
            blocked.interrupt();
            assertInstanceOf(CancellationException.class, refused.get(30, TimeUnit.SECONDS));
            assertTrue(interruptedAfter.get(), "the interrupt status is set again");
            assertEquals(5, pool.statistic().taskAdded.value(), "nothing was queued");

            running2.cancel(true);
            assertEquals(pid, queued2.await());
            assertEquals(pid, pool.createTask(WtTasks.pid()).await());
            assertFalse(Files.exists(neverQueued), "the refused task ran");
        }
    }

    private String marker(String name) {
        return dir.resolve(name).toString();
    }

    /** Waits until {@code thread} parks (it blocks in the pool) or ends (it did not block). */
    private static void awaitBlocked(Thread thread) {
        Awaitility.await(thread + " blocks")
                .atMost(WtFiles.PATIENCE)
                .pollInterval(Duration.ofMillis(5))
                .until(() -> thread.getState() == Thread.State.WAITING
                        || thread.getState() == Thread.State.TIMED_WAITING
                        || thread.getState() == Thread.State.TERMINATED);
    }
}
