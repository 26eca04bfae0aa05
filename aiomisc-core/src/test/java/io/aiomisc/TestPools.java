package io.aiomisc;

import io.aiomisc.thread.ThreadPool;

/**
 * The entrypoint's own pool behind the {@link Entrypoint#threadPool()} view, for tests that check
 * its name, size or statistics.
 */
public final class TestPools {
    private TestPools() {}

    /** The {@link ThreadPool} named {@code default} that {@code entrypoint} owns. */
    public static ThreadPool defaultPool(Entrypoint entrypoint) {
        ThreadPool pool = ((EntrypointPool) entrypoint.threadPool()).ownPool();
        if (pool == null) {
            throw new IllegalStateException("the entrypoint runs on a caller's executor");
        }
        return pool;
    }
}
