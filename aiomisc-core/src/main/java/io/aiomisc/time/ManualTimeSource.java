package io.aiomisc.time;

import io.aiomisc.internal.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * A {@link TimeSource} that stands still until a test moves it with {@link #advance}: sleeps and
 * timers fire when the time they wait for is reached, in order, so time-based code runs
 * deterministically and without real waiting.
 *
 * <pre>{@code
 * ManualTimeSource time = new ManualTimeSource();
 * Backoff backoff = Backoff.builder().pause(Duration.ofSeconds(1)).maxTries(3).timeSource(time).build();
 * Task<String> call = Threaded.threadedSeparate(() -> backoff.call(flaky));
 * time.awaitWaiters(1, Duration.ofSeconds(10));     // the backoff is pausing
 * time.advance(Duration.ofSeconds(1));                // ...and now it retries
 * }</pre>
 *
 * <p>{@link #advance} runs due timer actions on the calling thread and wakes due sleepers; a
 * sleeper that then sleeps again with a deadline still inside the advanced span wakes in the same
 * advance. Real time never matters, except in {@link #awaitWaiters}, which waits (really) for other
 * threads to reach a sleep or timer. Thread-safe.
 */
public final class ManualTimeSource implements TimeSource {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition registered = lock.newCondition();
    private final PriorityQueue<Entry> pending = new PriorityQueue<>(); // guarded by lock
    private final AtomicLong sequence = new AtomicLong();
    private final Instant epoch;
    private volatile long nanos; // written under lock

    /** Starts at 2000-01-01T00:00:00Z, nanoTime 0. */
    public ManualTimeSource() {
        this(Instant.parse("2000-01-01T00:00:00Z"));
    }

    /**
     * Starts at {@code start}, nanoTime 0.
     *
     * @param start the wall-clock time {@link #now()} reads until time moves
     */
    public ManualTimeSource(Instant start) {
        this.epoch = Objects.requireNonNull(start, "start");
    }

    @Override
    public long nanoTime() {
        return nanos;
    }

    @Override
    public Instant now() {
        return epoch.plusNanos(nanos);
    }

    /**
     * The time elapsed since this source was created.
     *
     * @return the sum of every advance so far
     */
    public Duration elapsed() {
        return Duration.ofNanos(nanos);
    }

    @Override
    public void sleep(Duration duration) throws InterruptedException {
        Objects.requireNonNull(duration, "duration");
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        if (duration.isNegative() || duration.isZero()) {
            return;
        }
        CountDownLatch woken = new CountDownLatch(1);
        Entry entry = add(duration, woken::countDown, true);
        try {
            woken.await();
        } catch (InterruptedException e) {
            remove(entry);
            throw e;
        }
    }

    @Override
    public Scheduled schedule(Duration delay, Runnable action) {
        Objects.requireNonNull(delay, "delay");
        Objects.requireNonNull(action, "action");
        if (delay.isNegative() || delay.isZero()) {
            action.run();
            return () -> false;
        }
        Entry entry = add(delay, action, false);
        return () -> remove(entry);
    }

    /**
     * Moves time forward by {@code duration}, firing every sleep and timer that comes due, in
     * deadline order, each at its own deadline. Timer actions run on the calling thread; sleepers
     * wake on theirs. Does not block beyond running those actions.
     *
     * @param duration how far to move; zero fires what is due now
     * @throws IllegalArgumentException if {@code duration} is negative
     */
    public void advance(Duration duration) {
        Durations.requireNonNegative("duration", duration);
        long target;
        lock.lock();
        try {
            target = nanos + Durations.toNanos(duration);
        } finally {
            lock.unlock();
        }
        while (true) {
            Entry due;
            lock.lock();
            try {
                Entry next = pending.peek();
                if (next == null || next.deadline > target) {
                    nanos = Math.max(nanos, target);
                    return;
                }
                due = pending.poll();
                nanos = Math.max(nanos, due.deadline);
            } finally {
                lock.unlock();
            }
            due.action.run();
        }
    }

    /**
     * The number of sleeps and timers waiting for time to move.
     *
     * @return pending sleeps plus pending timers
     */
    public int waiters() {
        lock.lock();
        try {
            return pending.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The number of threads sleeping on this source.
     *
     * @return pending sleeps
     */
    public int sleepers() {
        lock.lock();
        try {
            return sleeperCount();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits, in real time, until at least {@code count} sleeps and timers are pending: the way a
     * test knows that other threads have reached the point where they wait for time. Blocks.
     *
     * @param count       the number of pending sleeps and timers to wait for
     * @param realTimeout how long to wait, in real time
     * @throws InterruptedException if the waiting thread is interrupted (the interrupt status is
     *                              cleared)
     * @throws TimeoutException     if that does not happen within {@code realTimeout}
     */
    public void awaitWaiters(int count, Duration realTimeout) throws InterruptedException, TimeoutException {
        awaitPending(
                pending::size,
                count,
                realTimeout,
                () -> "expected " + count + " waiters, have " + pending.size() + " after " + realTimeout);
    }

    /**
     * As {@link #awaitWaiters}, counting only sleeping threads. Blocks.
     *
     * @param count       the number of sleeping threads to wait for
     * @param realTimeout how long to wait, in real time
     * @throws InterruptedException if the waiting thread is interrupted (the interrupt status is
     *                              cleared)
     * @throws TimeoutException     if that does not happen within {@code realTimeout}
     */
    public void awaitSleepers(int count, Duration realTimeout) throws InterruptedException, TimeoutException {
        awaitPending(
                this::sleeperCount, count, realTimeout, () -> "expected " + count + " sleepers after " + realTimeout);
    }

    /** Waits in real time until {@code pendingCount} (read under the lock) reaches {@code count}. */
    private void awaitPending(IntSupplier pendingCount, int count, Duration realTimeout, Supplier<String> failure)
            throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + realTimeout.toNanos();
        lock.lock();
        try {
            while (pendingCount.getAsInt() < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new TimeoutException(failure.get());
                }
                registered.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Sleeping threads among the pending entries; the caller holds the lock. */
    private int sleeperCount() {
        return (int) pending.stream().filter(e -> e.sleeper).count();
    }

    /**
     * The deadlines of pending sleeps and timers, relative to now, soonest first.
     *
     * @return a new list of delays
     */
    public List<Duration> pendingDelays() {
        lock.lock();
        try {
            List<Entry> sorted = new ArrayList<>(pending);
            sorted.sort(null);
            List<Duration> delays = new ArrayList<>(sorted.size());
            for (Entry entry : sorted) {
                delays.add(Duration.ofNanos(entry.deadline - nanos));
            }
            return delays;
        } finally {
            lock.unlock();
        }
    }

    private Entry add(Duration delay, Runnable action, boolean sleeper) {
        lock.lock();
        try {
            long deadline = Durations.saturatedAdd(nanos, Durations.toNanos(delay));
            Entry entry = new Entry(deadline, sequence.incrementAndGet(), action, sleeper);
            pending.add(entry);
            registered.signalAll();
            return entry;
        } finally {
            lock.unlock();
        }
    }

    private boolean remove(Entry entry) {
        lock.lock();
        try {
            return pending.remove(entry);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "ManualTimeSource[" + now() + ", " + waiters() + " waiting]";
    }

    private record Entry(long deadline, long order, Runnable action, boolean sleeper) implements Comparable<Entry> {
        @Override
        public int compareTo(Entry other) {
            int byDeadline = Long.compare(deadline, other.deadline);
            return byDeadline != 0 ? byDeadline : Long.compare(order, other.order);
        }
    }
}
