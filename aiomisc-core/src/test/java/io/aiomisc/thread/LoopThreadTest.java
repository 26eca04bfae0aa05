package io.aiomisc.thread;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiomisc.Entrypoint;
import io.aiomisc.internal.Threads;
import io.aiomisc.task.Task;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The usage examples of the AsyncioThread reference document, as tests, and then some. */
class LoopThreadTest {

    /** Example 1: creating the thread starts nothing. */
    @Test
    void creatingALoopStartsNothing() {
        int liveBefore = Threads.live();
        LoopThread thread = new LoopThread();
        assertFalse(thread.isAlive());
        assertEquals(liveBefore, Threads.live());
        assertThrows(IllegalStateException.class, () -> thread.runThreadsafe(() -> 1));
    }

    /** Example 2: start, then stop from another thread. */
    @Test
    void startAndStopManually() throws Exception {
        LoopThread thread = new LoopThread();
        thread.start();
        assertTrue(thread.isAlive());
        thread.stopThreadsafe();
        assertTrue(thread.join(Duration.ofSeconds(10)));
        assertFalse(thread.isAlive());
    }

    /** Example 3: try-with-resources starts and stops it. */
    @Test
    void tryWithResourcesStopsTheLoop() throws Exception {
        LoopThread outside;
        try (LoopThread thread = new LoopThread().start()) {
            outside = thread;
            assertTrue(thread.isAlive());
        }
        assertFalse(outside.isAlive());
        assertThrows(RejectedExecutionException.class, () -> outside.runThreadsafe(() -> 1));
    }

    /** Example 4: run something in the loop and wait for its result from this thread. */
    @Test
    void runThreadsafeReturnsAFutureOfTheResult() throws Exception {
        try (LoopThread thread = new LoopThread().start()) {
            Future<Object> future = thread.runThreadsafe(() -> {
                Thread.sleep(50);
                return null;
            });
            assertNull(future.get(10, TimeUnit.SECONDS));
            IOException failure = new IOException("inside the loop");
            ExecutionException thrown = assertThrows(ExecutionException.class, () -> thread.runThreadsafe(() -> {
                        throw failure;
                    })
                    .get());
            assertSame(failure, thrown.getCause());
        }
    }

    /** Example 5: a task registered before start runs with the loop and is cancelled on stop. */
    @Test
    void registeredTaskStartsWithTheLoopAndIsCancelledOnStop() throws Exception {
        List<String> printed = new CopyOnWriteArrayList<>();
        CountDownLatch working = new CountDownLatch(1);
        LoopThread thread = new LoopThread();
        thread.task(() -> {
            while (true) {
                printed.add("Doing some work");
                working.countDown();
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    printed.add("Bye bye");
                    break;
                }
            }
            return null;
        });
        thread.start();
        working.await();
        thread.stopThreadsafe().get(10, TimeUnit.SECONDS);
        assertEquals("Bye bye", printed.get(printed.size() - 1));
        assertThrows(IllegalStateException.class, () -> thread.task(() -> null));
    }

    /** Example 5, second form: a task created in a running loop is cancelled when it stops. */
    @Test
    void taskCreatedInARunningLoopIsCancelledAtClose() throws Exception {
        CountDownLatch working = new CountDownLatch(1);
        Task<Object> task;
        try (LoopThread thread = new LoopThread().start()) {
            task = thread.createTaskThreadsafe(() -> {
                working.countDown();
                Thread.sleep(Long.MAX_VALUE);
                return null;
            });
            working.await();
        }
        assertTrue(task.isCancelled());
    }

    @Test
    void submittingRightAfterStartWorks() throws Exception {
        for (int i = 0; i < 50; i++) {
            try (LoopThread thread = new LoopThread()) {
                thread.start();
                assertEquals(i, thread.runThreadsafe(() -> 0).get() + i);
            }
        }
    }

    @Test
    void waitingForTheLoopFromInsideTheLoopDoesNotDeadlock() throws Exception {
        try (LoopThread thread = new LoopThread().start()) {
            Future<String> outer = thread.runThreadsafe(
                    () -> "outer+" + thread.runThreadsafe(() -> "inner").get());
            assertEquals("outer+inner", outer.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void tasksRunWithTheLoopsEntrypointAndPool() throws Exception {
        try (LoopThread thread = new LoopThread().start()) {
            Entrypoint loop = thread.runThreadsafe(Entrypoint::current).get();
            assertSame(
                    loop,
                    thread.runThreadsafe(
                                    () -> Threaded.threaded(Entrypoint::current).await())
                            .get());
        }
    }

    @Test
    void startingTwiceIsAnIllegalState() throws Exception {
        try (LoopThread thread = new LoopThread().start()) {
            assertThrows(IllegalStateException.class, thread::start);
        }
        assertThrows(IllegalArgumentException.class, () -> new LoopThread(Duration.ofSeconds(-1)));
    }

    @Test
    void aShutdownTimeoutOverTheEntrypointsBoundIsRejectedAtConstruction() {
        String message = assertThrows(IllegalArgumentException.class, () -> new LoopThread(Duration.ofDays(2)))
                .getMessage();
        assertTrue(message.contains("shutdownTimeout") && message.contains("PT48H"), message);
        new LoopThread(Entrypoint.MAX_SHUTDOWN_TIMEOUT).close();
    }

    @Test
    void closeWithTheInterruptFlagSetStillWaitsForTheTasksAndKeepsTheFlag() throws Exception {
        LoopThread thread = new LoopThread().start();
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch exited = new CountDownLatch(1);
        thread.createTaskThreadsafe(() -> {
            running.countDown();
            try {
                return new CountDownLatch(1).await(1, java.util.concurrent.TimeUnit.HOURS);
            } finally {
                exited.countDown();
            }
        });
        running.await();
        Thread.currentThread().interrupt();
        thread.close();
        assertTrue(Thread.interrupted(), "close() sets the interrupt flag again");
        assertEquals(0, exited.getCount(), "close() waited for the task");
    }

    /** Regression (issue 10): start() used to start its entrypoint, receivers included, under the loop's lock. */
    @Test
    void startRunsTheEntrypointsReceiversOutsideTheLoopsLock() throws Exception {
        LoopThread loop = new LoopThread();
        java.util.concurrent.atomic.AtomicReference<Boolean> aliveSeenByAnother =
                new java.util.concurrent.atomic.AtomicReference<>();
        io.aiomisc.Signal.Receiver receiver = (entrypoint, services) -> {
            Thread other = Thread.ofPlatform().start(() -> aliveSeenByAnother.set(loop.isAlive()));
            if (!other.join(Duration.ofSeconds(20))) {
                throw new IllegalStateException("another thread could not query the loop while it started");
            }
        };
        Entrypoint.PRE_START.connect(receiver);
        try {
            loop.start();
        } finally {
            Entrypoint.PRE_START.disconnect(receiver);
            loop.close();
        }
        assertEquals(Boolean.FALSE, aliveSeenByAnother.get(), "the loop is not alive before its start returns");
    }
}
