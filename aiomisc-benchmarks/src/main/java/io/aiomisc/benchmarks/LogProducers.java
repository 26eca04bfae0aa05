package io.aiomisc.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.MDC;

/**
 * The producers of the logging benchmarks ({@link LoggingBenchmark}, {@link JournaldBenchmark}):
 * platform threads released together, each logging its share of {@code order {} for customer {}
 * total {}} records with a {@code request_id} in its MDC.
 */
final class LogProducers {
    /**
     * @param elapsedNanos from the producers' release until the last one's last logging call returned
     * @param cpuNanos     the CPU time the producers used meanwhile
     */
    record Produced(long elapsedNanos, long cpuNanos) {}

    private LogProducers() {}

    /** Logs {@code records} records on {@code log} from {@code producers} threads. */
    static Produced run(Logger log, int producers, int records) throws InterruptedException {
        CountDownLatch ready = new CountDownLatch(producers);
        CountDownLatch go = new CountDownLatch(1);
        long[] ends = new long[producers];
        long[] cpu = new long[producers];
        ThreadMXBean threadBean = ManagementFactory.getThreadMXBean();
        Throwable[] failures = new Throwable[producers];
        List<Thread> threads = new ArrayList<>(producers);
        int perThread = records / producers;
        for (int t = 0; t < producers; t++) {
            int index = t;
            threads.add(Thread.ofPlatform().name("producer-" + t).start(() -> {
                try {
                    MDC.put("request_id", "req-" + index);
                    ready.countDown();
                    go.await();
                    long cpuBefore = threadBean.getCurrentThreadCpuTime();
                    for (int i = index * perThread; i < (index + 1) * perThread; i++) {
                        double amount = (i % 100_000) / 100.0;
                        log.info("order {} for customer {} total {}", i, "c-" + (i % 1000), amount);
                    }
                    ends[index] = System.nanoTime();
                    cpu[index] = threadBean.getCurrentThreadCpuTime() - cpuBefore;
                } catch (Throwable e) {
                    failures[index] = e;
                } finally {
                    MDC.clear();
                }
            }));
        }
        ready.await();
        long start = System.nanoTime();
        go.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        IllegalStateException failed = null;
        for (Throwable failure : failures) {
            if (failure != null) {
                if (failed == null) {
                    failed = new IllegalStateException("a producer failed");
                }
                failed.addSuppressed(failure);
            }
        }
        if (failed != null) {
            throw failed;
        }
        return new Produced(
                Arrays.stream(ends).max().orElseThrow() - start,
                Arrays.stream(cpu).sum());
    }

    /** Fails if a thread whose name starts with one of {@code prefixes} outlives 5 s after a stop. */
    static void awaitNoThreads(String... prefixes) throws InterruptedException {
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            for (String prefix : prefixes) {
                if (thread.getName().startsWith(prefix)) {
                    thread.join(5_000);
                    if (thread.isAlive()) {
                        throw new IllegalStateException("thread left behind after stop: " + thread.getName());
                    }
                }
            }
        }
    }
}
