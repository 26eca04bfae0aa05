package io.aiomisc;

import io.aiomisc.internal.Durations;
import io.aiomisc.stats.ContextStatistic;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Values that services of one entrypoint hand to each other: a store of promises, one per key.
 * aiomisc's {@code Context}.
 *
 * <pre>{@code
 * // in RemoteConfiguration.start():
 * context().set("wait_time", fetchWaitTime());
 * // in LoggingService.start(), concurrently:
 * Duration waitTime = context().get("wait_time", Duration.class, Duration.ofSeconds(30));
 * }</pre>
 *
 * <p>{@link #get(String)} blocks until some service {@linkplain #set sets} the key. Setting a key
 * again replaces its value: readers that have not read yet, and all later readers, see the latest.
 * Values may be null. When the entrypoint closes, the context is closed: waiting readers and
 * later calls fail with {@link IllegalStateException}.
 *
 * <p>Every {@code get} and {@code set} is counted in a {@link ContextStatistic}, named by
 * {@code Entrypoint.Builder.contextStatisticName} (aiomisc's {@code statistic_name}). Thread-safe; a
 * {@code set} happens-before the {@code get} that returns its value.
 */
public final class Context {
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, CompletableFuture<Object>> values = new HashMap<>(); // guarded by lock
    private final ContextStatistic statistic;
    private boolean closed; // guarded by lock

    /** @param statisticName the name of the statistic ({@code Builder.contextStatisticName}), or null */
    Context(String statisticName) {
        this.statistic = new ContextStatistic(statisticName);
    }

    /**
     * The context of the current entrypoint.
     *
     * @return the context of the entrypoint the calling thread runs in
     * @throws IllegalStateException outside an entrypoint (see {@link Entrypoint#current()})
     */
    public static Context current() {
        return Entrypoint.current().context();
    }

    /**
     * The value of {@code key}, waiting until it is set.
     *
     * <p><b>Blocks</b> without a time limit until the key is set or the context closes.
     * <b>Interrupt:</b> ends the wait with {@link InterruptedException}; the interrupt status is
     * clear, as usual for a method that throws it.
     *
     * @param key the key; not null
     * @return the key's value (may be null), the latest one if it was set again before this read
     * @throws NullPointerException  if {@code key} is null
     * @throws InterruptedException  if the waiting thread is interrupted
     * @throws IllegalStateException if the context is or becomes closed before the key is set
     */
    public Object get(String key) throws InterruptedException {
        statistic.get.increment();
        try {
            return slot(key).get();
        } catch (ExecutionException e) {
            throw closedWhileWaiting(key, e);
        }
    }

    /**
     * The value of {@code key} as a {@code type}, waiting at most {@code timeout} for it to be set.
     *
     * <p><b>Blocks</b> up to {@code timeout}. <b>Interrupt:</b> ends the wait with
     * {@link InterruptedException}; the interrupt status is clear.
     *
     * @param <T>     the expected type of the value
     * @param key     the key; not null
     * @param type    the expected class of the value
     * @param timeout the longest wait; zero or positive (zero reads a value that is already set)
     * @return the key's value as a {@code type} (may be null)
     * @throws NullPointerException     if {@code key}, {@code type} or {@code timeout} is null
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws TimeoutException      if the key is not set within {@code timeout}
     * @throws ClassCastException    if the value is not a {@code type} (the message names both)
     * @throws InterruptedException  if the waiting thread is interrupted
     * @throws IllegalStateException if the context is or becomes closed before the key is set
     */
    public <T> T get(String key, Class<T> type, Duration timeout) throws InterruptedException, TimeoutException {
        Objects.requireNonNull(type, "type");
        Durations.requireNonNegative("timeout", timeout);
        statistic.get.increment();
        Object value;
        try {
            value = slot(key).get(Durations.toNanos(timeout), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw closedWhileWaiting(key, e);
        } catch (TimeoutException e) {
            throw new TimeoutException("context key '" + key + "' was not set within " + timeout);
        }
        if (value != null && !type.isInstance(value)) {
            throw new ClassCastException(
                    "context key '" + key + "' holds a " + value.getClass().getName() + ", not a " + type.getName());
        }
        return type.cast(value);
    }

    /**
     * Sets {@code key} to {@code value} (may be null), waking every reader waiting for it. Never
     * blocks on readers.
     *
     * @param key   the key; not null
     * @param value the value; may be null; replaces an earlier one
     * @throws NullPointerException  if {@code key} is null
     * @throws IllegalStateException if the context is closed
     */
    public void set(String key, Object value) {
        Objects.requireNonNull(key, "key");
        statistic.set.increment();
        CompletableFuture<Object> previous;
        lock.lock();
        try {
            checkOpen();
            previous = values.put(key, CompletableFuture.completedFuture(value));
        } finally {
            lock.unlock();
        }
        if (previous != null) {
            previous.complete(value); // wakes readers waiting for the first value; no-op if it had one
        }
    }

    /**
     * Whether {@code key} has a value now. Never blocks; false after the context closed.
     *
     * @param key the key; not null
     * @return true if {@code key} has been set
     * @throws NullPointerException if {@code key} is null
     */
    public boolean contains(String key) {
        Objects.requireNonNull(key, "key");
        lock.lock();
        try {
            CompletableFuture<Object> current = values.get(key);
            return current != null && current.isDone() && !current.isCompletedExceptionally();
        } finally {
            lock.unlock();
        }
    }

    /**
     * This context's statistics: the {@code get} and {@code set} counts.
     *
     * @return the statistic, the same instance on every call
     */
    public ContextStatistic statistic() {
        return statistic;
    }

    /** Closes the context: clears it and fails waiting readers. Idempotent. */
    void close() {
        Map<String, CompletableFuture<Object>> pending;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            pending = new HashMap<>(values);
            values.clear();
        } finally {
            lock.unlock();
        }
        IllegalStateException closedException =
                new IllegalStateException("the context is closed: its entrypoint has stopped");
        for (CompletableFuture<Object> future : pending.values()) {
            future.completeExceptionally(closedException);
        }
    }

    private CompletableFuture<Object> slot(String key) {
        Objects.requireNonNull(key, "key");
        lock.lock();
        try {
            checkOpen();
            return values.computeIfAbsent(key, k -> new CompletableFuture<>());
        } finally {
            lock.unlock();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the context is closed: its entrypoint has stopped");
        }
    }

    private static IllegalStateException closedWhileWaiting(String key, ExecutionException e) {
        return new IllegalStateException("the context was closed while waiting for key '" + key + "'", e.getCause());
    }

    @Override
    public String toString() {
        lock.lock();
        try {
            return "Context" + values.keySet();
        } finally {
            lock.unlock();
        }
    }
}
