package io.aiomisc.internal;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The storage behind {@code io.aiomisc.thread.ContextVar}: the weakly held set of thread locals
 * whose values follow work from the thread that submits it to the thread that runs it. The public
 * face registers a variable the first time a value is set on it, so that constructing one never
 * lets {@code this} escape.
 */
public final class ContextValues {
    private static final ReentrantLock LOCK = new ReentrantLock();
    private static final Set<ThreadLocal<?>> ALL = Collections.newSetFromMap(new WeakHashMap<>()); // guarded by LOCK
    private static volatile List<ThreadLocal<?>> snapshot = List.of();

    private ContextValues() {}

    /** Adds {@code variable} to the carried variables; idempotent. */
    public static void register(ThreadLocal<?> variable) {
        LOCK.lock();
        try {
            if (ALL.add(variable)) {
                snapshot = List.copyOf(ALL);
            }
        } finally {
            LOCK.unlock();
        }
    }

    /** The non-null values of every registered variable on the calling thread, or null if none. */
    public static Map<ThreadLocal<?>, Object> capture() {
        List<ThreadLocal<?>> vars = snapshot;
        if (vars.isEmpty()) {
            return null;
        }
        Map<ThreadLocal<?>, Object> values = null;
        for (ThreadLocal<?> var : vars) {
            Object value = var.get();
            if (value != null) {
                if (values == null) {
                    values = new IdentityHashMap<>();
                }
                values.put(var, value);
            }
        }
        return values;
    }

    /**
     * Makes the calling thread's registered variables exactly {@code values} (from
     * {@link #capture()}; null for none: every variable removed).
     */
    @SuppressWarnings("unchecked")
    public static void replace(Map<ThreadLocal<?>, Object> values) {
        for (ThreadLocal<?> var : snapshot) {
            Object value = values == null ? null : values.get(var);
            if (value == null) {
                var.remove();
            } else {
                ((ThreadLocal<Object>) var).set(value);
            }
        }
    }
}
