package io.aiomisc.internal;

import io.aiomisc.Entrypoint;

/**
 * The entrypoint the current thread works for. Inheritable, so that threads started by a service
 * or a task belong to the same entrypoint; pool threads get it explicitly per task through
 * {@link ExecutionContext}.
 */
public final class Current {
    private static final InheritableThreadLocal<Entrypoint> ENTRYPOINT = new InheritableThreadLocal<>();

    private Current() {
    }

    /** The current thread's entrypoint, or null. */
    public static Entrypoint entrypoint() {
        return ENTRYPOINT.get();
    }

    /** Makes {@code entrypoint} (may be null) current for this thread. */
    public static void replace(Entrypoint entrypoint) {
        ENTRYPOINT.set(entrypoint);
    }

    /** Makes {@code entrypoint} (may be null) current for this thread and returns the previous one. */
    public static Entrypoint set(Entrypoint entrypoint) {
        Entrypoint previous = ENTRYPOINT.get();
        // set(null) rather than remove(): a pool thread keeps its map entry and the next task's
        // set() replaces a value instead of inserting an entry
        ENTRYPOINT.set(entrypoint);
        return previous;
    }
}
