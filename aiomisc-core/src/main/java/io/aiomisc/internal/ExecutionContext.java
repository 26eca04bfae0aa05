package io.aiomisc.internal;

import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.MDC;

/**
 * What follows work from the thread that submits it to the thread that runs it: the current
 * {@link TaskScope}, the SLF4J MDC and the values of the context variables ({@link ContextValues}).
 * Captured at submit; installed around the work and removed after, so the next unrelated task on
 * the same thread does not see it. Immutable.
 */
public final class ExecutionContext {
    private final TaskScope scope;
    private final Map<String, String> mdc;
    private final Map<ThreadLocal<?>, Object> vars;

    private ExecutionContext(TaskScope scope, Map<String, String> mdc, Map<ThreadLocal<?>, Object> vars) {
        this.scope = scope;
        this.mdc = mdc;
        this.vars = vars;
    }

    /** The calling thread's scope, MDC and context variables. */
    public static ExecutionContext capture() {
        return new ExecutionContext(Current.scope(), captureMdc(), ContextValues.capture());
    }

    /** {@code scope}, and the calling thread's MDC and context variables. */
    public static ExecutionContext capture(TaskScope scope) {
        return new ExecutionContext(scope, captureMdc(), ContextValues.capture());
    }

    /** The calling thread's MDC, or null when it is empty (the common case, so nothing is installed). */
    public static Map<String, String> captureMdc() {
        Map<String, String> mdc = MDC.getCopyOfContextMap();
        return mdc == null || mdc.isEmpty() ? null : mdc;
    }

    /** The captured scope, or null. */
    public TaskScope scope() {
        return scope;
    }

    /**
     * Runs {@code work} with this context installed on the calling thread, which must be a worker
     * (a pool thread, or a thread made for this work): afterwards the thread is left with no
     * scope, an empty MDC and no context variables, whatever the work did, so nothing leaks to
     * the thread's next task.
     */
    public <T> T call(Callable<T> work) throws Exception {
        return call(scope, mdc, vars, work);
    }

    /**
     * As {@link #call(Callable)} for an executor that keeps the captured parts in its own task
     * object (one allocation per task instead of two): {@code mdc} from {@link #captureMdc()},
     * {@code vars} from {@link ContextValues#capture()}.
     */
    public static <T> T call(
            TaskScope scope, Map<String, String> mdc, Map<ThreadLocal<?>, Object> vars, Callable<T> work)
            throws Exception {
        Current.set(scope);
        if (mdc != null) {
            MDC.setContextMap(mdc);
        }
        ContextValues.replace(vars);
        try {
            return work.call();
        } finally {
            ContextValues.replace(null);
            if (mdc != null || MDC.getCopyOfContextMap() != null) {
                MDC.clear();
            }
            Current.set(null);
        }
    }

    /** {@code work} bound to this context. */
    public <T> Callable<T> wrap(Callable<T> work) {
        return () -> call(work);
    }
}
