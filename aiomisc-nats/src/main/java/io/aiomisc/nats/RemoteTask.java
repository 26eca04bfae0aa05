package io.aiomisc.nats;

import io.aiomisc.internal.SettableTask;
import io.aiomisc.task.Task;

/**
 * The {@link Task} of a {@link DistributedWorkerPool}: one task on its way to a node, running there,
 * or its result on its way back. Cancelling it tells the pool, which tells the nodes.
 */
final class RemoteTask<R> extends SettableTask<R> {
    final String id;
    final long publishedAt; // System.nanoTime()
    volatile long sequence; // its stream sequence once the broker stored it; 0 before
    private final DistributedWorkerPool pool;

    RemoteTask(DistributedWorkerPool pool, String id) {
        this.pool = pool;
        this.id = id;
        this.publishedAt = System.nanoTime();
    }

    /**
     * The pool drops its result, and tells the nodes: a node that has not started it skips it, and a
     * node running it interrupts it when {@code mayInterruptIfRunning} (else lets it finish; its result
     * is dropped).
     */
    @Override
    protected void cancelled(boolean mayInterruptIfRunning) {
        if (pool != null) {
            pool.cancelled(this, mayInterruptIfRunning);
        }
    }

    @Override
    public String toString() {
        return "DistributedTask#" + id;
    }
}
