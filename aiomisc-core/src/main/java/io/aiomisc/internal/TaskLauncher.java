package io.aiomisc.internal;

import io.aiomisc.Entrypoint;
import io.aiomisc.task.Task;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;

/** Starts a task on a virtual thread of its own: the current entrypoint's task if there is one. */
public final class TaskLauncher {
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private TaskLauncher() {
    }

    /**
     * Inside an entrypoint, {@link Entrypoint#createTask} (so the task is cancelled when the
     * entrypoint closes); elsewhere a detached task that carries the caller's context.
     */
    public static <T> Task<T> start(Callable<T> work) {
        Entrypoint entrypoint = Current.entrypoint();
        if (entrypoint != null) {
            return entrypoint.createTask(work);
        }
        return startDetached(work);
    }

    /** A task on a new virtual thread that belongs to no entrypoint. */
    public static <T> RunnableTask<T> startDetached(Callable<T> work) {
        String name = "aiomisc-task-" + SEQUENCE.incrementAndGet();
        RunnableTask<T> task = new RunnableTask<>(name, ExecutionContext.capture().wrap(work), true);
        Threads.startVirtual(name, task);
        return task;
    }

    /** A fresh name for a task thread. */
    public static String nextName(String prefix) {
        return prefix + SEQUENCE.incrementAndGet();
    }
}
