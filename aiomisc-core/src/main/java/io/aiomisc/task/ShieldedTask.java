package io.aiomisc.task;

import io.aiomisc.internal.Durations;
import io.aiomisc.internal.RunnableTask;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CancellationException;
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
        inner.toCompletableFuture().whenComplete((value, failure) -> {
            if (failure == null) {
                view.complete(value);
            } else if (failure instanceof CancellationException) {
                view.cancel(false);
            } else {
                view.completeExceptionally(failure);
            }
        });
    }

    @Override
    public T await() throws Exception {
        try {
            return view.get();
        } catch (ExecutionException e) {
            throw RunnableTask.rethrowable(e.getCause());
        } catch (InterruptedException e) {
            view.cancel(false);
            throw e;
        }
    }

    @Override
    public T await(Duration timeout) throws Exception {
        Objects.requireNonNull(timeout, "timeout");
        try {
            return view.get(Math.max(0, Durations.toNanos(timeout)), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw RunnableTask.rethrowable(e.getCause());
        } catch (InterruptedException e) {
            view.cancel(false);
            throw e;
        } catch (TimeoutException e) {
            throw new TimeoutException("shielded task did not complete within " + timeout);
        }
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
