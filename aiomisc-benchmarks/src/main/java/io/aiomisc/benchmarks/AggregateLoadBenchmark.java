package io.aiomisc.benchmarks;

import io.aiomisc.resilience.Aggregate;
import io.aiomisc.resilience.Aggregator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code aggregate} under load: 10,000 virtual threads call an aggregator (leeway 10 ms, maxCount
 * 100) at once, each once per round; prints per round the number of batches, the callers'
 * p50/p99 latency and the throughput (calls per second of wall time). The batch function is
 * trivial, so what is measured is the aggregation.
 *
 * <p>Run: {@code FORKS=1 aiomisc-benchmarks/run AggregateLoadBenchmark [rounds]}.
 */
public final class AggregateLoadBenchmark {
    private static final int CALLERS = 10_000;

    private AggregateLoadBenchmark() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        AtomicInteger batches = new AtomicInteger();
        Aggregator<Integer, Integer> aggregator = Aggregate.aggregate(Duration.ofMillis(10), 100, values -> {
            batches.incrementAndGet();
            return values.stream().map(v -> v * 2).toList();
        });
        System.out.printf(
                Locale.ROOT, "== aggregate: %d virtual-thread callers at once, leeway 10 ms, maxCount 100%n", CALLERS);
        for (int round = 0; round <= rounds; round++) {
            batches.set(0);
            long[] latencies = new long[CALLERS];
            List<Thread> threads = new ArrayList<>(CALLERS);
            long started = System.nanoTime();
            for (int i = 0; i < CALLERS; i++) {
                int index = i;
                threads.add(Thread.ofVirtual().start(() -> {
                    long begin = System.nanoTime();
                    try {
                        if (aggregator.call(index) != index * 2) {
                            throw new AssertionError("wrong result");
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    latencies[index] = System.nanoTime() - begin;
                }));
            }
            for (Thread thread : threads) {
                thread.join();
            }
            long elapsed = System.nanoTime() - started;
            Arrays.sort(latencies);
            String label = round == 0 ? "warm-up" : "round " + round;
            System.out.printf(
                    Locale.ROOT,
                    "  %-8s batches %5d (%.1f calls each)  p50 %6.2f ms  p99 %6.2f ms  throughput %,10.0f calls/s%n",
                    label,
                    batches.get(),
                    (double) CALLERS / batches.get(),
                    latencies[CALLERS / 2] / 1e6,
                    latencies[CALLERS * 99 / 100] / 1e6,
                    CALLERS / (elapsed / 1e9));
        }
    }
}
