package io.aiomisc;

import static io.aiomisc.testing.TestEntrypoints.builder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiomisc.task.Task;
import io.aiomisc.thread.ThreadPool;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class EntrypointTasksTest {

    @Test
    void currentIsTheEntrypointInServicesTasksPoolThreadsAndMain() throws Exception {
        AtomicReference<Entrypoint> inStart = new AtomicReference<>();
        AtomicReference<Entrypoint> inStop = new AtomicReference<>();
        AtomicReference<Entrypoint> inChildThread = new AtomicReference<>();
        Service svc = new Service() {
            @Override
            public void start() throws InterruptedException {
                inStart.set(Entrypoint.current());
                Thread child = Thread.ofVirtual().start(() -> inChildThread.set(Entrypoint.current()));
                child.join();
            }

            @Override
            public void stop(Throwable exception) {
                inStop.set(Entrypoint.current());
            }
        };
        Entrypoint ep = builder().services(svc).start();
        try {
            assertSame(ep, ep.createTask(Entrypoint::current).await());
            assertSame(ep, ep.threadPool().submit(Entrypoint::current).get());
            assertSame(ep, ep.runUntilComplete(Entrypoint::current));
            assertSame(ep, ep.runUntilComplete(Context::current) == ep.context() ? ep : null);
            assertThrows(IllegalStateException.class, Entrypoint::current, "not on the test's own thread");
        } finally {
            ep.close();
        }
        assertSame(ep, inStart.get());
        assertSame(ep, inStop.get());
        assertSame(ep, inChildThread.get());
        assertThrows(IllegalStateException.class, Entrypoint::current);
        assertThrows(IllegalStateException.class, Context::current);
    }

    @Test
    void poolThreadsDoNotKeepTheEntrypointBetweenTasks() throws Exception {
        try (Entrypoint ep = builder().start();
                ThreadPool pool = new ThreadPool("plain", 1)) {
            assertSame(
                    ep,
                    ep.createTask(() -> pool.submit(Entrypoint::current).get()).await());
            // the next task on the same single thread, submitted from outside any entrypoint, has none
            assertThrows(IllegalStateException.class, () -> pool.submit(Entrypoint::current)
                    .await());
        }
    }

    @Test
    void runReturnsMainsValue() throws Exception {
        assertEquals("done", Entrypoint.run(() -> "done"));
    }

    @Test
    void runRethrowsMainsExceptionAsIs() {
        IOException failure = new IOException("main failed");
        assertSame(
                failure,
                assertThrows(
                        IOException.class,
                        () -> Entrypoint.run(() -> {
                            throw failure;
                        })));
    }

    @Test
    void tasksSeeTheCallersMdc() throws Exception {
        try (Entrypoint ep = builder().start()) {
            MDC.put("request", "42");
            try {
                assertEquals("42", ep.createTask(() -> MDC.get("request")).await());
            } finally {
                MDC.remove("request");
            }
        }
    }

    @Test
    void tasksStillRunningAtCloseEndCancelled() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        Entrypoint ep = builder().start();
        Task<String> task = ep.createTask(() -> {
            running.countDown();
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                interrupted.set(true);
                throw e;
            }
            return "never";
        });
        running.await();
        ep.close();
        assertTrue(task.isCancelled());
        assertTrue(interrupted.get(), "close() waits until the task's code has exited");
        assertThrows(CancellationException.class, task::await);
        assertThrows(RejectedExecutionException.class, () -> ep.createTask(() -> 1));
    }

    @Test
    void callLaterRunsAfterItsDelay() throws Exception {
        try (Entrypoint ep = builder().start()) {
            long started = System.nanoTime();
            AtomicReference<Long> ranAfter = new AtomicReference<>();
            ep.callLater(Duration.ofMillis(100), () -> ranAfter.set(System.nanoTime() - started))
                    .await();
            assertTrue(ranAfter.get() >= Duration.ofMillis(100).toNanos());
        }
    }

    @Test
    void callLaterCancelledBeforeItsDelayNeverRuns() throws Exception {
        AtomicBoolean ran = new AtomicBoolean();
        try (Entrypoint ep = builder().start()) {
            Task<Void> later = ep.callLater(Duration.ofHours(1), () -> ran.set(true));
            assertTrue(later.cancel(true));
            assertThrows(CancellationException.class, later::await);
        }
        assertFalse(ran.get());
    }

    @Test
    void threadPoolIsNamedDefaultHasPoolSizeThreadsAndRejectsAfterClose() throws Exception {
        Entrypoint ep = builder().poolSize(3).start();
        ThreadPool pool = TestPools.defaultPool(ep);
        assertEquals("default", pool.name());
        assertEquals(3, pool.size());
        ep.close();
        assertThrows(RejectedExecutionException.class, () -> ep.threadPool().submit(() -> 1));
    }

    @Test
    void awaitRethrowsTheTasksOwnException() throws Exception {
        try (Entrypoint ep = builder().start()) {
            IOException failure = new IOException("task failed");
            Task<Object> task = ep.createTask(() -> {
                throw failure;
            });
            assertSame(failure, assertThrows(IOException.class, task::await));
        }
    }

    @Test
    void servicesListsStartedServicesInOrder() throws Exception {
        Recorder recorder = new Recorder();
        Service a = recorder.service("a");
        Service b = recorder.service("b");
        try (Entrypoint ep = builder().services(a, b).start()) {
            assertEquals(List.of(a, b), ep.services());
        }
    }
}
