package io.aiomisc.benchmarks;

import io.aiomisc.thread.IteratorWrapper;
import io.aiomisc.thread.Threaded;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Items per second from a producer thread to a consumer thread:
 * {@code Threaded.threadedIterable(1024, generator)} iterated with a for loop, against a bare
 * {@link ArrayBlockingQueue} of 1,024 with a producer on a pool thread and an end marker.
 * One operation = 1,000,000 items.
 *
 * <p>Run: {@code aiomisc-benchmarks/run IteratorThroughputBenchmark [rounds]}.
 */
public final class IteratorThroughputBenchmark {
    private static final int ITEMS = 1_000_000;
    private static final Integer END = -1;

    private IteratorThroughputBenchmark() {}

    static void ours() {
        long sum = 0;
        try (IteratorWrapper<Integer> items = Threaded.threadedIterable(1024, emitter -> {
            for (int i = 0; i < ITEMS; i++) {
                emitter.emit(i);
            }
        })) {
            for (int item : items) {
                sum += item;
            }
        }
        check(sum);
    }

    static void queue(ExecutorService producers) throws Exception {
        ArrayBlockingQueue<Integer> queue = new ArrayBlockingQueue<>(1024);
        Future<?> producer = producers.submit(() -> {
            for (int i = 0; i < ITEMS; i++) {
                queue.put(i);
            }
            queue.put(END);
            return null;
        });
        long sum = 0;
        for (Integer item = queue.take(); !END.equals(item); item = queue.take()) {
            sum += item;
        }
        producer.get();
        check(sum);
    }

    private static void check(long sum) {
        if (sum != (long) ITEMS * (ITEMS - 1) / 2) {
            throw new AssertionError("lost items: " + sum);
        }
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        ExecutorService producers = Executors.newFixedThreadPool(4);
        try {
            double[] ratio = new Comparison(
                            "iterator throughput, buffer 1024, " + ITEMS + " items per operation",
                            Duration.ofSeconds(1),
                            Duration.ofSeconds(2),
                            rounds)
                    .run(
                            new Comparison.Side(
                                    "Threaded.threadedIterable(1024, ...)",
                                    IteratorThroughputBenchmark::ours,
                                    ITEMS,
                                    "items"),
                            new Comparison.Side("ArrayBlockingQueue(1024)", () -> queue(producers), ITEMS, "items"));
            System.out.printf(Locale.ROOT, "%nSUMMARY iterator throughput: %.2f x ArrayBlockingQueue%n", ratio[0]);
        } finally {
            producers.shutdownNow();
        }
    }
}
