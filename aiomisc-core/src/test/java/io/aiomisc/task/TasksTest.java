package io.aiomisc.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiomisc.internal.TaskLauncher;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class TasksTest {

    /** A task that sleeps until cancelled; returns once its body is running, so cancelling it interrupts the body. */
    private static Task<String> sleeper(CountDownLatch exited) throws InterruptedException {
        CountDownLatch running = new CountDownLatch(1);
        Task<String> task = TaskLauncher.startDetached(() -> {
            running.countDown();
            try {
                Thread.sleep(Long.MAX_VALUE);
            } finally {
                exited.countDown();
            }
            return "never";
        });
        running.await();
        return task;
    }

    @Test
    void selectReturnsTheFirstToFinishAndCancelsTheOthers() throws Exception {
        CountDownLatch loserExited = new CountDownLatch(1);
        Task<String> loser = sleeper(loserExited);
        CompletableFuture<String> winner = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> winner.complete("won"));

        SelectResult result = Tasks.select(loser, winner);

        assertTrue(result.done());
        assertEquals(1, result.resultIdx());
        assertEquals("won", result.result());
        assertFalse(result.isException());
        List<Object> values = new ArrayList<>();
        result.forEach(values::add);
        assertEquals(Arrays.asList(null, "won"), values);
        assertTrue(loser.isCancelled());
        assertEquals(0, loserExited.getCount(), "select waits for the cancelled loser to exit");
    }

    @Test
    void selectWithCancelFalseLeavesTheLosersRunning() throws Exception {
        CountDownLatch loserExited = new CountDownLatch(1);
        Task<String> loser = sleeper(loserExited);
        try {
            SelectResult result = Tasks.select(
                    SelectOptions.defaults().cancel(false), loser, CompletableFuture.completedFuture("now"));
            assertEquals(1, result.resultIdx());
            assertFalse(loser.isDone());
        } finally {
            Tasks.cancelTasks(loser);
        }
    }

    @Test
    void selectRethrowsAFailedWinnersException() {
        IOException failure = new IOException("first and failed");
        assertSame(
                failure,
                assertThrows(
                        IOException.class,
                        () -> Tasks.select(CompletableFuture.failedFuture(failure), new CompletableFuture<>())));
    }

    @Test
    void selectCanReturnTheWinnersException() throws Exception {
        IOException failure = new IOException("reported");
        SelectResult result = Tasks.select(
                SelectOptions.defaults().returnExceptions(true),
                new CompletableFuture<>(),
                CompletableFuture.failedFuture(failure));
        assertTrue(result.isException());
        assertSame(failure, result.result());
        assertEquals(1, result.resultIdx());
    }

    @Test
    void selectTimeoutReturnsAnEmptyResultAndCancelsEverything() throws Exception {
        CountDownLatch exited = new CountDownLatch(1);
        Task<String> slow = sleeper(exited);
        SelectResult result = Tasks.select(SelectOptions.defaults().timeout(Duration.ofMillis(50)), slow);
        assertFalse(result.done());
        assertEquals(-1, result.resultIdx());
        assertNull(result.result());
        assertNull(result.get(0));
        assertTrue(slow.isCancelled());
        assertEquals(0, exited.getCount());
    }

    @Test
    void selectWatchesPlainFutures() throws Exception {
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            CountDownLatch go = new CountDownLatch(1);
            Future<String> plain = executor.submit(() -> {
                go.await();
                return "plain";
            });
            Thread.ofVirtual().start(go::countDown);
            SelectResult result = Tasks.select(new CompletableFuture<>(), plain);
            assertEquals("plain", result.result());
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void selectNeedsAFuture() {
        assertThrows(IllegalArgumentException.class, () -> Tasks.select());
        assertThrows(NullPointerException.class, () -> Tasks.select((Future<?>) null));
    }

    @Test
    void cancelTasksWaitsForTheTasksToExitAndLeavesDoneOnesAlone() throws Exception {
        CountDownLatch exited = new CountDownLatch(2);
        Task<String> a = sleeper(exited);
        Task<String> b = sleeper(exited);
        CompletableFuture<String> done = CompletableFuture.completedFuture("kept");
        Tasks.cancelTasks(List.of(a, b, done));
        assertEquals(0, exited.getCount());
        assertTrue(a.isCancelled() && b.isCancelled());
        assertEquals("kept", done.get());
    }

    @Test
    void shieldKeepsTheWorkRunningWhenItsAwaiterIsCancelled() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean finished = new AtomicBoolean();
        Task<String> shielded = Tasks.shield(() -> {
            release.await();
            finished.set(true);
            return "finished";
        });
        CountDownLatch awaiting = new CountDownLatch(1);
        Task<Object> awaiter = TaskLauncher.startDetached(() -> {
            awaiting.countDown();
            return shielded.await();
        });
        awaiting.await();
        Tasks.cancelTasks(awaiter);
        assertTrue(awaiter.isCancelled());
        release.countDown();
        org.awaitility.Awaitility.await().untilTrue(finished);
        Task<String> view = Tasks.shield(TaskLauncher.startDetached(() -> "value"));
        assertEquals("value", view.await());
    }

    @Test
    void awaitCancelsTheTaskWhenTheAwaiterIsInterrupted() throws Exception {
        CountDownLatch exited = new CountDownLatch(1);
        Task<String> inner = sleeper(exited);
        CountDownLatch awaiting = new CountDownLatch(1);
        Task<Object> awaiter = TaskLauncher.startDetached(() -> {
            awaiting.countDown();
            return inner.await();
        });
        awaiting.await();
        awaiter.cancel(true);
        exited.await();
        assertTrue(inner.isCancelled());
        assertThrows(CancellationException.class, inner::await);
    }

    @Test
    void interruptingSelectCancelsEveryCandidateEvenWithCancelFalse() throws Exception {
        CountDownLatch firstExited = new CountDownLatch(1);
        CountDownLatch secondExited = new CountDownLatch(1);
        Task<String> first = sleeper(firstExited);
        Task<String> second = sleeper(secondExited);
        Thread.currentThread().interrupt();
        assertThrows(
                InterruptedException.class,
                () -> Tasks.select(SelectOptions.defaults().cancel(false), first, second));
        assertFalse(Thread.currentThread().isInterrupted(), "the InterruptedException consumed the flag");
        assertTrue(first.isCancelled() && second.isCancelled(), "aiomisc cancels every candidate");
        firstExited.await();
        secondExited.await();
    }

    @Test
    void interruptedCancelTasksStillCancelsThenThrows() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(1);
        Task<Object> stubborn = TaskLauncher.startDetached(() -> {
            running.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                interrupted.countDown();
                while (release.getCount() > 0) {
                    try {
                        release.await();
                    } catch (InterruptedException ignored) {
                        // finishes only when released
                    }
                }
            }
            return null;
        });
        running.await();
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> Tasks.cancelTasks(stubborn));
        assertFalse(Thread.currentThread().isInterrupted());
        assertTrue(stubborn.isCancelled());
        interrupted.await();
        release.countDown();
        Tasks.cancelTasks(stubborn);
    }

    @Test
    void aTaskCannotAwaitItself() throws Exception {
        CompletableFuture<Task<Object>> self = new CompletableFuture<>();
        Task<Object> task = TaskLauncher.startDetached(() -> self.get().await());
        self.complete(task);
        assertThrows(IllegalStateException.class, task::await);
    }

    @Test
    void chunkListSplitsIntoListsOfSize() {
        List<List<Integer>> chunks = new ArrayList<>();
        Tasks.chunkList(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), 3).forEach(chunks::add);
        assertEquals(List.of(List.of(0, 1, 2), List.of(3, 4, 5), List.of(6, 7, 8), List.of(9)), chunks);
        assertFalse(Tasks.chunkList(List.of(), 3).iterator().hasNext());
        assertThrows(IllegalArgumentException.class, () -> Tasks.chunkList(List.of(1), 0));
    }
}
