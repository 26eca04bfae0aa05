package io.aiomisc.worker;

import io.aiomisc.internal.SettableTask;
import io.aiomisc.task.Task;

/**
 * The {@link Task} of a {@link WorkerPool}: one serialized task on its way to, in, or back from a
 * worker. Cancelling it tells the pool, which drops it from the queue or interrupts it in its worker.
 */
final class WorkerJob<R> extends SettableTask<R> {
    final long sequence;
    final byte[] payload; // the serialized task, kept until the task ends (a requeued task is sent again)
    private final WorkerPool pool;
    volatile long dispatchedAt; // System.nanoTime() when handed to a worker

    WorkerJob(WorkerPool pool, long sequence, byte[] payload) {
        this.pool = pool;
        this.sequence = sequence;
        this.payload = payload;
    }

    /** A task that failed before it reached the pool. */
    static <R> WorkerJob<R> failed(WorkerPool pool, Throwable failure) {
        WorkerJob<R> job = new WorkerJob<>(pool, -1, null);
        job.fail(failure);
        return job;
    }

    /**
     * A queued task never runs; a running one is interrupted in its worker when
     * {@code mayInterruptIfRunning} (and the worker killed and replaced if the task ignores the
     * interrupt for the pool's {@code cancelTimeout}); without it the task runs on and its result is
     * dropped.
     */
    @Override
    protected void cancelled(boolean mayInterruptIfRunning) {
        if (pool != null) {
            pool.cancelled(this, mayInterruptIfRunning);
        }
    }

    @Override
    public String toString() {
        return "WorkerTask#" + sequence;
    }
}
