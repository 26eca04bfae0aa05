package io.aiomisc.log;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded, lock-free, many-producers/one-consumer queue (Vyukov's bounded queue with the
 * consumer side simplified for a single thread). Each producer's items come out in the order it
 * put them in. {@link #offer} never blocks; {@link #poll} must only be called by one thread at a
 * time.
 */
final class RecordBuffer<E> {
    private static final VarHandle SEQUENCES = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(Object[].class);

    private final Object[] slots;
    private final long[] sequences; // per slot: the position it can next be written at (+1 once full)
    private final int mask;
    private final PaddedLong tail = new PaddedLong(); // next position to write
    private final PaddedLong head = new PaddedLong(); // next position to read; written by the consumer only

    /** Keeps the producers' and the consumer's counters on cache lines of their own. */
    @SuppressWarnings("unused")
    private static final class PaddedLong extends AtomicLong {
        long p1, p2, p3, p4, p5, p6, p7;
    }

    /** @param capacity rounded up to a power of two, at least 2 */
    RecordBuffer(int capacity) {
        int size = Integer.highestOneBit(Math.max(2, capacity) - 1) << 1;
        slots = new Object[size];
        sequences = new long[size];
        for (int i = 0; i < size; i++) {
            sequences[i] = i;
        }
        mask = size - 1;
    }

    int capacity() {
        return slots.length;
    }

    /** The tail's sign bit: set by {@link #close()}. */
    private static final long CLOSED = Long.MIN_VALUE;

    /**
     * Adds {@code item} unless the buffer is full or closed.
     *
     * @return the number of items waiting after this one was added (so at least 1), 0 if full, or
     *         -1 if closed
     */
    long offer(E item) {
        while (true) {
            long position = tail.get();
            if (position < 0) {
                return -1;
            }
            int index = (int) position & mask;
            long sequence = (long) SEQUENCES.getAcquire(sequences, index);
            long difference = sequence - position;
            if (difference == 0) {
                if (tail.compareAndSet(position, position + 1)) {
                    SLOTS.set(slots, index, item);
                    SEQUENCES.setRelease(sequences, index, position + 1);
                    // the consumer may already have taken this and later items: at least 1
                    return Math.max(1, position + 1 - head.getAcquire());
                }
            } else if (difference < 0) {
                return 0; // the slot still holds an item from one lap ago: full
            }
            // another producer took this position: try the next
        }
    }

    /**
     * True if an {@link #offer} now would find the buffer full: a cheap test that lets a caller
     * that would drop the item skip preparing it. Approximate while producers and the consumer
     * run; false once closed.
     */
    boolean isFull() {
        long position = tail.get();
        return position >= 0 && (long) SEQUENCES.getAcquire(sequences, (int) position & mask) < position;
    }

    /** The next item, or null if none is ready. Single consumer. */
    @SuppressWarnings("unchecked")
    E poll() {
        long position = head.getPlain();
        int index = (int) position & mask;
        long sequence = (long) SEQUENCES.getAcquire(sequences, index);
        if (sequence != position + 1) {
            return null;
        }
        E item = (E) SLOTS.get(slots, index);
        SLOTS.set(slots, index, null);
        SEQUENCES.setRelease(sequences, index, position + slots.length);
        head.setRelease(position + 1);
        return item;
    }

    /**
     * Refuses further offers. Items already accepted stay: keep polling until {@link #drained()}.
     * Idempotent.
     */
    void close() {
        long position;
        do {
            position = tail.get();
        } while (position >= 0 && !tail.compareAndSet(position, position | CLOSED));
    }

    boolean isClosed() {
        return tail.get() < 0;
    }

    /**
     * True once closed and every accepted item has been polled. An accepted item may become
     * visible to {@link #poll} a moment after its {@code offer} reserved its place; until then
     * this is false.
     */
    boolean drained() {
        long position = tail.get();
        return position < 0 && head.getPlain() == (position & ~CLOSED);
    }

    /** Items waiting (approximate while producers are adding). */
    int size() {
        long size = (tail.get() & ~CLOSED) - head.getAcquire();
        return (int) Math.max(0, Math.min(size, slots.length));
    }

    boolean isEmpty() {
        return size() == 0;
    }
}
