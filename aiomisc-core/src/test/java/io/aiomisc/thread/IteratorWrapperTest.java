package io.aiomisc.thread;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiomisc.Entrypoint;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class IteratorWrapperTest {

    private static Generator<Integer> counting(int count) {
        return emitter -> {
            for (int i = 0; i < count; i++) {
                emitter.emit(i);
            }
        };
    }

    @Test
    void itemsArriveInOrder() {
        List<Integer> items = new ArrayList<>();
        try (IteratorWrapper<Integer> it = Threaded.threadedIterable(8, counting(1000))) {
            it.forEach(items::add);
        }
        assertEquals(1000, items.size());
        for (int i = 0; i < 1000; i++) {
            assertEquals(i, items.get(i));
        }
    }

    @Test
    void theProducerIsNeverMoreThanMaxSizeAhead() {
        int maxSize = 4;
        AtomicInteger emitted = new AtomicInteger();
        try (IteratorWrapper<Integer> it = Threaded.threadedIterable(maxSize, emitter -> {
            for (int i = 0; i < 200; i++) {
                emitter.emit(i);
                emitted.incrementAndGet();
            }
        })) {
            int consumed = 0;
            while (it.hasNext()) {
                it.next();
                consumed++;
                int ahead = emitted.get() - consumed;
                assertTrue(ahead <= maxSize, "producer " + ahead + " items ahead after " + consumed);
            }
            assertEquals(200, consumed);
        }
    }

    @Test
    void theProducersExceptionArrivesAfterItsItems() {
        IOException failure = new IOException("producer failed");
        IteratorWrapper<Integer> it = Threaded.threadedIterable(2, emitter -> {
            emitter.emit(1);
            emitter.emit(2);
            emitter.emit(3);
            throw failure;
        });
        List<Integer> items = new ArrayList<>();
        CompletionException thrown = assertThrows(CompletionException.class, () -> it.forEachRemaining(items::add));
        assertEquals(List.of(1, 2, 3), items);
        assertSame(failure, thrown.getCause());
        assertThrows(CompletionException.class, it::hasNext, "the failure stays");
        it.close();
    }

    @Test
    void anUncheckedProducerExceptionArrivesAsIs() {
        IllegalStateException failure = new IllegalStateException("unchecked");
        try (IteratorWrapper<Integer> it = Threaded.threadedIterable(0, emitter -> {
            throw failure;
        })) {
            assertSame(failure, assertThrows(IllegalStateException.class, it::next));
        }
    }

    @Test
    void earlyCloseReleasesAProducerBlockedInEmitAndRunsItsFinally() throws Exception {
        CountDownLatch finallyRan = new CountDownLatch(1);
        AtomicReference<Throwable> emitFailure = new AtomicReference<>();
        IteratorWrapper<Integer> it = Threaded.threadedIterable(1, emitter -> {
            try {
                for (int i = 0; ; i++) {
                    emitter.emit(i);
                }
            } catch (Throwable t) {
                emitFailure.set(t);
                throw t;
            } finally {
                finallyRan.countDown();
            }
        });
        assertEquals(0, it.next());
        long closing = System.nanoTime();
        it.close();
        assertTrue(finallyRan.await(1, TimeUnit.SECONDS), "the producer's finally ran within 1 s");
        assertTrue(System.nanoTime() - closing < TimeUnit.SECONDS.toNanos(1));
        assertTrue(
                emitFailure.get() instanceof IteratorClosedException
                        || emitFailure.get() instanceof InterruptedException,
                String.valueOf(emitFailure.get()));
        assertFalse(it.hasNext());
        assertTrue(it.isClosed());
    }

    @Test
    void breakingOutOfAForLoopInTryWithResourcesStopsTheProducer() throws Exception {
        CountDownLatch finallyRan = new CountDownLatch(1);
        try (IteratorWrapper<Integer> it = Threaded.threadedIterable(2, emitter -> {
            try {
                for (int i = 0; ; i++) {
                    emitter.emit(i);
                }
            } finally {
                finallyRan.countDown();
            }
        })) {
            for (int item : it) {
                if (item == 5) {
                    break;
                }
            }
        }
        assertEquals(0, finallyRan.getCount(), "close() returns after the generator returned");
    }

    @Test
    void theProducerStartsOnlyOnTheFirstIteration() {
        List<Runnable> submitted = new ArrayList<>();
        Executor recording = command -> {
            submitted.add(command);
            Thread.ofVirtual().start(command);
        };
        try (IteratorWrapper<Integer> it = new IteratorWrapper<>(4, recording, counting(3))) {
            assertEquals(List.of(), submitted, "nothing runs before iteration begins");
            assertTrue(it.hasNext());
            assertEquals(1, submitted.size());
            assertEquals(List.of(0, 1, 2), it.stream().toList());
            assertEquals(1, submitted.size());
        }
    }

    @Test
    void theSeparateVariantRunsOnAThreadOfItsOwn() {
        try (IteratorWrapper<String> it = Threaded.threadedIterableSeparate(
                1, emitter -> emitter.emit(Thread.currentThread().getName()))) {
            String producer = it.next();
            assertTrue(producer.startsWith("aiomisc-generator-"), producer);
        }
        try (IteratorWrapper<String> it = Threaded.threadedIterable(
                1, emitter -> emitter.emit(Thread.currentThread().getName()))) {
            assertTrue(it.next().startsWith("aiomisc-global-pool-threaded-"));
        }
    }

    @Test
    void closingTheStreamClosesTheWrapper() throws Exception {
        CountDownLatch finallyRan = new CountDownLatch(1);
        IteratorWrapper<Integer> it = Threaded.threadedIterable(2, emitter -> {
            try {
                for (int i = 0; ; i++) {
                    emitter.emit(i);
                }
            } finally {
                finallyRan.countDown();
            }
        });
        try (Stream<Integer> stream = it.stream()) {
            assertEquals(List.of(0, 1, 2), stream.limit(3).toList());
        }
        assertTrue(it.isClosed());
        assertEquals(0, finallyRan.getCount());
    }

    @Test
    void unboundedBufferNeverBlocksTheProducer() throws Exception {
        CompletableFuture<Void> producerDone = new CompletableFuture<>();
        try (IteratorWrapper<Integer> it = Threaded.threadedIterable(0, emitter -> {
            for (int i = 0; i < 10_000; i++) {
                emitter.emit(i);
            }
            producerDone.complete(null);
        })) {
            assertTrue(it.hasNext());
            producerDone.get(10, TimeUnit.SECONDS);
            assertEquals(10_000, it.stream().count());
        }
    }

    @Test
    void nullItemsPassThrough() {
        try (IteratorWrapper<String> it = Threaded.threadedIterable(2, emitter -> {
            emitter.emit(null);
            emitter.emit("x");
        })) {
            assertNull(it.next());
            assertEquals("x", it.next());
            assertThrows(NoSuchElementException.class, it::next);
        }
    }

    @Test
    void anInterruptedConsumerGetsACancellationAndTheWrapperCloses() throws Exception {
        CountDownLatch producerWaits = new CountDownLatch(1);
        IteratorWrapper<Integer> it = Threaded.threadedIterable(1, emitter -> {
            producerWaits.await();
            emitter.emit(1);
        });
        AtomicReference<Throwable> consumerFailure = new AtomicReference<>();
        AtomicBoolean interruptKept = new AtomicBoolean();
        Thread consumer = Thread.ofVirtual().start(() -> {
            try {
                it.hasNext();
            } catch (Throwable t) {
                consumerFailure.set(t);
                interruptKept.set(Thread.currentThread().isInterrupted());
            }
        });
        org.awaitility.Awaitility.await().until(() -> consumer.getState() == Thread.State.WAITING);
        consumer.interrupt();
        consumer.join();
        assertInstanceOf(CancellationException.class, consumerFailure.get());
        assertTrue(interruptKept.get());
        assertTrue(it.isClosed());
        it.close();
    }

    @Test
    void anOpenIteratorDoesNotOutliveItsEntrypoint() throws Exception {
        CountDownLatch finallyRan = new CountDownLatch(1);
        Entrypoint ep = Entrypoint.builder()
                .catchSignals(false)
                .logConfig(false)
                .poolSize(1)
                .start();
        IteratorWrapper<Integer> it = ep.runUntilComplete(() -> Threaded.threadedIterableSeparate(1, emitter -> {
            try {
                for (int i = 0; ; i++) {
                    emitter.emit(i);
                }
            } finally {
                finallyRan.countDown();
            }
        }));
        assertEquals(0, it.next());
        ep.close();
        assertEquals(0, finallyRan.getCount(), "the entrypoint's close stopped the producer");
        it.close();
    }

    @Test
    void negativeMaxSizeIsAnIllegalArgument() {
        assertThrows(IllegalArgumentException.class, () -> Threaded.threadedIterable(-1, counting(1)));
        assertEquals(
                Arrays.asList(0),
                Threaded.threadedIterable(0, counting(1)).stream().toList());
    }
}
