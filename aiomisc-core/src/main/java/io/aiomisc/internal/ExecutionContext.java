package io.aiomisc.internal;

import io.aiomisc.Entrypoint;
import io.aiomisc.thread.ContextVar;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.MDC;

/**
 * What follows work from the thread that submits it to the thread that runs it: the current
 * entrypoint, the SLF4J MDC and the values of every {@link ContextVar}. Captured at submit;
 * installed around the work and removed after, so the next unrelated task on the same thread does
 * not see it.
 */
public class ExecutionContext {
    private final Entrypoint entrypoint;
    private final Map<String, String> mdc;
    private final Map<ContextVar<?>, Object> vars;

    private ExecutionContext(Entrypoint entrypoint, Map<String, String> mdc, Map<ContextVar<?>, Object> vars) {
        this.entrypoint = entrypoint;
        this.mdc = mdc == null || mdc.isEmpty() ? null : mdc;
        this.vars = vars;
    }

    /**
     * For executors that keep the captured context inside their own task object: {@code entrypoint}
     * (looked up by the caller), and the calling thread's MDC and context variables.
     */
    protected ExecutionContext(Entrypoint entrypoint) {
        this(entrypoint, MDC.getCopyOfContextMap(), ContextVar.capture());
    }

    /** The calling thread's entrypoint and MDC. */
    public static ExecutionContext capture() {
        return new ExecutionContext(Current.entrypoint(), MDC.getCopyOfContextMap(), ContextVar.capture());
    }

    /** The given entrypoint, and the calling thread's MDC and context variables. */
    public static ExecutionContext capture(Entrypoint entrypoint) {
        return new ExecutionContext(entrypoint, MDC.getCopyOfContextMap(), ContextVar.capture());
    }

    public Entrypoint entrypoint() {
        return entrypoint;
    }

    /**
     * Runs {@code work} with this context installed on the calling thread, which must be a worker
     * (a pool thread, or a thread made for this work): afterwards the thread is left with no
     * entrypoint, an empty MDC and no context variables, whatever the work did, so nothing leaks
     * to the thread's next task.
     */
    public <T> T call(Callable<T> work) throws Exception {
        Current.replace(entrypoint);
        if (mdc != null) {
            MDC.setContextMap(mdc);
        }
        ContextVar.replace(vars);
        try {
            return work.call();
        } finally {
            ContextVar.replace(null);
            if (mdc != null || MDC.getCopyOfContextMap() != null) {
                MDC.clear();
            }
            Current.replace(null);
        }
    }

    /** {@code work} bound to this context. */
    public <T> Callable<T> wrap(Callable<T> work) {
        return () -> call(work);
    }
}
