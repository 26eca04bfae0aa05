package io.aiomisc.pool;

import java.util.Objects;

/**
 * One use of a pooled instance, from {@link PoolBase#acquire()} to {@link #close()}, which gives
 * the instance back. Use it with try-with-resources. Not thread-safe: one user at a time.
 *
 * @param <T> the instance type
 */
public final class Lease<T> implements AutoCloseable {
    private final PoolBase<T> pool;
    private final PoolBase.Entry<T> entry;
    private boolean released;

    Lease(PoolBase<T> pool, PoolBase.Entry<T> entry) {
        this.pool = Objects.requireNonNull(pool);
        this.entry = Objects.requireNonNull(entry);
    }

    /**
     * The leased instance.
     *
     * @return the instance, the same on every call
     * @throws IllegalStateException once the lease is closed
     */
    public T get() {
        if (released) {
            throw new IllegalStateException("the lease is closed; acquire the pool again");
        }
        return entry.instance();
    }

    /** Gives the instance back to the pool. Idempotent. */
    @Override
    public void close() {
        if (!released) {
            released = true;
            pool.release(entry, false);
        }
    }

    /**
     * Gives the instance back as broken: the pool destroys it instead of reusing it. Idempotent,
     * and a no-op after {@link #close()}.
     */
    public void invalidate() {
        if (!released) {
            released = true;
            pool.release(entry, true);
        }
    }

    @Override
    public String toString() {
        return "Lease[" + (released ? "closed" : entry.instance()) + "]";
    }
}
