package io.aiomisc.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class RecordBufferTest {
    @Test
    void offerPollFullAndClose() {
        RecordBuffer<String> buffer = new RecordBuffer<>(3);
        assertEquals(4, buffer.capacity(), "rounded up to a power of two");
        assertFalse(buffer.isFull());
        assertEquals(1, buffer.offer("a"));
        assertEquals(2, buffer.offer("b"));
        buffer.offer("c");
        buffer.offer("d");
        assertTrue(buffer.isFull());
        assertEquals(0, buffer.offer("e"), "full");
        assertEquals("a", buffer.poll());
        assertFalse(buffer.isFull());
        assertEquals(4, buffer.offer("e"));
        buffer.close();
        assertTrue(buffer.isClosed());
        assertFalse(buffer.isFull(), "closed: an offer is answered, not refused as full");
        assertEquals(-1, buffer.offer("f"));
        assertFalse(buffer.drained(), "closed, but items are waiting");
        for (String expected : List.of("b", "c", "d", "e")) {
            assertEquals(expected, buffer.poll());
        }
        assertNull(buffer.poll());
        assertTrue(buffer.drained());
    }

    /** Producers record (producer, sequence) pairs; the consumer sees each once, each producer's in order. */
    @Test
    void manyProducersOneConsumerNothingLostOrDuplicatedAndPerProducerOrder() throws Exception {
        int producers = 4;
        int each = 200_000;
        RecordBuffer<long[]> buffer = new RecordBuffer<>(16);
        AtomicBoolean failed = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int id = p;
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < each; i++) {
                    long accepted;
                    while ((accepted = buffer.offer(new long[] {id, i})) == 0) {
                        Thread.onSpinWait();
                    }
                    if (accepted < 0) {
                        failed.set(true);
                    }
                }
            }));
        }
        long[] next = new long[producers];
        long received = 0;
        while (received < (long) producers * each) {
            long[] item = buffer.poll();
            if (item == null) {
                Thread.onSpinWait();
                continue;
            }
            assertEquals(next[(int) item[0]], item[1], "producer " + item[0] + "'s items in order, once each");
            next[(int) item[0]]++;
            received++;
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertFalse(failed.get(), "an accepted offer never reports the buffer closed");
        assertNull(buffer.poll());
        assertEquals(0, buffer.size());
    }
}
