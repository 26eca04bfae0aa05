package io.aiomisc.thread;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The lock-free hand-off under many schedules: random buffer sizes, item counts and pauses on
 * either side, consumers on platform and virtual threads, early closes. Every run must deliver
 * every item in order (or stop cleanly when closed) without hanging; a lost wake-up shows up as a
 * timeout.
 */
class IteratorWrapperStressTest {

    private static void pause(SplittableRandom random) {
        int kind = random.nextInt(100);
        if (kind < 3) {
            Thread.yield();
        } else if (kind < 5) {
            try {
                Thread.sleep(0, random.nextInt(50_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else if (kind < 10) {
            for (int i = random.nextInt(200); i > 0; i--) {
                Thread.onSpinWait();
            }
        }
    }

    private static void run(long seed, boolean virtualConsumer) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        int maxSize = random.nextInt(10);
        int count = random.nextInt(2000);
        int closeAt = random.nextInt(4) == 0 ? random.nextInt(count + 1) : -1;
        long producerSeed = random.nextLong();
        long consumerSeed = random.nextLong();
        CountDownLatch producerExited = new CountDownLatch(1);
        IteratorWrapper<Integer> it = Threaded.threadedIterable(maxSize, emitter -> {
            SplittableRandom pauses = new SplittableRandom(producerSeed);
            try {
                for (int i = 0; i < count; i++) {
                    pause(pauses);
                    emitter.emit(i);
                }
            } finally {
                producerExited.countDown();
            }
        });
        CompletableFuture<Integer> consumed = new CompletableFuture<>();
        Runnable consumer = () -> {
            SplittableRandom pauses = new SplittableRandom(consumerSeed);
            int expected = 0;
            try (it) {
                while (it.hasNext()) {
                    if (expected == closeAt) {
                        break;
                    }
                    int item = it.next();
                    if (item != expected) {
                        throw new AssertionError("seed " + seed + ": got " + item + ", expected " + expected);
                    }
                    expected++;
                    pause(pauses);
                }
                consumed.complete(expected);
            } catch (Throwable t) {
                consumed.completeExceptionally(t);
            }
        };
        if (virtualConsumer) {
            Thread.ofVirtual().start(consumer);
        } else {
            Thread.ofPlatform().start(consumer);
        }
        int got;
        try {
            got = consumed.get(20, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("seed " + seed + " (maxSize " + maxSize + ", count " + count + ") hung", e);
        }
        assertEquals(closeAt >= 0 ? closeAt : count, got, "seed " + seed);
        assertTrue(producerExited.await(10, TimeUnit.SECONDS), "seed " + seed + ": producer did not exit");
    }

    @Test
    void everyItemArrivesInOrderUnderRandomSchedules() throws Exception {
        SplittableRandom seeds = new SplittableRandom(20261121L);
        for (int i = 0; i < 300; i++) {
            run(seeds.nextLong(), i % 2 == 0);
        }
    }

    @Test
    void manyWrappersAtOnce() throws Exception {
        ExecutorService consumers = Executors.newVirtualThreadPerTaskExecutor();
        try {
            SplittableRandom seeds = new SplittableRandom(42);
            CompletableFuture<?>[] runs = new CompletableFuture<?>[64];
            for (int i = 0; i < runs.length; i++) {
                long seed = seeds.nextLong();
                runs[i] = CompletableFuture.runAsync(
                        () -> {
                            try {
                                run(seed, true);
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        },
                        consumers);
            }
            CompletableFuture.allOf(runs).get(60, TimeUnit.SECONDS);
        } finally {
            consumers.shutdownNow();
        }
    }
}
