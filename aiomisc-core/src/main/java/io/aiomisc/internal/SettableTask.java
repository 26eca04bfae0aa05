package io.aiomisc.internal;

import io.aiomisc.task.Task;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@link Task} whose outcome arrives from elsewhere (a worker process, a remote node): completed
 * by {@link #complete} or {@link #fail}, and told by {@link #cancelled} when its caller cancels it.
 * {@code await} rethrows the task's own exception and cancels the task when the awaiting thread is
 * interrupted, as every aiomisc task does. Thread-safe; the first outcome wins.
 *
 * @param <R> the result type
 */
public abstract class SettableTask<R> implements Task<R> {
    private final CompletableFuture<R> future = new CompletableFuture<>();

    /** A task with no outcome yet. */
    protected SettableTask() {}

    /**
     * Completes the task with {@code value}.
     *
     * @return true if this was its outcome (it had none before)
     */
    public final boolean complete(R value) {
        return future.complete(value);
    }

    /**
     * Completes the task with {@code failure}.
     *
     * @return true if this was its outcome (it had none before)
     */
    public final boolean fail(Throwable failure) {
        return future.completeExceptionally(failure);
    }

    /**
     * Called once, by the thread whose {@link #cancel} cancelled the task, after it is cancelled: tell
     * whoever runs it.
     *
     * @param mayInterruptIfRunning what the caller passed to {@code cancel}
     */
    protected abstract void cancelled(boolean mayInterruptIfRunning);

    @Override
    public final R await() throws Exception {
        return Futures.await(future, null, () -> cancel(true), toString());
    }

    @Override
    public final R await(Duration timeout) throws Exception {
        Objects.requireNonNull(timeout, "timeout");
        return Futures.await(future, timeout, () -> cancel(true), toString());
    }

    @Override
    public final CompletableFuture<R> toCompletableFuture() {
        CompletableFuture<R> copy = new CompletableFuture<>() {
            @Override
            public boolean cancel(boolean mayInterruptIfRunning) {
                SettableTask.this.cancel(true);
                return super.cancel(mayInterruptIfRunning);
            }
        };
        Futures.relay(future, copy);
        return copy;
    }

    /**
     * Cancels the task unless it has an outcome; true only for the call that cancelled it (a second
     * call returns false, as {@link java.util.concurrent.Future#cancel} requires).
     */
    @Override
    public final boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = future.completeExceptionally(new CancellationException(this + " was cancelled"));
        if (cancelled) {
            cancelled(mayInterruptIfRunning);
        }
        return cancelled;
    }

    @Override
    public final boolean isCancelled() {
        return future.isCancelled();
    }

    @Override
    public final boolean isDone() {
        return future.isDone();
    }

    @Override
    public final R get() throws InterruptedException, ExecutionException {
        return future.get();
    }

    @Override
    public final R get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        return future.get(timeout, unit);
    }
}
