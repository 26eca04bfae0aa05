package io.aiomisc.task;

import io.aiomisc.internal.Futures;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A view of a task that can be cancelled (or have its awaiter interrupted) without touching the task. */
final class ShieldedTask<T> implements Task<T> {
    private final Task<T> inner;
    private final CompletableFuture<T> view = new CompletableFuture<>();

    ShieldedTask(Task<T> inner) {
        this.inner = Objects.requireNonNull(inner, "task");
        Futures.relay(inner.toCompletableFuture(), view);
    }

    @Override
    public T await() throws Exception {
        return Futures.await(view, null, () -> view.cancel(false), "shielded task");
    }

    @Override
    public T await(Duration timeout) throws Exception {
        Objects.requireNonNull(timeout, "timeout");
        return Futures.await(view, timeout, () -> view.cancel(false), "shielded task");
    }

    @Override
    public CompletableFuture<T> toCompletableFuture() {
        return view.copy();
    }

    /** Cancels this view only; the shielded task keeps running. */
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        return view.cancel(false);
    }

    @Override
    public boolean isCancelled() {
        return view.isCancelled();
    }

    @Override
    public boolean isDone() {
        return view.isDone();
    }

    @Override
    public T get() throws InterruptedException, ExecutionException {
        return view.get();
    }

    @Override
    public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        return view.get(timeout, unit);
    }

    @Override
    public String toString() {
        return "Shielded[" + inner + "]";
    }
}
