package io.aiomisc;

import static io.aiomisc.testing.TestEntrypoints.builder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiomisc.plugin.LogConfigurator;
import io.aiomisc.plugin.LogSettings;
import io.aiomisc.task.Task;
import io.aiomisc.thread.Threaded;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The builder options added for parity with aiomisc, and the interrupt policy of the blocking methods. */
class EntrypointOptionsTest {

    /** A logging module stand-in that rejects the date format "bad". */
    static final class PickyConfigurator implements LogConfigurator {
        @Override
        public void configure(LogSettings settings) {}

        @Override
        public void release(LogSettings settings) {}

        @Override
        public String defaultFormat() {
            return "plain";
        }

        @Override
        public void checkDateFormat(String dateFormat) {
            if (dateFormat.equals("bad")) {
                throw new IllegalArgumentException("unknown pattern letter");
            }
        }
    }

    @Test
    void builderRunStartsRunsMainAndCloses() throws Exception {
        Recorder recorder = new Recorder();
        AtomicReference<Entrypoint> current = new AtomicReference<>();
        int result = builder().services(recorder.service("a")).run(() -> {
            current.set(Entrypoint.current());
            return 42;
        });
        assertEquals(42, result);
        assertTrue(current.get().isClosed());
        assertEquals(List.of("start a", "stop a"), recorder.events());
    }

    @Test
    void builderRunRethrowsMainsExceptionAsIs() {
        IllegalStateException failure = new IllegalStateException("main failed");
        assertSame(failure, assertThrows(IllegalStateException.class, () -> builder()
                .run(() -> {
                    throw failure;
                })));
    }

    @Test
    void catchSignalsRejectsAnUnknownNameNamingIt() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> Entrypoint.builder().catchSignals("INT", "NOSUCHSIGNAL"));
        assertTrue(e.getMessage().contains("NOSUCHSIGNAL"), e.getMessage());
        assertThrows(NullPointerException.class, () -> Entrypoint.builder().catchSignals("INT", null));
    }

    @Test
    void catchSignalsAcceptsNamesWithOrWithoutSigInAnyCase() {
        Entrypoint.builder().catchSignals("hup", "SIGTERM", "Int");
        Entrypoint.builder().catchSignals();
    }

    @Test
    void theDefaultPoolCanBeTheCallersExecutorWhichCloseLeavesRunning() throws Exception {
        ExecutorService mine = Executors.newSingleThreadExecutor(body -> new Thread(body, "callers-pool"));
        try {
            Entrypoint ep = builder().threadPool(mine).start();
            String thread = ep.runUntilComplete(() ->
                    Threaded.threaded(() -> Thread.currentThread().getName()).await());
            assertEquals("callers-pool", thread);
            assertSame(
                    ep,
                    ep.threadPool().submit(Entrypoint::current).get(),
                    "work from outside runs with the entrypoint current");
            ep.close();
            assertThrows(RejectedExecutionException.class, () -> ep.threadPool().submit(() -> 1));
            assertFalse(mine.isShutdown(), "the caller owns its executor");
            assertEquals(1, mine.submit(() -> 1).get());
        } finally {
            mine.shutdownNow();
            assertTrue(mine.awaitTermination(20, TimeUnit.SECONDS));
        }
    }

    @Test
    void contextStatisticIsNamedByTheBuilder() throws Exception {
        try (Entrypoint ep = builder().contextStatisticName("shared").start()) {
            assertEquals("shared", ep.context().statistic().name());
        }
        assertThrows(IllegalArgumentException.class, () -> builder().contextStatisticName(" "));
    }

    @Test
    void buildRejectsABadLogDateFormatNamingTheOption() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> builder()
                .logConfig(true)
                .logConfigurator(new PickyConfigurator())
                .logDateFormat("bad")
                .build());
        assertTrue(e.getMessage().contains("logDateFormat") && e.getMessage().contains("'bad'"), e.getMessage());
        assertTrue(e.getMessage().contains("unknown pattern letter"), e.getMessage());
    }

    @Test
    void buildRejectsABadDateFormatVariableNamingTheVariable() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> Entrypoint.builder(Map.of("AIOMISC_LOG_DATE_FORMAT", "bad"))
                        .catchSignals(false)
                        .logConfig(true)
                        .logConfigurator(new PickyConfigurator())
                        .build());
        assertTrue(e.getMessage().contains("AIOMISC_LOG_DATE_FORMAT"), e.getMessage());
        builder()
                .logConfig(true)
                .logConfigurator(new PickyConfigurator())
                .logDateFormat("HH:mm")
                .build()
                .close();
    }

    @Test
    void runForeverInterruptedThrowsCancellationAndKeepsTheFlag() throws Exception {
        try (Entrypoint ep = builder().start()) {
            Thread.currentThread().interrupt();
            assertThrows(CancellationException.class, ep::runForever);
            assertTrue(Thread.interrupted());
            assertFalse(ep.isClosed());
        }
    }

    @Test
    void runUntilCompleteInterruptedCancelsMain() throws Exception {
        try (Entrypoint ep = builder().start()) {
            CountDownLatch running = new CountDownLatch(1);
            CountDownLatch mainInterrupted = new CountDownLatch(1);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread waiter = Thread.ofPlatform().start(() -> {
                try {
                    ep.runUntilComplete(() -> {
                        running.countDown();
                        try {
                            return new CountDownLatch(1).await(1, TimeUnit.HOURS);
                        } catch (InterruptedException e) {
                            mainInterrupted.countDown();
                            throw e;
                        }
                    });
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            running.await();
            waiter.interrupt();
            waiter.join();
            assertInstanceOf(InterruptedException.class, failure.get());
            assertTrue(mainInterrupted.await(20, TimeUnit.SECONDS), "main was cancelled");
        }
    }

    @Test
    void startServicesInterruptedRollsBackThoseServicesAndKeepsTheFlag() throws Exception {
        Recorder recorder = new Recorder();
        CountDownLatch hanging = new CountDownLatch(1);
        Service slow = new Service() {
            @Override
            public void start() throws InterruptedException {
                hanging.countDown();
                Thread.sleep(Long.MAX_VALUE);
            }
        };
        try (Entrypoint ep = builder().start()) {
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicBoolean flag = new AtomicBoolean();
            Thread starter = Thread.ofPlatform().start(() -> {
                try {
                    ep.startServices(recorder.service("quick"), slow);
                } catch (Throwable t) {
                    failure.set(t);
                    flag.set(Thread.currentThread().isInterrupted());
                }
            });
            hanging.await();
            starter.interrupt();
            starter.join();
            assertInstanceOf(InterruptedException.class, failure.get());
            assertTrue(flag.get());
            assertEquals(List.of(), ep.services());
            assertEquals(recorder.count("start quick"), recorder.count("stop quick"));
        }
    }

    @Test
    void stopServicesIsNotCutShortByAnInterruptAndKeepsTheFlag() throws Exception {
        CountDownLatch stopping = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean stopFinished = new AtomicBoolean();
        Service slowStop = new Service() {
            @Override
            public void start() {}

            @Override
            public void stop(Throwable exception) throws InterruptedException {
                stopping.countDown();
                release.await();
                stopFinished.set(true);
            }
        };
        try (Entrypoint ep = builder().services(slowStop).start()) {
            AtomicBoolean finishedOnReturn = new AtomicBoolean();
            AtomicBoolean flag = new AtomicBoolean();
            Thread stopper = Thread.ofPlatform().start(() -> {
                try {
                    ep.stopServices(slowStop);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                finishedOnReturn.set(stopFinished.get());
                flag.set(Thread.currentThread().isInterrupted());
            });
            stopping.await();
            stopper.interrupt();
            release.countDown();
            stopper.join();
            assertTrue(finishedOnReturn.get(), "stopServices() returned before the stop finished");
            assertTrue(flag.get());
        }
    }

    @Test
    void createTaskAndCallLaterNeverBlock() throws Exception {
        try (Entrypoint ep = builder().start()) {
            Thread.currentThread().interrupt();
            Task<Integer> task = ep.createTask(() -> 1);
            assertTrue(Thread.interrupted(), "createTask neither blocks nor clears the flag");
            assertEquals(1, task.await());
        }
    }
}
