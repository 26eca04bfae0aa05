package io.aiomisc.thread;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiomisc.Entrypoint;
import io.aiomisc.TestPools;
import io.aiomisc.stats.Metric;
import io.aiomisc.stats.Statistics;
import io.aiomisc.stats.ThreadPoolStatistic;
import io.aiomisc.task.Task;
import io.aiomisc.testing.Blocking;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class ThreadedTest {
    static final ContextVar<String> USER = new ContextVar<>("user");

    static Entrypoint start(int poolSize) throws Exception {
        return Entrypoint.builder()
                .catchSignals(false)
                .logConfig(false)
                .poolSize(poolSize)
                .start();
    }

    @Test
    void fourBlockingCallsRunInParallelOnAFourThreadPool() throws Exception {
        try (Entrypoint ep = start(4)) {
            // Each call waits at a barrier for all four before its 200 ms of blocking work: they can
            // only pass it if all four run at once, so the four finish together after ~200 ms
            // instead of 800 ms one after another. Measured by the barrier, not by a clock.
            CyclicBarrier allFour = new CyclicBarrier(4);
            List<Task<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                calls.add(ep.runUntilComplete(() -> Threaded.threaded(() -> {
                    int arrival = allFour.await(10, TimeUnit.SECONDS);
                    Thread.sleep(200);
                    return arrival;
                })));
            }
            List<Integer> arrivals = new ArrayList<>();
            for (Task<Integer> call : calls) {
                arrivals.add(call.await());
            }
            assertEquals(List.of(0, 1, 2, 3), arrivals.stream().sorted().toList());
        }
    }

    @Test
    void thePoolSizeBoundsHowManyRunAtOnce() throws Exception {
        try (Entrypoint ep = start(2)) {
            CyclicBarrier three = new CyclicBarrier(3);
            List<Task<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                calls.add(ep.runUntilComplete(() -> Threaded.threaded(() -> three.await(300, TimeUnit.MILLISECONDS))));
            }
            // two threads: the third call cannot reach the barrier while the first two wait, so
            // the barrier breaks on a timeout instead of tripping
            int timeouts = 0;
            for (Task<Integer> call : calls) {
                Exception failure = assertThrows(Exception.class, call::await);
                assertTrue(
                        failure instanceof TimeoutException || failure instanceof BrokenBarrierException,
                        failure.toString());
                timeouts += failure instanceof TimeoutException ? 1 : 0;
            }
            assertEquals(1, timeouts);
        }
    }

    @Test
    void exceptionsPropagateUnwrapped() {
        IOException failure = new IOException("blocking call failed");
        Task<Object> call = Threaded.threaded(() -> {
            throw failure;
        });
        assertSame(failure, assertThrows(IOException.class, call::await));
    }

    @Test
    void cancellationInterruptsARunningCall() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        Task<Object> call = Threaded.threaded(Blocking.untilInterrupted(running, interrupted));
        running.await();
        assertTrue(call.cancel(true));
        assertTrue(interrupted.await(10, TimeUnit.SECONDS));
    }

    @Test
    void contextFollowsTheCallAndIsClearedAfter() throws Exception {
        try (Entrypoint ep = start(1)) {
            ep.runUntilComplete(() -> {
                MDC.put("request", "r-1");
                USER.set("alice");
                try {
                    assertEquals(
                            "r-1", Threaded.threaded(() -> MDC.get("request")).await());
                    assertEquals("alice", Threaded.threaded(USER::get).await());
                    assertSame(ep, Threaded.threaded(Entrypoint::current).await());
                } finally {
                    MDC.remove("request");
                    USER.remove();
                }
                // the next, unrelated call on the same single thread sees none of it
                assertNull(Threaded.threaded(() -> MDC.get("request")).await());
                assertNull(Threaded.threaded(USER::get).await());
                return null;
            });
        }
    }

    @Test
    void statisticsCountCallsUnderTheDefaultPool() throws Exception {
        try (Entrypoint ep = start(2)) {
            ThreadPoolStatistic statistic = TestPools.defaultPool(ep).statistic();
            ep.runUntilComplete(() -> {
                Threaded.threaded(() -> 1).await();
                try {
                    Threaded.threaded(() -> {
                                throw new IllegalStateException("counted");
                            })
                            .await();
                } catch (IllegalStateException expected) {
                    // counted as an error
                }
                return null;
            });
            assertEquals(2, statistic.submitted.value());
            assertEquals(2, statistic.done());
            assertEquals(1, statistic.success.value());
            assertEquals(1, statistic.error.value());
            assertTrue(statistic.sumTime.seconds() >= 0);
            List<Metric> reported = Statistics.all(ThreadPoolStatistic.class).stream()
                    .filter(m -> "default".equals(m.name())
                            && m.metric().equals("submitted")
                            && m.value().longValue() == 2)
                    .toList();
            assertFalse(reported.isEmpty());
        }
    }

    @Test
    void callsFromAClosedEntrypointAreRejected() throws Exception {
        Entrypoint ep = start(1);
        CountDownLatch closed = new CountDownLatch(1);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        // a thread started by the entrypoint's task outlives it and still belongs to it
        Thread straggler = ep.runUntilComplete(() -> Thread.ofPlatform().start(() -> {
            try {
                closed.await();
                Threaded.threaded(() -> 1);
            } catch (Throwable t) {
                thrown.set(t);
            }
        }));
        ep.close();
        closed.countDown();
        straggler.join();
        assertTrue(thrown.get() instanceof RejectedExecutionException, String.valueOf(thrown.get()));
    }

    @Test
    void outsideAnEntrypointTheSharedPoolIsUsed() throws Exception {
        String thread =
                Threaded.threaded(() -> Thread.currentThread().getName()).await();
        assertTrue(thread.startsWith("aiomisc-global-pool-threaded-"), thread);
    }

    @Test
    void threadedSeparateRunsOnANewPlatformThread() throws Exception {
        Thread caller = Thread.currentThread();
        Thread runner = Threaded.threadedSeparate(Thread::currentThread).await();
        assertFalse(runner.isVirtual());
        assertTrue(runner.getName().startsWith("aiomisc-separate-"), runner.getName());
        assertTrue(runner != caller);
        runner.join(10_000);
        assertFalse(runner.isAlive());
    }

    @Test
    void threadedSeparateInsideAnEntrypointIsCancelledWhenItCloses() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        Entrypoint ep = start(1);
        Task<Object> call =
                ep.runUntilComplete(() -> Threaded.threadedSeparate(Blocking.untilInterrupted(running, interrupted)));
        running.await();
        ep.close();
        assertEquals(0, interrupted.getCount(), "close() waited for the separate thread to stop");
        assertTrue(call.isCancelled());
    }

    @Test
    void wrapTurnsFunctionsIntoTaskReturningFunctions() throws Exception {
        Function<String, Task<Integer>> length = Threaded.wrap(String::length);
        assertEquals(5, length.apply("hello").await());
        Supplier<Task<String>> name =
                Threaded.wrapSeparate(() -> Thread.currentThread().getName());
        assertTrue(name.get().await().startsWith("aiomisc-separate-"));
        Function<Integer, Task<Integer>> twice = Threaded.wrapSeparate(x -> x * 2);
        assertEquals(42, twice.apply(21).await());
        assertEquals("x", Threaded.wrap(() -> "x").get().await());
        Function<Integer, IteratorWrapper<Integer>> countTo =
                Threaded.wrapIterable(2, (Integer n, Emitter<Integer> emitter) -> {
                    for (int i = 1; i <= n; i++) {
                        emitter.emit(i);
                    }
                });
        try (IteratorWrapper<Integer> it = countTo.apply(3)) {
            assertEquals(List.of(1, 2, 3), it.stream().toList());
        }
    }

    @Test
    void nullWorkIsRejected() {
        assertThrows(NullPointerException.class, () -> Threaded.threaded(null));
        assertThrows(NullPointerException.class, () -> Threaded.threadedSeparate(null));
    }
}
