package io.aiomisc;

import io.aiomisc.internal.Current;
import io.aiomisc.internal.ExecutionContext;
import io.aiomisc.internal.RunnableTask;
import io.aiomisc.internal.TaskLauncher;
import io.aiomisc.internal.TaskScope;
import io.aiomisc.task.Task;
import io.aiomisc.thread.ThreadPool;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * What {@link Entrypoint#threadPool()} returns: the entrypoint's default pool as seen from any
 * thread. Work runs with the entrypoint current even when submitted from outside it. The pool is
 * either the entrypoint's own {@link ThreadPool} named {@code default} (closed with the
 * entrypoint) or an executor the caller owns ({@code Builder.threadPool(ExecutorService)}), which
 * the entrypoint never shuts down; either way the view rejects new work once the entrypoint has
 * closed. Thread-safe.
 */
final class EntrypointPool extends AbstractExecutorService implements TaskScope.Pool {
    private final TaskScope scope;
    private final ThreadPool owned; // null when the executor is the caller's
    private final ExecutorService borrowed; // null when the pool is our own
    private volatile boolean closed;

    private EntrypointPool(TaskScope scope, ThreadPool owned, ExecutorService borrowed) {
        this.scope = scope;
        this.owned = owned;
        this.borrowed = borrowed;
    }

    /** A pool of {@code size} threads named {@code default}, owned (and closed) by the entrypoint. */
    static EntrypointPool owned(TaskScope scope, int size) {
        return new EntrypointPool(scope, new ThreadPool("default", size), null);
    }

    /** A view of the caller's {@code executor}, which the entrypoint never shuts down. */
    static EntrypointPool borrowed(TaskScope scope, ExecutorService executor) {
        return new EntrypointPool(scope, null, executor);
    }

    /** Our own pool, or null when the executor is the caller's; for tests. */
    ThreadPool ownPool() {
        return owned;
    }

    /** The fast path of {@code Threaded.threaded}: the caller runs in this pool's scope, so nothing more to install. */
    @Override
    public <T> Task<T> submitFromScope(Callable<T> work) {
        if (owned == null) {
            return submit(work);
        }
        Objects.requireNonNull(work, "task");
        checkOpen();
        return owned.submit(work);
    }

    /** Submits {@code work} from any thread; it runs with the entrypoint current. */
    @Override
    public <T> Task<T> submit(Callable<T> work) {
        Objects.requireNonNull(work, "task");
        checkOpen();
        if (owned != null) {
            return owned.submit(
                    Current.scope() == scope
                            ? work
                            : ExecutionContext.capture(scope).wrap(work));
        }
        RunnableTask<T> task = new RunnableTask<>(
                TaskLauncher.nextName("pool-task-default-"),
                ExecutionContext.capture(scope).wrap(work),
                true);
        try {
            borrowed.execute(task);
        } catch (RejectedExecutionException e) {
            task.reject(e);
            throw e;
        }
        return task;
    }

    @Override
    public Task<?> submit(Runnable task) {
        return submit(Executors.callable(Objects.requireNonNull(task, "task")));
    }

    @Override
    public <T> Task<T> submit(Runnable task, T result) {
        return submit(Executors.callable(Objects.requireNonNull(task, "task"), result));
    }

    @Override
    public void execute(Runnable command) {
        Objects.requireNonNull(command, "command");
        checkOpen();
        if (owned != null && Current.scope() == scope) {
            owned.execute(command);
            return;
        }
        ExecutionContext context = ExecutionContext.capture(scope);
        Runnable bound = () -> {
            try {
                context.call(Executors.callable(command));
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Exception impossible) {
                throw new IllegalStateException(impossible);
            }
        };
        if (owned != null) {
            owned.execute(bound);
        } else {
            borrowed.execute(bound);
        }
    }

    /** Closes the view; with our own pool, also the pool, waiting at most {@code timeout}. */
    void close(Duration timeout) {
        closed = true;
        if (owned != null) {
            owned.close(timeout);
        }
    }

    /** Rejects new work through this view; the pool itself is closed with the entrypoint. */
    @Override
    public void shutdown() {
        closed = true;
        if (owned != null) {
            owned.shutdown();
        }
    }

    @Override
    public List<Runnable> shutdownNow() {
        closed = true;
        return owned != null ? owned.shutdownNow() : List.of();
    }

    @Override
    public boolean isShutdown() {
        return closed || (owned != null && owned.isShutdown());
    }

    @Override
    public boolean isTerminated() {
        return owned != null ? owned.isTerminated() : closed;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return owned != null ? owned.awaitTermination(timeout, unit) : closed;
    }

    private void checkOpen() {
        if (closed) {
            throw new RejectedExecutionException("ThreadPool 'default' is closed");
        }
    }

    @Override
    public String toString() {
        return owned != null ? owned.toString() : "ThreadPool[default, " + borrowed + (closed ? ", closed" : "") + "]";
    }
}
