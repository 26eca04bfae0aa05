package io.aiomisc.thread;

import io.aiomisc.internal.ContextValues;

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
 * <p>Only non-null values are carried, from the first time a value is {@linkplain #set set} on the
 * variable (a value that only comes from an overridden {@code initialValue()} is not carried).
 * Instances are registered weakly; keep them in static fields, as thread locals usually are.
 * Thread-safe.
 *
 * @param <T> the value type
 */
public class ContextVar<T> extends InheritableThreadLocal<T> {
    private final String name;
    private volatile boolean registered;

    /** A variable without a name. */
    public ContextVar() {
        this(null);
    }

    /**
     * A named variable.
     *
     * @param name shown by {@link #toString()}; may be null
     */
    public ContextVar(String name) {
        this.name = name;
    }

    /**
     * Sets the calling thread's value. The first call on a variable registers it (weakly) with the
     * executors that carry context; registering there rather than in the constructor keeps
     * {@code this} from escaping it.
     */
    @Override
    public void set(T value) {
        if (!registered) {
            ContextValues.register(this);
            registered = true;
        }
        super.set(value);
    }

    @Override
    public String toString() {
        return "ContextVar[" + (name == null ? "" : name) + "]";
    }
}
