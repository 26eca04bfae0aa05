package io.aiomisc.thread;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The hand-off behind {@link IteratorWrapper}: one producer thread, one consumer at a time.
 *
 * <p>Bounded: a ring of {@code capacity} slots; a slot holds an item until the consumer takes it,
 * so the producer is never more than {@code capacity} items ahead. Items are published with
 * release/acquire slot writes, without locks. Unbounded ({@code capacity} 0): a lock-free linked
 * queue.
 *
 * <p>Waiting: a side that cannot go on publishes itself ({@code consumerParked} /
 * {@code producerParked}, a volatile write), checks once more, and parks; the other side unparks
 * it after making progress. The producer fences between publishing an item and looking for a
 * parked consumer, so a consumer never sleeps while an item is there. The consumer wakes a
 * producer blocked on a full ring once half the ring is free again (so the two do not trade places
 * after every item), and in any case before it parks on an empty ring. Each side fences between
 * publishing itself and re-checking, and between publishing progress and looking for the other,
 * so one of the two always sees the other. Nothing spins.
 */
final class SpscChannel {
    /** What {@link #poll()} returns when there is no item. */
    static final Object EMPTY = new Object();

    private static final Object NULL = new Object();
    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(Object[].class);

    private final int capacity;
    private final Object[] ring; // null when unbounded
    private final ConcurrentLinkedQueue<Object> queue; // null when bounded
    private final AtomicReference<Thread> consumerParked = new AtomicReference<>();
    private final AtomicReference<Thread> producerParked = new AtomicReference<>();
    private volatile boolean closed;
    private int tail; // producer's thread only
    private int producerWaitsAt; // producer's thread only, published by the producerParked write
    private int head; // consumer's thread only

    SpscChannel(int capacity) {
        this.capacity = capacity;
        this.ring = capacity > 0 ? new Object[capacity] : null;
        this.queue = capacity > 0 ? null : new ConcurrentLinkedQueue<>();
    }

    /**
     * Producer: hands {@code item} (may be null) over, waiting while the ring is full.
     *
     * @throws IteratorClosedException if the channel is or becomes closed
     * @throws InterruptedException    if the producer is interrupted while waiting
     */
    void put(Object item) throws InterruptedException {
        Object value = item == null ? NULL : item;
        if (closed) {
            throw new IteratorClosedException();
        }
        if (ring != null) {
            while (SLOTS.getAcquire(ring, tail) != null) {
                awaitRoom();
            }
            SLOTS.setRelease(ring, tail, value);
            if (++tail == capacity) {
                tail = 0;
            }
        } else {
            queue.offer(value);
        }
        VarHandle.fullFence(); // the item is visible before we look for a sleeping consumer
        wake(consumerParked);
    }

    /** Consumer: the next item (null items as null), or {@link #EMPTY} if there is none now. */
    Object poll() {
        Object value;
        if (ring != null) {
            value = SLOTS.getAcquire(ring, head);
            if (value == null) {
                return EMPTY;
            }
            SLOTS.setRelease(ring, head, null);
            if (++head == capacity) {
                head = 0;
            }
            if (producerParked.get() != null) {
                int free = freeSince(producerWaitsAt);
                if (free == 0 || free >= (capacity + 1) / 2) { // 0: the whole ring is free again
                    wake(producerParked);
                }
            }
        } else {
            value = queue.poll();
            if (value == null) {
                return EMPTY;
            }
        }
        return value == NULL ? null : value;
    }

    /**
     * Consumer: parks until an item may be there, {@code done} may have become true, or the channel
     * closed; may return spuriously.
     *
     * @return false if the consumer was interrupted (its interrupt status is kept)
     */
    boolean awaitItem(BooleanSupplier done) {
        Thread self = Thread.currentThread();
        consumerParked.set(self);
        // Dekker with put(): after publishing ourselves, look at the ring (the fence keeps the
        // volatile write from passing the acquire reads below).
        VarHandle.fullFence();
        // An empty ring has room: never leave the producer asleep now. Fenced after our frees, so a
        // producer that parked without seeing them is seen here.
        wake(producerParked);
        if (closed || done.getAsBoolean() || hasItem()) {
            consumerParked.compareAndSet(self, null);
            return true;
        }
        LockSupport.park(this);
        consumerParked.compareAndSet(self, null);
        return !Thread.currentThread().isInterrupted();
    }

    /** Producer side finished: wakes the consumer, whatever it waits for. */
    void producerDone() {
        VarHandle.fullFence();
        wake(consumerParked);
    }

    /** Closes the channel: the producer's waiting or next {@code put} throws; both sides are woken. */
    void close() {
        closed = true;
        wake(producerParked);
        wake(consumerParked);
    }

    boolean isClosed() {
        return closed;
    }

    private void awaitRoom() throws InterruptedException {
        Thread self = Thread.currentThread();
        producerWaitsAt = tail;
        producerParked.set(self);
        VarHandle.fullFence(); // Dekker with the consumer's frees (see awaitItem)
        if (closed || SLOTS.getAcquire(ring, tail) == null) {
            producerParked.compareAndSet(self, null);
        } else {
            LockSupport.park(this);
            producerParked.compareAndSet(self, null);
        }
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted while the buffer was full");
        }
        if (closed) {
            throw new IteratorClosedException();
        }
    }

    private boolean hasItem() {
        return ring != null ? SLOTS.getAcquire(ring, head) != null : !queue.isEmpty();
    }

    /** Slots the consumer has freed since the producer found slot {@code blockedAt} full. */
    private int freeSince(int blockedAt) {
        int free = head - blockedAt;
        return free >= 0 ? free : free + capacity;
    }

    private static void wake(AtomicReference<Thread> parked) {
        Thread thread = parked.get();
        if (thread != null && parked.compareAndSet(thread, null)) {
            LockSupport.unpark(thread);
        }
    }
}
