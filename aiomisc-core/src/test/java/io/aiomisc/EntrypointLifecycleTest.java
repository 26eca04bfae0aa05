package io.aiomisc;

import static io.aiomisc.testing.TestEntrypoints.builder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiomisc.internal.Threads;
import io.aiomisc.task.Task;
import io.aiomisc.testing.Blocking;
import io.aiomisc.testing.LeakCheck;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class EntrypointLifecycleTest {

    /** Waits for the context key the other one sets: only a concurrent start can finish. */
    static final class Handshake extends Service {
        private final String mine;
        private final String theirs;

        Handshake(String mine, String theirs) {
            this.mine = mine;
            this.theirs = theirs;
        }

        @Override
        public void start() throws Exception {
            context().set(mine, true);
            context().get(theirs, Boolean.class, Duration.ofSeconds(20));
        }

        @Override
        public String name() {
            return "handshake-" + mine;
        }
    }

    @Test
    void servicesStartConcurrently() throws Exception {
        Handshake a = new Handshake("a", "b");
        Handshake b = new Handshake("b", "a");
        try (Entrypoint ep = builder().services(a, b).start()) {
            assertEquals(List.of(a, b), ep.services());
        }
    }

    @Test
    void readyLetsStartKeepRunningAndItIsInterruptedAfterStop() throws Exception {
        Recorder recorder = new Recorder();
        CountDownLatch exited = new CountDownLatch(1);
        Service infinite = new Service() {
            @Override
            public void start() throws InterruptedException {
                recorder.add("ready");
                ready();
                try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException e) {
                    recorder.add("interrupted");
                    throw e;
                } finally {
                    exited.countDown();
                }
            }

            @Override
            public void stop(Throwable exception) {
                recorder.add("stop");
            }
        };
        try (Entrypoint ep = builder().services(infinite).start()) {
            assertEquals(List.of(infinite), ep.services());
            assertEquals(1, exited.getCount(), "start() keeps running after ready()");
        }
        assertEquals(0, exited.getCount(), "close() waited for start() to exit");
        List<String> events = recorder.events();
        assertEquals(List.of("ready", "stop", "interrupted"), events.subList(events.indexOf("ready"), events.size()));
    }

    @Test
    void eventsHappenInOrderAndTasksLiveThroughPostStop() throws Exception {
        Recorder recorder = new Recorder();
        AtomicReference<Task<Object>> background = new AtomicReference<>();
        Entrypoint ep = builder().services(recorder.service("svc")).build();
        ep.preStart().connect((e, services) -> recorder.add("pre_start " + services));
        ep.postStart().connect((e, services) -> recorder.add("post_start " + services));
        ep.preStop().connect((e, services) -> recorder.add("pre_stop " + services));
        ep.postStop()
                .connect((e, services) -> recorder.add("post_stop " + services + " task alive="
                        + !background.get().isDone()));
        ep.start();
        background.set(ep.createTask(() -> {
            Thread.sleep(Long.MAX_VALUE);
            return null;
        }));
        ep.runUntilComplete(() -> {
            recorder.add("body");
            return null;
        });
        ep.close();
        assertEquals(
                List.of(
                        "pre_start [svc]",
                        "start svc",
                        "post_start [svc]",
                        "body",
                        "pre_stop [svc]",
                        "stop svc",
                        "post_stop [svc] task alive=true"),
                recorder.events());
        assertTrue(background.get().isCancelled());
        assertThrows(CancellationException.class, () -> background.get().await());
    }

    @Test
    void failedStartStopsTheServicesThatStartedAndSkipsPostStart() throws Exception {
        Recorder recorder = new Recorder();
        CountDownLatch badIsFailing = new CountDownLatch(1);
        IOException failure = new IOException("bad start");
        Service good = recorder.service("good");
        Service slow = new Service() {
            @Override
            public void start() throws InterruptedException {
                badIsFailing.await();
                recorder.add("start slow");
            }

            @Override
            public void stop(Throwable exception) {
                recorder.add("stop slow " + exception.getMessage());
            }
        };
        Service bad = new Service() {
            @Override
            public void start() throws IOException {
                badIsFailing.countDown();
                throw failure;
            }

            @Override
            public void stop(Throwable exception) {
                recorder.add("stop bad");
            }
        };
        Entrypoint ep = builder().services(good, slow, bad).build();
        ep.postStart().connect((e, services) -> recorder.add("post_start"));
        ep.preStop().connect((e, services) -> recorder.add("pre_stop " + services.size()));
        ep.postStop().connect((e, services) -> recorder.add("post_stop " + services.size()));

        IOException thrown = assertThrows(IOException.class, ep::start);

        assertSame(failure, thrown);
        List<String> events = recorder.events();
        assertTrue(events.contains("stop good"), events::toString);
        assertTrue(events.contains("stop slow bad start"), events::toString);
        assertFalse(events.contains("stop bad"), events::toString);
        assertFalse(events.contains("post_start"), events::toString);
        assertTrue(events.indexOf("pre_stop 2") < events.indexOf("post_stop 2"), events::toString);
        assertTrue(ep.isClosed());
        assertThrows(RejectedExecutionException.class, () -> ep.threadPool().submit(() -> 1));
        assertTrue(ep.services().isEmpty());
    }

    @Test
    void failedStartThrowsTheFirstFailureWithTheOthersSuppressed() {
        CountDownLatch bothStarted = new CountDownLatch(2);
        List<Service> failing = new ArrayList<>();
        for (String name : List.of("one", "two")) {
            failing.add(new Service() {
                @Override
                public void start() throws Exception {
                    bothStarted.countDown();
                    bothStarted.await();
                    throw new IllegalStateException(name);
                }
            });
        }
        IllegalStateException thrown = assertThrows(
                IllegalStateException.class, () -> builder().services(failing).start());
        assertEquals(1, thrown.getSuppressed().length);
        assertEquals(Set.of("one", "two"), Set.of(thrown.getMessage(), thrown.getSuppressed()[0].getMessage()));
    }

    @Test
    void stopReceivesTheExceptionThatEndedTheRun() {
        Recorder recorder = new Recorder();
        Recorder.RecordingService svc = (Recorder.RecordingService) recorder.service("svc");
        RuntimeException boom = new RuntimeException("boom");
        RuntimeException thrown = assertThrows(
                RuntimeException.class,
                () -> Entrypoint.run(
                        () -> {
                            throw boom;
                        },
                        svc));
        assertSame(boom, thrown);
        assertSame(boom, svc.stopException);
    }

    @Test
    void stopReceivesNullOnANormalClose() throws Exception {
        Recorder recorder = new Recorder();
        Recorder.RecordingService svc = (Recorder.RecordingService) recorder.service("svc");
        builder().services(svc).start().close();
        assertTrue(svc.stopCalled);
        assertNull(svc.stopException);
    }

    @Test
    void throwingPreStartReceiverAbortsTheStart() throws Exception {
        Recorder recorder = new Recorder();
        Service svc = recorder.service("svc");
        IllegalStateException refused = new IllegalStateException("refused");
        Entrypoint ep = builder().services(svc).build();
        ep.preStart().connect((e, services) -> {
            throw refused;
        });
        assertSame(refused, assertThrows(IllegalStateException.class, ep::start));
        assertEquals(List.of(), recorder.events());
        assertTrue(ep.isClosed());
        // the service was released and can run elsewhere
        try (Entrypoint other = builder().services(svc).start()) {
            assertEquals(List.of(svc), other.services());
        }
    }

    @Test
    void throwingPostStartReceiverRollsBackTheStart() throws Exception {
        Recorder recorder = new Recorder();
        Entrypoint ep = builder().services(recorder.service("svc")).build();
        ep.postStart().connect((e, services) -> {
            throw new IOException("cannot notify");
        });
        assertThrows(IOException.class, ep::start);
        assertEquals(List.of("start svc", "stop svc"), recorder.events());
    }

    @Test
    void signalsAreFrozenAtStartAndCopiedAtBuild() throws Exception {
        Recorder recorder = new Recorder();
        Signal.Receiver early = (e, s) -> recorder.add("early");
        Signal.Receiver late = (e, s) -> recorder.add("late");
        Entrypoint.PRE_START.connect(early);
        try {
            Entrypoint ep = builder().build();
            Entrypoint.PRE_START.connect(late);
            ep.start();
            try {
                assertThrows(IllegalStateException.class, () -> ep.preStart().connect((e, s) -> {}));
                assertThrows(IllegalStateException.class, () -> ep.postStop().disconnect(early));
            } finally {
                ep.close();
            }
            assertEquals(List.of("early"), recorder.events());
        } finally {
            Entrypoint.PRE_START.disconnect(early);
            Entrypoint.PRE_START.disconnect(late);
        }
    }

    @Test
    void closeTwiceAndFromTwoThreadsStopsEachServiceOnce() throws Exception {
        AtomicInteger stops = new AtomicInteger();
        Service svc = new Service() {
            @Override
            public void start() {}

            @Override
            public void stop(Throwable exception) {
                stops.incrementAndGet();
            }
        };
        Entrypoint ep = builder().services(svc).start();
        CyclicBarrier barrier = new CyclicBarrier(2);
        List<Thread> closers = new ArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicInteger returnedAfterStop = new AtomicInteger();
        for (int i = 0; i < 2; i++) {
            closers.add(Thread.ofPlatform().start(() -> {
                try {
                    barrier.await();
                    ep.close();
                    if (stops.get() == 1 && ep.isClosed()) {
                        returnedAfterStop.incrementAndGet();
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            }));
        }
        for (Thread closer : closers) {
            closer.join();
        }
        ep.close();
        assertNull(failure.get());
        assertEquals(1, stops.get());
        assertEquals(2, returnedAfterStop.get(), "both closers return only once everything has stopped");
    }

    @Test
    void throwingStopDoesNotKeepTheOthersFromStopping() throws Exception {
        Recorder recorder = new Recorder();
        IOException first = new IOException("cannot stop");
        Service broken = new Service() {
            @Override
            public void start() {}

            @Override
            public void stop(Throwable exception) throws IOException {
                throw first;
            }
        };
        Entrypoint ep = builder()
                .services(broken, recorder.service("a"), recorder.service("b"))
                .start();
        // a checked stop() failure surfaces as the cause of the unchecked ShutdownException
        assertSame(first, assertThrows(ShutdownException.class, ep::close).getCause());
        assertTrue(recorder.events().containsAll(List.of("stop a", "stop b")));
        assertTrue(ep.isClosed());
    }

    @Test
    void anUncheckedStopFailureIsThrownFromCloseAsIs() throws Exception {
        IllegalStateException first = new IllegalStateException("cannot stop");
        Service broken = new Service() {
            @Override
            public void start() {}

            @Override
            public void stop(Throwable exception) {
                throw first;
            }
        };
        Entrypoint ep = builder().services(broken).start();
        assertSame(first, assertThrows(IllegalStateException.class, ep::close));
        assertTrue(ep.isClosed());
    }

    @Test
    void stopThatNeverReturnsIsReportedAfterTheShutdownTimeout() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Service stuck = new Service() {
            @Override
            public void start() {}

            @Override
            public void stop(Throwable exception) {
                Blocking.deafUntil(release);
            }

            @Override
            public String name() {
                return "stuck-service";
            }
        };
        Entrypoint ep = builder()
                .shutdownTimeout(Duration.ofMillis(300))
                .services(stuck)
                .start();
        long started = System.nanoTime();
        TimeoutException thrown = assertInstanceOf(
                TimeoutException.class,
                assertThrows(ShutdownException.class, ep::close).getCause());
        long elapsed = System.nanoTime() - started;
        release.countDown();
        assertTrue(thrown.getMessage().contains("stuck-service"), thrown.getMessage());
        assertTrue(elapsed < TimeUnit.SECONDS.toNanos(10), "close() is bounded by the shutdown timeout");
        assertTrue(ep.isClosed());
    }

    @Test
    void closeWhileStartingInterruptsTheStartsAndRollsBack() throws Exception {
        Recorder recorder = new Recorder();
        CountDownLatch starting = new CountDownLatch(1);
        Service hanging = new Service() {
            @Override
            public void start() throws InterruptedException {
                starting.countDown();
                try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException e) {
                    recorder.add("start interrupted");
                    throw e;
                }
            }
        };
        Entrypoint ep = builder().services(recorder.service("quick"), hanging).build();
        AtomicReference<Throwable> startFailure = new AtomicReference<>();
        Thread starter = Thread.ofPlatform().start(() -> {
            try {
                ep.start();
            } catch (Throwable t) {
                startFailure.set(t);
            }
        });
        starting.await();
        ep.close();
        starter.join();
        assertTrue(ep.isClosed());
        // defect 5: the starting thread was not interrupted, so start() reports the close, not an interrupt
        assertInstanceOf(CancellationException.class, startFailure.get());
        assertTrue(
                recorder.events().containsAll(List.of("start quick", "start interrupted", "stop quick")),
                recorder.events()::toString);
    }

    @Test
    void closeFromAServiceBeginsTheShutdownWithoutWaitingForItself() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        Service quitter = new Service() {
            @Override
            public void start() throws Exception {
                ready();
                running.await();
                entrypoint().close();
                Thread.sleep(Long.MAX_VALUE);
            }

            @Override
            public void stop(Throwable exception) {
                stopped.countDown();
            }
        };
        Entrypoint ep = builder().services(quitter).start();
        running.countDown();
        ep.runForever();
        assertTrue(ep.isClosed());
        assertEquals(0, stopped.getCount());
    }

    @Test
    void closeFromATaskBeginsTheShutdownWithoutWaitingForItself() throws Exception {
        Entrypoint ep = builder().start();
        ep.createTask(() -> {
            ep.close();
            return null;
        });
        ep.runForever();
        assertTrue(ep.isClosed());
    }

    @Test
    void closeFromAServiceWhileStartingAbortsTheStart() {
        Service quitter = new Service() {
            @Override
            public void start() throws Exception {
                entrypoint().close();
            }
        };
        assertThrows(
                CancellationException.class, () -> builder().services(quitter).start());
    }

    @Test
    void dynamicStartAndStopFireSignalsWithJustThoseServices() throws Exception {
        Recorder recorder = new Recorder();
        Service first = recorder.service("first");
        Service second = recorder.service("second");
        Entrypoint ep = builder().services(first).build();
        ep.preStart().connect((e, services) -> recorder.add("pre_start " + services));
        ep.postStart().connect((e, services) -> recorder.add("post_start " + services));
        ep.preStop().connect((e, services) -> recorder.add("pre_stop " + services));
        ep.postStop().connect((e, services) -> recorder.add("post_stop " + services));
        try (ep) {
            ep.start();
            ep.startServices(second);
            assertEquals(List.of(first, second), ep.services());
            ep.stopServices(second);
            assertEquals(List.of(first), ep.services());
        }
        assertEquals(
                List.of(
                        "pre_start [first]",
                        "start first",
                        "post_start [first]",
                        "pre_start [second]",
                        "start second",
                        "post_start [second]",
                        "pre_stop [second]",
                        "stop second",
                        "post_stop [second]",
                        "pre_stop [first]",
                        "stop first",
                        "post_stop [first]"),
                recorder.events());
    }

    @Test
    void failedDynamicStartRollsBackOnlyThoseServices() throws Exception {
        Recorder recorder = new Recorder();
        Service running = recorder.service("running");
        Service added = recorder.service("added");
        Service failing = new Service() {
            @Override
            public void start() throws IOException {
                throw new IOException("nope");
            }
        };
        try (Entrypoint ep = builder().services(running).start()) {
            assertThrows(IOException.class, () -> ep.startServices(added, failing));
            assertEquals(List.of(running), ep.services());
            assertTrue(recorder.events().contains("stop added"));
            assertFalse(recorder.events().contains("stop running"));
        }
    }

    @Test
    void stopServicesRejectsAServiceThatDoesNotRunHere() throws Exception {
        try (Entrypoint ep = builder().start()) {
            Service stranger = new Recorder().service("stranger");
            assertThrows(IllegalArgumentException.class, () -> ep.stopServices(stranger));
        }
    }

    @Test
    void serviceCanRunAgainAfterItStopped() throws Exception {
        Recorder recorder = new Recorder();
        Service svc = recorder.service("svc");
        builder().services(svc).start().close();
        builder().services(svc).start().close();
        assertEquals(List.of("start svc", "stop svc", "start svc", "stop svc"), recorder.events());
    }

    @Test
    void serviceRunsInOneEntrypointAtATime() throws Exception {
        Service svc = new Recorder().service("svc");
        try (Entrypoint ep = builder().services(svc).start()) {
            assertThrows(
                    IllegalStateException.class, () -> builder().services(svc).start());
            assertThrows(IllegalArgumentException.class, () -> ep.startServices(svc));
        }
    }

    @Test
    void closingCompletesWhenTheShutdownBegins() throws Exception {
        AtomicBoolean closingDoneInStop = new AtomicBoolean();
        AtomicReference<Entrypoint> self = new AtomicReference<>();
        Service svc = new Service() {
            @Override
            public void start() {
                self.set(entrypoint());
            }

            @Override
            public void stop(Throwable exception) {
                closingDoneInStop.set(self.get().closing().isDone());
            }
        };
        Entrypoint ep = builder().services(svc).start();
        assertFalse(ep.closing().isDone());
        ep.close();
        assertTrue(closingDoneInStop.get());
    }

    @Test
    void thousandCyclesLeaveNoThreadsBehind() throws Exception {
        int liveBefore = Threads.live();
        Set<Long> platformBefore = LeakCheck.platformThreadIds();
        for (int i = 0; i < 1000; i++) {
            Entrypoint ep = builder()
                    .services(new Recorder().service("a"), new Recorder().service("b"))
                    .start();
            ep.threadPool().submit(() -> 1).get();
            ep.close();
        }
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> Threads.live() <= liveBefore && platformBefore.containsAll(LeakCheck.platformThreadIds()));
    }
}
