package io.aiomisc;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * JVM-wide SIGINT/SIGTERM handling for entrypoints that catch signals. The handlers are installed
 * when the first such entrypoint registers and the previous ones (normally the JVM's, which run
 * shutdown hooks and exit) are put back when the last one leaves, so entrypoints that start and
 * stop in any order never leave a stale handler behind. A signal goes to every registered
 * entrypoint.
 */
final class OsSignals {
    private static final Logger log = LoggerFactory.getLogger(OsSignals.class);
    private static final List<String> SIGNALS = List.of("INT", "TERM");
    private static final ReentrantLock LOCK = new ReentrantLock();
    private static final List<Entrypoint> LISTENERS = new ArrayList<>(); // guarded by LOCK
    private static final Map<String, SignalHandler> PREVIOUS = new LinkedHashMap<>(); // guarded by LOCK

    private OsSignals() {
    }

    static void register(Entrypoint entrypoint) {
        LOCK.lock();
        try {
            if (LISTENERS.isEmpty()) {
                for (String name : SIGNALS) {
                    try {
                        SignalHandler previous = Signal.handle(new Signal(name), OsSignals::dispatch);
                        PREVIOUS.put(name, previous);
                        if (previous == SignalHandler.SIG_IGN) {
                            // The JVM keeps an inherited "ignore" for INT/TERM and never calls our handler.
                            log.warn("SIG{} is ignored by this process (inherited from its parent); it cannot stop the entrypoint", name);
                        }
                    } catch (IllegalArgumentException | UnsupportedOperationException e) {
                        log.warn("Cannot handle SIG{} ({}); it will not stop the entrypoint gracefully", name, e.getMessage());
                    }
                }
            }
            LISTENERS.add(entrypoint);
        } finally {
            LOCK.unlock();
        }
    }

    static void unregister(Entrypoint entrypoint) {
        LOCK.lock();
        try {
            if (LISTENERS.remove(entrypoint) && LISTENERS.isEmpty()) {
                for (Map.Entry<String, SignalHandler> previous : PREVIOUS.entrySet()) {
                    Signal.handle(new Signal(previous.getKey()), previous.getValue());
                }
                PREVIOUS.clear();
            }
        } finally {
            LOCK.unlock();
        }
    }

    private static void dispatch(Signal signal) {
        List<Entrypoint> targets;
        LOCK.lock();
        try {
            targets = List.copyOf(LISTENERS);
        } finally {
            LOCK.unlock();
        }
        for (Entrypoint entrypoint : targets) {
            entrypoint.onSignal(signal.getName());
        }
    }
}
