package io.aiomisc.internal;

import io.aiomisc.task.Task;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What a running entrypoint is to the code that runs in it: the set of its tasks, whether it still
 * accepts new ones, the pool {@code threaded} work goes to, and the "current" marker that threads
 * inherit ({@link Current}). The entrypoint owns one; {@code Threaded}, {@link TaskLauncher} and the
 * thread pools talk only to it, which is what keeps this package free of the public ones.
 *
 * <p>Phases: {@code NEW → OPEN → CLOSED} ({@link #open}, {@link #close}); tasks start only while
 * open. Closing is one-way; tasks still running are the caller's to cancel ({@link #close} returns
 * them). Thread-safe; no user code runs under the lock.
 */
public final class TaskScope {
    /**
     * Where {@code threaded} work of a scope runs: its default pool. {@link #execute} may be called
     * from any thread and runs the command with the scope current.
     */
    public interface Pool extends Executor {
        /**
         * Submits {@code work} from a thread whose current scope is the pool's (the fast path of
         * {@code threaded}: nothing to install beyond what the caller has), with its context.
         *
         * @throws RejectedExecutionException if the pool no longer accepts work
         */
        <T> Task<T> submitFromScope(Callable<T> work);
    }

    private static final int NEW = 0;
    private static final int OPEN = 1;
    private static final int CLOSED = 2;

    private final Object owner;
    private final ReentrantLock lock = new ReentrantLock();
    private final Set<RunnableTask<?>> tasks = new LinkedHashSet<>(); // guarded by lock
    private int phase = NEW; // guarded by lock
    private List<RunnableTask<?>> failed; // guarded by lock; null unless failures are tracked
    private volatile Pool pool;

    /** @param owner what {@link #owner()} returns (the entrypoint) */
    public TaskScope(Object owner) {
        this.owner = Objects.requireNonNull(owner, "owner");
    }

    /** The object this scope belongs to. */
    public Object owner() {
        return owner;
    }

    /** Starts accepting tasks, with {@code pool} as the default pool. Once. */
    public void open(Pool pool) {
        Objects.requireNonNull(pool, "pool");
        lock.lock();
        try {
            if (phase != NEW) {
                throw new IllegalStateException("the task scope was opened already");
            }
            this.pool = pool;
            phase = OPEN;
        } finally {
            lock.unlock();
        }
    }

    /** The default pool, or null before {@link #open}. */
    public Pool pool() {
        return pool;
    }

    /**
     * Starts {@code work} on a new thread named {@code name} (a virtual one, or a daemon platform
     * thread when {@code platform}) as a task of this scope, with this scope current and the
     * caller's MDC and context variables.
     *
     * @throws IllegalStateException      if the scope has not been opened
     * @throws RejectedExecutionException if it is closed
     */
    public <T> RunnableTask<T> start(String name, Callable<T> work, boolean platform) {
        Objects.requireNonNull(work, "work");
        RunnableTask<T> task =
                new RunnableTask<>(name, ExecutionContext.capture(this).wrap(work), true);
        lock.lock();
        try {
            if (phase == NEW) {
                throw new IllegalStateException("createTask() called before start()");
            }
            if (phase == CLOSED) {
                throw new RejectedExecutionException("the entrypoint is closed: no new tasks");
            }
            tasks.add(task);
        } finally {
            lock.unlock();
        }
        task.whenFinished(() -> forget(task));
        if (platform) {
            Threads.startPlatform(name, true, task);
        } else {
            Threads.startVirtual(name, task);
        }
        return task;
    }

    /**
     * Stops accepting tasks, cancels (interrupting) every task still running and returns them,
     * for the caller to wait on. Idempotent: a later call returns what is still running.
     */
    public List<RunnableTask<?>> close() {
        List<RunnableTask<?>> remaining;
        lock.lock();
        try {
            phase = CLOSED;
            remaining = new ArrayList<>(tasks);
        } finally {
            lock.unlock();
        }
        for (RunnableTask<?> task : remaining) {
            task.cancel(true);
        }
        return remaining;
    }

    /** The names of the tasks still running. */
    public List<String> taskNames() {
        lock.lock();
        try {
            List<String> names = new ArrayList<>(tasks.size());
            for (RunnableTask<?> task : tasks) {
                names.add(task.name());
            }
            return names;
        } finally {
            lock.unlock();
        }
    }

    /**
     * From now on, keeps every task of this scope that fails, for {@link #unobservedFailures()}: what a
     * test harness needs (it holds the failed tasks until the scope is collected, so it is not on by
     * default). Idempotent.
     */
    public void trackFailures() {
        lock.lock();
        try {
            if (failed == null) {
                failed = new ArrayList<>();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * The tasks that failed since {@link #trackFailures()} and whose failure nobody has retrieved,
     * by task name in order of failure; empty when failures are not tracked. Does not count as
     * retrieving them.
     */
    public Map<String, Throwable> unobservedFailures() {
        List<RunnableTask<?>> candidates;
        lock.lock();
        try {
            candidates = failed == null ? List.of() : new ArrayList<>(failed);
        } finally {
            lock.unlock();
        }
        Map<String, Throwable> result = new LinkedHashMap<>();
        for (RunnableTask<?> task : candidates) {
            Throwable failure = task.unobservedFailure();
            if (failure != null) {
                result.put(task.name(), failure);
            }
        }
        return result;
    }

    private void forget(RunnableTask<?> task) {
        lock.lock();
        try {
            if (failed != null && task.state() == Future.State.FAILED) {
                failed.add(task);
            }
            tasks.remove(task);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "TaskScope[" + owner + "]";
    }
}
