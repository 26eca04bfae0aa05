package io.aiomisc;

import static io.aiomisc.testing.TestEntrypoints.builder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiomisc.internal.RunnableTask;
import io.aiomisc.task.Task;
import io.aiomisc.testing.Blocking;
import io.aiomisc.thread.Threaded;
import io.aiomisc.time.ManualTimeSource;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Regressions of the entrypoint's lifecycle defects (issue 10, defects 1–5), one test each. */
class EntrypointRegressionTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    /**
     * A pool task that, once the pool's close interrupts it, holds on until {@code waiter} blocks:
     * it finishes only if whoever closes the pool really waits for it.
     */
    private static Object holdUntilWaitedFor(Thread waiter, CountDownLatch running, CountDownLatch finished) {
        running.countDown();
        try {
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            while (waiter.getState() == Thread.State.RUNNABLE) {
                Thread.onSpinWait();
            }
        }
        finished.countDown();
        return null;
    }

    /** Defect 1: a cancelled callLater never runs, even when cancel may not interrupt. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void cancelledCallLaterNeverRuns(boolean mayInterruptIfRunning) throws Exception {
        ManualTimeSource time = new ManualTimeSource();
        AtomicBoolean ran = new AtomicBoolean();
        try (Entrypoint ep = builder().timeSource(time).start()) {
            Task<Void> task = ep.callLater(Duration.ofSeconds(10), () -> ran.set(true));
            time.awaitSleepers(1, PATIENCE);
            assertTrue(task.cancel(mayInterruptIfRunning));
            time.advance(Duration.ofSeconds(10));
            assertTrue(((RunnableTask<?>) task).awaitFinished(PATIENCE.toSeconds(), TimeUnit.SECONDS));
            assertFalse(ran.get(), "the cancelled action ran");
        }
    }

    /**
     * Defect 2 and the interrupt policy: interrupting the thread in start() stops every service
     * that started (no POST_START), closes the pool (waiting for its threads), and then throws
     * InterruptedException with the flag set.
     */
    @Test
    void interruptingStartRollsBackCompletelyThenThrowsInterruptedException() throws Exception {
        Recorder recorder = new Recorder();
        AtomicReference<Thread> starter = new AtomicReference<>();
        CountDownLatch poolTaskRunning = new CountDownLatch(1);
        CountDownLatch poolTaskFinished = new CountDownLatch(1);
        CountDownLatch quickStarted = new CountDownLatch(1);
        CountDownLatch hangingStarted = new CountDownLatch(1);
        Service quick = new Service() {
            @Override
            public void start() {
                Threaded.threaded(() -> holdUntilWaitedFor(starter.get(), poolTaskRunning, poolTaskFinished));
                recorder.add("start quick");
                quickStarted.countDown();
            }

            @Override
            public void stop(Throwable exception) {
                recorder.add("stop quick");
            }
        };
        Service hanging = new Service() {
            @Override
            public void start() throws InterruptedException {
                hangingStarted.countDown();
                Thread.sleep(Long.MAX_VALUE);
            }
        };
        Entrypoint ep = builder().services(quick, hanging).build();
        ep.postStart().connect((entrypoint, services) -> recorder.add("post start"));
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicBoolean flagSet = new AtomicBoolean();
        AtomicBoolean poolDoneOnReturn = new AtomicBoolean();
        Thread thread = Thread.ofPlatform().unstarted(() -> {
            try {
                ep.start();
            } catch (Throwable t) {
                failure.set(t);
                flagSet.set(Thread.currentThread().isInterrupted());
                poolDoneOnReturn.set(poolTaskFinished.getCount() == 0);
            }
        });
        starter.set(thread);
        thread.start();
        quickStarted.await();
        hangingStarted.await();
        poolTaskRunning.await();
        thread.interrupt();
        thread.join();
        assertInstanceOf(InterruptedException.class, failure.get());
        assertTrue(flagSet.get(), "start() throws with the interrupt flag set again");
        assertTrue(recorder.events().contains("stop quick"), recorder.events()::toString);
        assertFalse(recorder.events().contains("post start"), recorder.events()::toString);
        assertTrue(poolDoneOnReturn.get(), "the pool's threads had exited when start() threw");
        assertTrue(ep.isClosed());
        assertEquals(List.of(), ep.services());
        try (Entrypoint again = builder().services(quick).start()) {
            assertEquals(List.of(quick), again.services(), "the service is free to join another entrypoint");
        }
    }

    /** Defect 3: close() from a PRE_START receiver (on the starting thread) returns at once; start() is cancelled. */
    @Test
    void closeFromAPreStartReceiverDoesNotDeadlock() {
        Recorder recorder = new Recorder();
        Entrypoint ep = builder().services(recorder.service("a")).build();
        ep.preStart().connect((entrypoint, services) -> entrypoint.close());
        assertTimeoutPreemptively(PATIENCE, () -> assertThrows(CancellationException.class, ep::start));
        assertTrue(ep.isClosed());
        assertEquals(recorder.count("start a"), recorder.count("stop a"), recorder.events()::toString);
    }

    /** Defect 3: close() from a POST_STOP receiver (on the closing thread) returns at once. */
    @Test
    void closeFromAPostStopReceiverDoesNotDeadlock() throws Exception {
        Entrypoint ep = builder().build();
        AtomicBoolean returned = new AtomicBoolean();
        ep.postStop().connect((entrypoint, services) -> {
            entrypoint.close();
            returned.set(true);
        });
        ep.start();
        assertTimeoutPreemptively(PATIENCE, ep::close);
        assertTrue(returned.get());
        assertTrue(ep.isClosed());
    }

    /** Defect 4: close() entered with the interrupt flag set still waits for the pool's threads, and keeps the flag. */
    @Test
    void closeWithTheInterruptFlagSetStillWaitsForThePoolThreads() throws Exception {
        Entrypoint ep = builder().start();
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch finished = new CountDownLatch(1);
        Thread closer = Thread.currentThread();
        ep.threadPool().submit(() -> holdUntilWaitedFor(closer, running, finished));
        running.await();
        Thread.currentThread().interrupt();
        ep.close();
        boolean flag = Thread.interrupted();
        assertEquals(0, finished.getCount(), "close() returned while a pool thread still ran");
        assertTrue(flag, "close() sets the interrupt flag again");
        assertTrue(ep.isClosed());
    }

    /**
     * Defect 5: a close() from another thread aborts start() with CancellationException, and the
     * starting thread (never interrupted) is not left interrupted.
     */
    @Test
    void closeFromAnotherThreadWhileStartingThrowsCancellation() throws Exception {
        CountDownLatch starting = new CountDownLatch(1);
        Service hanging = new Service() {
            @Override
            public void start() throws InterruptedException {
                starting.countDown();
                Thread.sleep(Long.MAX_VALUE);
            }
        };
        Entrypoint ep = builder().services(hanging).build();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicBoolean flagSet = new AtomicBoolean();
        Thread starter = Thread.ofPlatform().start(() -> {
            try {
                ep.start();
            } catch (Throwable t) {
                failure.set(t);
                flagSet.set(Thread.currentThread().isInterrupted());
            }
        });
        starting.await();
        ep.close();
        starter.join();
        assertInstanceOf(CancellationException.class, failure.get());
        assertFalse(flagSet.get());
        assertTrue(ep.isClosed());
    }

    /** The shutdown deadline runs on the injected time source: a stuck stop is reported when that time passes. */
    @Test
    void shutdownTimeoutIsMeasuredOnTheTimeSource() throws Exception {
        ManualTimeSource time = new ManualTimeSource();
        CountDownLatch stopping = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Service stuck = new Service() {
            @Override
            public void start() {}

            @Override
            public void stop(Throwable exception) {
                stopping.countDown();
                Blocking.deafUntil(release);
            }

            @Override
            public String name() {
                return "stuck-service";
            }
        };
        Entrypoint ep = builder()
                .timeSource(time)
                .shutdownTimeout(Duration.ofHours(1))
                .services(stuck)
                .start();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread closer = Thread.ofPlatform().start(() -> {
            try {
                ep.close();
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        stopping.await();
        time.advance(Duration.ofHours(1));
        closer.join();
        release.countDown();
        TimeoutException timeout = assertInstanceOf(
                TimeoutException.class,
                assertInstanceOf(ShutdownException.class, failure.get()).getCause());
        assertTrue(timeout.getMessage().contains("stuck-service"), timeout.getMessage());
        assertTrue(ep.isClosed());
    }
}
