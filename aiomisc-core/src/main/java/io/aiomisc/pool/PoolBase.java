package io.aiomisc.pool;

import io.aiomisc.internal.Durations;
import io.aiomisc.internal.Threads;
import io.aiomisc.time.TimeSource;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pool of expensive instances (connections, clients): aiomisc's {@code PoolBase}. Subclasses say
 * how to create, destroy and check an instance; users {@link #acquire()} a {@link Lease} and close
 * it to give the instance back.
 *
 * <pre>{@code
 * final class RedisPool extends PoolBase<RedisConnection> {
 *     RedisPool(URI uri) { super(10, Duration.ofSeconds(60)); this.uri = uri; }
 *     protected RedisConnection createInstance() throws IOException { return RedisConnection.open(uri); }
 *     protected void destroyInstance(RedisConnection c) { c.close(); }
 *     protected boolean checkInstance(RedisConnection c) { return c.ping(Duration.ofMillis(500)); }
 * }
 *
 * try (Lease<RedisConnection> lease = pool.acquire()) {
 *     lease.get().set("foo", "bar");
 * }
 * }</pre>
 *
 * <ul>
 * <li><b>Growth.</b> While fewer than {@code maxSize} instances exist, {@code acquire} creates a
 * new one, even if idle ones are there (aiomisc's eager growth); then it takes an idle one, or
 * waits for one to come back — at most the acquire timeout ({@link TimeoutException}).</li>
 * <li><b>Checks.</b> Every instance is checked with {@link #checkInstance} before it is handed out;
 * one that fails the check (false, or an exception, which is logged) is destroyed and
 * {@code acquire} tries again.</li>
 * <li><b>Recycling.</b> With a {@code recycle} time, each instance gets a lifetime drawn uniformly
 * from {@code [recycle, 2·recycle)} when it is created (so instances do not all expire at once);
 * an instance past it is destroyed when it comes back or would be handed out.</li>
 * <li><b>Destroying</b> happens on a virtual thread of its own; its failures are logged. An
 * instance counts towards {@code maxSize} until its destruction has finished.</li>
 * <li><b>Closing.</b> {@link #close()} fails waiting acquirers, destroys every instance, idle or
 * leased, and waits for that; {@code acquire} then throws {@link IllegalStateException}.</li>
 * </ul>
 *
 * <p><i>Differences from aiomisc:</i> {@code acquire} has a finite timeout (default
 * {@link #DEFAULT_ACQUIRE_TIMEOUT}); an instance whose check throws is not handed out anyway.
 *
 * <p>Thread-safe; hooks are never called while the pool's lock is held.
 *
 * @param <T> the instance type
 */
public abstract class PoolBase<T> implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PoolBase.class);

    /** How long {@link #acquire()} waits for an instance by default. */
    public static final Duration DEFAULT_ACQUIRE_TIMEOUT = Duration.ofSeconds(30);

    /** How long {@link #close()} waits for instances to be destroyed. */
    public static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final int maxSize;
    private final Duration recycle;
    private final Duration acquireTimeout;
    private final TimeSource time;
    private final RandomGenerator random;

    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Entry<T>> idle = new ArrayDeque<>(); // guarded by lock
    private final ArrayDeque<CompletableFuture<Entry<T>>> waiters = new ArrayDeque<>(); // guarded by lock
    private final Map<Entry<T>, Boolean> leased = new IdentityHashMap<>(); // guarded by lock
    private final List<CompletableFuture<Void>> destroying = new ArrayList<>(); // guarded by lock
    private int live; // guarded by lock: created (or being created) and not yet destroyed
    private boolean closed; // guarded by lock

    /** A pooled instance and the time it must be recycled at ({@code Long.MAX_VALUE}: never). */
    record Entry<T>(T instance, long recycleAt) {}

    /**
     * A pool on the system clock whose {@link #acquire()} waits up to
     * {@link #DEFAULT_ACQUIRE_TIMEOUT}.
     *
     * @param maxSize the most instances at once; at least 1
     * @param recycle the base lifetime of an instance; null for unlimited
     * @throws IllegalArgumentException if {@code maxSize < 1} or {@code recycle} is not positive
     */
    protected PoolBase(int maxSize, Duration recycle) {
        this(maxSize, recycle, DEFAULT_ACQUIRE_TIMEOUT, TimeSource.system(), RandomGenerator.getDefault());
    }

    /**
     * A pool with every setting given.
     *
     * @param maxSize        the most instances at once; at least 1
     * @param recycle        the base lifetime of an instance; null for unlimited
     * @param acquireTimeout how long {@link #acquire()} waits; positive
     * @param time           where time comes from (a {@link io.aiomisc.time.ManualTimeSource} in tests)
     * @param random         the source of the recycle jitter
     * @throws IllegalArgumentException if {@code maxSize < 1}, or {@code recycle} or
     *                                  {@code acquireTimeout} is not positive
     * @throws NullPointerException     if {@code acquireTimeout}, {@code time} or {@code random} is null
     */
    protected PoolBase(
            int maxSize, Duration recycle, Duration acquireTimeout, TimeSource time, RandomGenerator random) {
        if (maxSize < 1) {
            throw new IllegalArgumentException("maxSize must be at least 1: " + maxSize);
        }
        if (recycle != null) {
            Durations.requirePositive("recycle", recycle);
        }
        this.maxSize = maxSize;
        this.recycle = recycle;
        this.acquireTimeout = Durations.requirePositive("acquireTimeout", acquireTimeout);
        this.time = Objects.requireNonNull(time, "time");
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * Creates a new instance; called by {@link #acquire} on the acquiring thread, without the
     * pool's lock.
     *
     * @return the new instance
     * @throws Exception anything; {@link #acquire} throws it to its caller
     */
    protected abstract T createInstance() throws Exception;

    /**
     * Releases what {@code instance} holds; it is not used again. Called on a virtual thread of its
     * own, without the pool's lock.
     *
     * @param instance the instance to destroy
     * @throws Exception anything; it is logged
     */
    protected abstract void destroyInstance(T instance) throws Exception;

    /**
     * Tells whether {@code instance} is still usable; called on the acquiring thread before every
     * hand-out, without the pool's lock.
     *
     * @param instance the instance about to be handed out
     * @return true to hand it out, false to destroy it and try another
     * @throws Exception anything; it is logged and the instance destroyed, as for false
     */
    protected abstract boolean checkInstance(T instance) throws Exception;

    /**
     * As {@link #acquire(Duration)} with the pool's acquire timeout. Blocks.
     *
     * @return a lease on a checked instance; close it to give the instance back
     * @throws TimeoutException      if none was available within the acquire timeout
     * @throws IllegalStateException if the pool is closed, or closes while waiting
     * @throws InterruptedException  if interrupted while waiting (the interrupt status is cleared)
     * @throws Exception             what {@link #createInstance()} threw
     */
    public Lease<T> acquire() throws Exception {
        return acquire(acquireTimeout);
    }

    /**
     * Leases an instance, creating one while fewer than {@code maxSize} exist, otherwise waiting
     * up to {@code timeout} for one to come back. Blocks while it creates, checks or waits.
     *
     * @param timeout how long to wait for an instance to come back; zero fails at once when none
     *                is idle and the pool is full
     * @return a lease on a checked instance; close it to give the instance back
     * @throws TimeoutException      if none was available within {@code timeout}
     * @throws IllegalStateException if the pool is closed, or closes while waiting
     * @throws InterruptedException  if interrupted while waiting (the interrupt status is cleared;
     *                               an instance handed over at that moment goes back to the pool)
     * @throws Exception             what {@link #createInstance()} threw
     */
    public Lease<T> acquire(Duration timeout) throws Exception {
        Durations.requireNonNegative("timeout", timeout);
        long deadline = Durations.saturatedAdd(time.nanoTime(), Durations.toNanos(timeout));
        while (true) {
            Entry<T> entry = null;
            boolean create = false;
            CompletableFuture<Entry<T>> waiter = null;
            lock.lock();
            try {
                checkOpen();
                if (live < maxSize) {
                    live++;
                    create = true;
                } else if (!idle.isEmpty()) {
                    entry = idle.poll();
                } else {
                    waiter = new CompletableFuture<>();
                    waiters.add(waiter);
                }
            } finally {
                lock.unlock();
            }
            if (create) {
                entry = create();
            } else if (waiter != null) {
                entry = await(waiter, deadline, timeout);
                if (entry == null) {
                    continue; // room was made: try again
                }
            }
            if (isExpired(entry) || !check(entry)) {
                destroy(entry);
                continue;
            }
            lock.lock();
            try {
                if (closed) {
                    destroy(entry);
                    checkOpen();
                }
                leased.put(entry, Boolean.TRUE);
            } finally {
                lock.unlock();
            }
            return new Lease<>(this, entry);
        }
    }

    /**
     * The number of instances that exist.
     *
     * @return idle, leased, being created and being destroyed instances
     */
    public int size() {
        lock.lock();
        try {
            return live;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The number of idle instances.
     *
     * @return instances waiting in the pool to be acquired
     */
    public int idle() {
        lock.lock();
        try {
            return idle.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The most instances at once.
     *
     * @return the {@code maxSize} given to the constructor
     */
    public int maxSize() {
        return maxSize;
    }

    /**
     * Fails waiting acquirers, destroys every instance (idle and leased) and waits up to
     * {@link #CLOSE_TIMEOUT} for that; logs a warning if some were not destroyed in time.
     * Idempotent. An interrupt stops the waiting (the destruction goes on in the background) and
     * the interrupt status is restored.
     */
    @Override
    public void close() {
        List<CompletableFuture<Entry<T>>> failed;
        List<Entry<T>> doomed = new ArrayList<>();
        lock.lock();
        try {
            if (!closed) {
                closed = true;
                doomed.addAll(idle);
                idle.clear();
                doomed.addAll(leased.keySet());
                leased.clear();
            }
            failed = new ArrayList<>(waiters);
            waiters.clear();
        } finally {
            lock.unlock();
        }
        IllegalStateException closedException = new IllegalStateException("the pool is closed");
        for (CompletableFuture<Entry<T>> waiter : failed) {
            waiter.completeExceptionally(closedException);
        }
        for (Entry<T> entry : doomed) {
            destroy(entry);
        }
        List<CompletableFuture<Void>> pending;
        lock.lock();
        try {
            pending = new ArrayList<>(destroying);
        } finally {
            lock.unlock();
        }
        try {
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
                    .get(CLOSE_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("Not every instance of {} was destroyed within {}", this, CLOSE_TIMEOUT);
        }
    }

    /** Called by {@link Lease}: the instance comes back, or is invalidated. */
    void release(Entry<T> entry, boolean invalidate) {
        CompletableFuture<Entry<T>> handed = null;
        boolean discard;
        lock.lock();
        try {
            if (leased.remove(entry) == null) {
                return; // destroyed by close()
            }
            discard = closed || invalidate || isExpired(entry);
            if (!discard) {
                while (!waiters.isEmpty()) {
                    CompletableFuture<Entry<T>> waiter = waiters.poll();
                    if (waiter.complete(entry)) {
                        handed = waiter;
                        break;
                    }
                }
                if (handed == null) {
                    idle.add(entry);
                }
            }
        } finally {
            lock.unlock();
        }
        if (discard) {
            destroy(entry);
        }
    }

    private Entry<T> create() throws Exception {
        T instance;
        try {
            instance = createInstance();
        } catch (Throwable failure) {
            lock.lock();
            try {
                live--;
                wakeOneWaiter();
            } finally {
                lock.unlock();
            }
            throw failure;
        }
        long recycleAt = Long.MAX_VALUE;
        if (recycle != null) {
            double lifetime = Durations.toNanos(recycle) * (1 + random.nextDouble());
            recycleAt = Durations.saturatedAdd(time.nanoTime(), (long) Math.min(lifetime, Long.MAX_VALUE));
        }
        return new Entry<>(instance, recycleAt);
    }

    /** Waits for a hand-off; null means "room was made, try again". */
    private Entry<T> await(CompletableFuture<Entry<T>> waiter, long deadline, Duration timeout) throws Exception {
        long left = deadline - time.nanoTime();
        TimeSource.Scheduled timer = time.schedule(
                Duration.ofNanos(Math.max(0, left)),
                () -> waiter.completeExceptionally(
                        new TimeoutException("no instance of " + this + " within " + timeout)));
        try {
            return waiter.get();
        } catch (ExecutionException e) {
            dropWaiter(waiter);
            if (e.getCause() instanceof Exception exception) {
                throw exception;
            }
            throw e;
        } catch (InterruptedException e) {
            dropWaiter(waiter);
            if (!waiter.completeExceptionally(e) && !waiter.isCompletedExceptionally()) {
                Entry<T> handed = waiter.getNow(null);
                if (handed != null) {
                    giveBack(handed);
                } else {
                    passOnWakeUp();
                }
            }
            throw e;
        } finally {
            timer.cancel();
        }
    }

    /** A wake-up ("room was made") reached a waiter that left: hand it to the next one. */
    private void passOnWakeUp() {
        lock.lock();
        try {
            wakeOneWaiter();
        } finally {
            lock.unlock();
        }
    }

    private void dropWaiter(CompletableFuture<Entry<T>> waiter) {
        lock.lock();
        try {
            waiters.remove(waiter);
        } finally {
            lock.unlock();
        }
    }

    /** An instance handed to a waiter that left: back to the pool. */
    private void giveBack(Entry<T> entry) {
        lock.lock();
        try {
            leased.put(entry, Boolean.TRUE);
        } finally {
            lock.unlock();
        }
        release(entry, false);
    }

    private boolean check(Entry<T> entry) {
        try {
            return checkInstance(entry.instance());
        } catch (Exception e) {
            log.warn("Check of instance {} of {} failed; it is destroyed", entry.instance(), this, e);
            return false;
        }
    }

    private boolean isExpired(Entry<T> entry) {
        return entry.recycleAt() != Long.MAX_VALUE && time.nanoTime() >= entry.recycleAt();
    }

    /** Destroys {@code entry} on a virtual thread; frees its place when done. */
    private void destroy(Entry<T> entry) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        lock.lock();
        try {
            destroying.add(done);
        } finally {
            lock.unlock();
        }
        Threads.startVirtual("aiomisc-pool-destroy", () -> {
            try {
                destroyInstance(entry.instance());
            } catch (Throwable e) {
                log.error("Error when destroying instance {} of {}", entry.instance(), this, e);
            } finally {
                lock.lock();
                try {
                    live--;
                    destroying.remove(done);
                    wakeOneWaiter();
                } finally {
                    lock.unlock();
                }
                done.complete(null);
            }
        });
    }

    /** Under the lock: a place was freed, so let one waiter try to create an instance. */
    private void wakeOneWaiter() {
        while (!waiters.isEmpty()) {
            if (waiters.poll().complete(null)) {
                return;
            }
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the pool is closed");
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[maxSize=" + maxSize + ", recycle=" + recycle + "]";
    }
}
