package io.aiomisc.internal;

/**
 * The {@link TaskScope} the current thread works for. Inheritable, so that threads started by a
 * service or a task belong to the same scope; pool threads get it explicitly per task through
 * {@link ExecutionContext}.
 */
public final class Current {
    private static final InheritableThreadLocal<TaskScope> SCOPE = new InheritableThreadLocal<>();

    private Current() {}

    /** The current thread's scope, or null. */
    public static TaskScope scope() {
        return SCOPE.get();
    }

    /** Makes {@code scope} (may be null) current for this thread and returns the previous one. */
    public static TaskScope set(TaskScope scope) {
        TaskScope previous = SCOPE.get();
        // set(null) rather than remove(): a pool thread keeps its map entry and the next task's
        // set() replaces a value instead of inserting an entry
        SCOPE.set(scope);
        return previous;
    }
}
