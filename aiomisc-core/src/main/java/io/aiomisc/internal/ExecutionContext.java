package io.aiomisc.internal;

import io.aiomisc.Entrypoint;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.MDC;

/**
 * What follows work from the thread that submits it to the thread that runs it: the current
 * entrypoint and the SLF4J MDC. Captured at submit; installed around the work and removed after,
 * so the next unrelated task on the same thread does not see it.
 */
public final class ExecutionContext {
    private final Entrypoint entrypoint;
    private final Map<String, String> mdc;

    private ExecutionContext(Entrypoint entrypoint, Map<String, String> mdc) {
        this.entrypoint = entrypoint;
        this.mdc = mdc == null || mdc.isEmpty() ? null : mdc;
    }

    /** The calling thread's entrypoint and MDC. */
    public static ExecutionContext capture() {
        return new ExecutionContext(Current.entrypoint(), MDC.getCopyOfContextMap());
    }

    /** The given entrypoint and the calling thread's MDC. */
    public static ExecutionContext capture(Entrypoint entrypoint) {
        return new ExecutionContext(entrypoint, MDC.getCopyOfContextMap());
    }

    public Entrypoint entrypoint() {
        return entrypoint;
    }

    /** Runs {@code work} with this context installed; restores the thread's own context after. */
    public <T> T call(Callable<T> work) throws Exception {
        Entrypoint previousEntrypoint = Current.set(entrypoint);
        Map<String, String> previousMdc = MDC.getCopyOfContextMap();
        install(mdc);
        try {
            return work.call();
        } finally {
            install(previousMdc);
            Current.set(previousEntrypoint);
        }
    }

    /** {@code work} bound to this context. */
    public <T> Callable<T> wrap(Callable<T> work) {
        return () -> call(work);
    }

    private static void install(Map<String, String> map) {
        if (map == null || map.isEmpty()) {
            MDC.clear();
        } else {
            MDC.setContextMap(map);
        }
    }
}
