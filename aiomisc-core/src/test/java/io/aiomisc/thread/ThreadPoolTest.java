package io.aiomisc.thread;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiomisc.task.Task;
import io.aiomisc.testing.Blocking;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class ThreadPoolTest {

    @Test
    void mdcFollowsTheTaskAndIsClearedAfter() throws Exception {
        try (ThreadPool pool = new ThreadPool("mdc", 1)) {
            MDC.put("user", "alice");
            try {
                assertEquals("alice", pool.submit(() -> MDC.get("user")).get());
            } finally {
                MDC.remove("user");
            }
            assertNull(pool.submit(() -> MDC.get("user")).get());
        }
    }

    @Test
    void statisticsCountTasks() throws Exception {
        try (ThreadPool pool = new ThreadPool("counted", 2)) {
            pool.submit(() -> 1).get();
            Task<Object> failing = pool.submit(() -> {
                throw new IOException("counted failure");
            });
            assertThrows(IOException.class, failing::await);
            assertEquals(2, pool.statistic().submitted.value());
            assertEquals(2, pool.statistic().done());
            assertEquals(1, pool.statistic().success.value());
            assertEquals(1, pool.statistic().error.value());
            assertTrue(pool.statistic().threads.value() >= 1);
        }
    }

    @Test
    void awaitRethrowsTheTasksExceptionAndGetWrapsIt() throws Exception {
        try (ThreadPool pool = new ThreadPool("errors", 1)) {
            IOException failure = new IOException("raw");
            Task<Object> task = pool.submit(() -> {
                throw failure;
            });
            assertSame(failure, assertThrows(IOException.class, task::await));
            assertSame(
                    failure, assertThrows(ExecutionException.class, task::get).getCause());
        }
    }

    @Test
    void closeFailsQueuedTasksInterruptsRunningOnesAndRejectsNewOnes() throws Exception {
        ThreadPool pool = new ThreadPool("closing", 1);
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        Task<Object> blocker = pool.submit(Blocking.untilInterrupted(running, interrupted));
        Task<Integer> queued = pool.submit(() -> 1);
        running.await();
        assertTrue(pool.close(Duration.ofSeconds(10)));
        assertEquals(0, interrupted.getCount());
        assertInstanceOf(
                RejectedExecutionException.class, assertThrows(RejectedExecutionException.class, queued::await));
        assertThrows(InterruptedException.class, blocker::await);
        assertThrows(RejectedExecutionException.class, () -> pool.submit(() -> 2));
        org.awaitility.Awaitility.await().until(() -> pool.statistic().threads.value() == 0);
    }

    /** Regression (issue 10, defect 4): close() used to stop waiting at the first InterruptedException. */
    @Test
    void closeWithTheInterruptFlagSetStillWaitsForTheThreadsAndKeepsTheFlag() throws Exception {
        ThreadPool pool = new ThreadPool("interrupted-close", 1);
        Thread closer = Thread.currentThread();
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch finished = new CountDownLatch(1);
        pool.submit(() -> {
            running.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                while (closer.getState() == Thread.State.RUNNABLE) {
                    Thread.onSpinWait(); // finish only once the closer waits for us
                }
            }
            finished.countDown();
            return null;
        });
        running.await();
        closer.interrupt();
        boolean closed = pool.close(Duration.ofSeconds(20));
        assertTrue(Thread.interrupted(), "close() sets the interrupt flag again");
        assertTrue(closed);
        assertEquals(0, finished.getCount());
    }

    @Test
    void sizeMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new ThreadPool("bad", 0));
    }
}
