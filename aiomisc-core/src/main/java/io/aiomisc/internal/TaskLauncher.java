package io.aiomisc.internal;

import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;

/** Starts a task on a virtual thread of its own: a task of the current scope if there is one. */
public final class TaskLauncher {
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private TaskLauncher() {}

    /**
     * Inside a scope (an entrypoint), one of its tasks (so it is cancelled when the entrypoint
     * closes); elsewhere a detached task that carries the caller's context.
     */
    public static <T> RunnableTask<T> start(Callable<T> work) {
        TaskScope scope = Current.scope();
        if (scope != null) {
            return scope.start(nextName("aiomisc-task-"), work, false);
        }
        return startDetached(work);
    }

    /** A task on a new virtual thread that belongs to no scope. */
    public static <T> RunnableTask<T> startDetached(Callable<T> work) {
        String name = nextName("aiomisc-task-");
        RunnableTask<T> task =
                new RunnableTask<>(name, ExecutionContext.capture().wrap(work), true);
        Threads.startVirtual(name, task);
        return task;
    }

    /**
     * Starts {@code work} on a new daemon platform thread named {@code name}: a task of the current
     * scope if there is one, else a detached one.
     */
    public static <T> RunnableTask<T> startPlatform(String name, Callable<T> work) {
        TaskScope scope = Current.scope();
        if (scope != null) {
            return scope.start(name, work, true);
        }
        RunnableTask<T> task =
                new RunnableTask<>(name, ExecutionContext.capture().wrap(work), true);
        Threads.startPlatform(name, true, task);
        return task;
    }

    /** A fresh name for a task thread. */
    public static String nextName(String prefix) {
        return prefix + SEQUENCE.incrementAndGet();
    }
}
