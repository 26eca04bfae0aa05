package io.aiomisc.thread;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An inheritable thread-local value that follows work wherever aiomisc runs it: Python's
 * {@code contextvars.ContextVar}, as aiomisc's {@code threaded} propagates it.
 *
 * <p>A plain {@link InheritableThreadLocal} reaches threads created by the thread that set it, but
 * not the long-lived threads of a pool. A {@code ContextVar}'s value is captured when work is
 * submitted ({@code Threaded.threaded}, {@link ThreadPool}, {@code Entrypoint.createTask}, a
 * {@code LoopThread}) and set on the thread that runs it for the duration of that work, then
 * removed, so the next unrelated task does not see it.
 *
 * <pre>{@code
 * static final ContextVar<String> USER = new ContextVar<>("user");
 *
 * USER.set("alice");
 * Threaded.threaded(() -> audit(USER.get())).await();   // sees "alice" on the pool thread
 * }</pre>
 *
 * <p>Only non-null values are carried. Instances are registered weakly when constructed; keep
 * them in static fields, as thread locals usually are. Thread-safe.
 *
 * @param <T> the value type
 */
public class ContextVar<T> extends InheritableThreadLocal<T> {
    private static final ReentrantLock LOCK = new ReentrantLock();
    private static final Set<ContextVar<?>> ALL = Collections.newSetFromMap(new WeakHashMap<>()); // guarded by LOCK
    private static volatile List<ContextVar<?>> snapshot = List.of();

    private final String name;

    /** A variable without a name. */
    public ContextVar() {
        this(null);
    }

    /** @param name shown by {@link #toString()}; may be null */
    public ContextVar(String name) {
        this.name = name;
        LOCK.lock();
        try {
            ALL.add(this);
            snapshot = List.copyOf(ALL);
        } finally {
            LOCK.unlock();
        }
    }

    /**
     * The non-null values of every {@code ContextVar} on the calling thread, or null if there are
     * none. For aiomisc's executors; not needed by applications.
     */
    public static Map<ContextVar<?>, Object> capture() {
        List<ContextVar<?>> vars = snapshot;
        if (vars.isEmpty()) {
            return null;
        }
        Map<ContextVar<?>, Object> values = null;
        for (ContextVar<?> var : vars) {
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
     * Makes the calling thread's context variables exactly {@code values} (from {@link #capture()};
     * null for none: every variable removed). For aiomisc's executors; not needed by applications.
     */
    public static void replace(Map<ContextVar<?>, Object> values) {
        for (ContextVar<?> var : snapshot) {
            Object value = values == null ? null : values.get(var);
            if (value == null) {
                var.remove();
            } else {
                var.setRaw(value);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private void setRaw(Object value) {
        set((T) value);
    }

    @Override
    public String toString() {
        return "ContextVar[" + (name == null ? "" : name) + "]";
    }
}
