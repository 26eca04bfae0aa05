package io.aiomisc.worker;

import io.aiomisc.internal.Futures;
import io.aiomisc.task.Task;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The {@link Task} of a {@link WorkerPool}: one serialized task on its way to, in, or back from a
 * worker. Cancelling it tells the pool, which drops it from the queue or interrupts it in its worker.
 */
final class WorkerJob<R> implements Task<R> {
    final long sequence;
    final byte[] payload; // the serialized task, kept until the task ends (a requeued task is sent again)
    private final CompletableFuture<R> future = new CompletableFuture<>();
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
        job.future.completeExceptionally(failure);
        return job;
    }

    boolean complete(R value) {
        return future.complete(value);
    }

    boolean fail(Throwable failure) {
        return future.completeExceptionally(failure);
    }

    @Override
    public R await() throws Exception {
        return Futures.await(future, null, () -> cancel(true), this.toString());
    }

    @Override
    public R await(Duration timeout) throws Exception {
        Objects.requireNonNull(timeout, "timeout");
        return Futures.await(future, timeout, () -> cancel(true), this.toString());
    }

    @Override
    public CompletableFuture<R> toCompletableFuture() {
        CompletableFuture<R> copy = new CompletableFuture<>() {
            @Override
            public boolean cancel(boolean mayInterruptIfRunning) {
                WorkerJob.this.cancel(true);
                return super.cancel(mayInterruptIfRunning);
            }
        };
        Futures.relay(future, copy);
        return copy;
    }

    /**
     * Cancels the task: a queued task never runs; a running one is interrupted in its worker when
     * {@code mayInterruptIfRunning} (and the worker killed and replaced if the task ignores the
     * interrupt for the pool's {@code cancelTimeout}); without it the task runs on and its result is
     * dropped.
     */
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = future.cancel(mayInterruptIfRunning);
        if (cancelled && pool != null) {
            pool.cancelled(this, mayInterruptIfRunning);
        }
        return cancelled;
    }

    @Override
    public boolean isCancelled() {
        return future.isCancelled();
    }

    @Override
    public boolean isDone() {
        return future.isDone();
    }

    @Override
    public R get() throws InterruptedException, ExecutionException {
        return future.get();
    }

    @Override
    public R get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        return future.get(timeout, unit);
    }

    @Override
    public String toString() {
        return "WorkerTask#" + sequence;
    }
}
