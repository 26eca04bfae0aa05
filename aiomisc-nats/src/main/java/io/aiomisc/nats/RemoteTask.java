package io.aiomisc.nats;

import io.aiomisc.internal.Futures;
import io.aiomisc.task.Task;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The {@link Task} of a {@link DistributedWorkerPool}: one task on its way to a node, running there,
 * or its result on its way back. Cancelling it tells the pool, which tells the nodes.
 */
final class RemoteTask<R> implements Task<R> {
    final String id;
    final long publishedAt; // System.nanoTime()
    volatile long sequence; // its stream sequence once the broker stored it; 0 before
    private final CompletableFuture<R> future = new CompletableFuture<>();
    private final DistributedWorkerPool pool;

    RemoteTask(DistributedWorkerPool pool, String id) {
        this.pool = pool;
        this.id = id;
        this.publishedAt = System.nanoTime();
    }

    boolean complete(R value) {
        return future.complete(value);
    }

    boolean fail(Throwable failure) {
        return future.completeExceptionally(failure);
    }

    @Override
    public R await() throws Exception {
        return Futures.await(future, null, () -> cancel(true), toString());
    }

    @Override
    public R await(Duration timeout) throws Exception {
        Objects.requireNonNull(timeout, "timeout");
        return Futures.await(future, timeout, () -> cancel(true), toString());
    }

    @Override
    public CompletableFuture<R> toCompletableFuture() {
        CompletableFuture<R> copy = new CompletableFuture<>() {
            @Override
            public boolean cancel(boolean mayInterruptIfRunning) {
                RemoteTask.this.cancel(true);
                return super.cancel(mayInterruptIfRunning);
            }
        };
        Futures.relay(future, copy);
        return copy;
    }

    /**
     * Cancels the task: the pool drops its result, and tells the nodes; a node running it interrupts
     * it when {@code mayInterruptIfRunning}, and a node that has not started it yet skips it.
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
        return "DistributedTask#" + id;
    }
}
