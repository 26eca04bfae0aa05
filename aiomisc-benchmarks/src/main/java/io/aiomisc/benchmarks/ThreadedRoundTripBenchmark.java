package io.aiomisc.benchmarks;

import io.aiomisc.Entrypoint;
import io.aiomisc.thread.Threaded;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Round trips of a trivial blocking call, from 1,000 virtual threads at once:
 * {@code Threaded.threaded(work).await()} on an entrypoint's pool against
 * {@code threadPoolExecutor.submit(work).get()} on a bare {@link ThreadPoolExecutor} with the
 * same number of threads. DESIGN.md §11 target: ours ≥ 0.9 ×.
 *
 * <p>One operation = 1,000 virtual threads × 10 calls each, started and joined; both sides pay
 * the same thread start-up. Ours also captures and restores context (entrypoint, MDC, context
 * variables) and counts statistics on every call.
 *
 * <p>Run: {@code aiomisc-benchmarks/run ThreadedRoundTripBenchmark [rounds] [poolSize]}.
 */
public final class ThreadedRoundTripBenchmark {
    private static final int THREADS = 1000;
    private static final int CALLS_PER_THREAD = 10;
    private static final Callable<Integer> TRIVIAL = () -> 42;

    private ThreadedRoundTripBenchmark() {}

    interface Call {
        int call() throws Exception;
    }

    static void fanOut(Call call) throws Exception {
        List<Thread> threads = new ArrayList<>(THREADS);
        for (int i = 0; i < THREADS; i++) {
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    for (int c = 0; c < CALLS_PER_THREAD; c++) {
                        if (call.call() != 42) {
                            throw new AssertionError("wrong result");
                        }
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int poolSize = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        ExecutorService bare =
                new ThreadPoolExecutor(poolSize, poolSize, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>());
        try (Entrypoint entrypoint = Entrypoint.builder()
                .poolSize(poolSize)
                .logConfig(false)
                .catchSignals(false)
                .start()) {
            long calls = (long) THREADS * CALLS_PER_THREAD;
            double[] ratio = new Comparison(
                            "threaded round trip from " + THREADS + " virtual threads, pool of " + poolSize,
                            Duration.ofSeconds(3),
                            Duration.ofSeconds(2),
                            rounds)
                    .run(
                            new Comparison.Side(
                                    "Threaded.threaded(...).await()",
                                    () -> entrypoint.runUntilComplete(() -> {
                                        fanOut(() -> Threaded.threaded(TRIVIAL).await());
                                        return null;
                                    }),
                                    calls,
                                    "calls"),
                            new Comparison.Side(
                                    "ThreadPoolExecutor.submit(...).get()",
                                    () -> fanOut(() -> bare.submit(TRIVIAL).get()),
                                    calls,
                                    "calls"));
            System.out.printf(
                    Locale.ROOT,
                    "%nSUMMARY threaded round trips: %.2f x bare ThreadPoolExecutor (target >= 0.9)%n",
                    ratio[0]);
        } finally {
            bare.shutdownNow();
        }
    }
}
