package io.aiomisc;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * JVM-wide handling of the OS signals that entrypoints catch. A signal's handler is installed when
 * the first entrypoint that catches it registers, and the previous one (normally the JVM's, which
 * runs shutdown hooks and exits) is put back when the last one leaves, so entrypoints that start
 * and stop in any order never leave a stale handler behind. A signal goes to every entrypoint
 * registered for it. No entrypoint code runs under the lock.
 */
final class OsSignals {
    private static final Logger log = LoggerFactory.getLogger(OsSignals.class);
    private static final ReentrantLock LOCK = new ReentrantLock();
    private static final Map<String, List<Entrypoint>> LISTENERS = new HashMap<>(); // guarded by LOCK
    private static final Map<String, SignalHandler> PREVIOUS = new HashMap<>(); // guarded by LOCK

    private OsSignals() {}

    /**
     * The canonical name of signal {@code name} ({@code "HUP"} or {@code "SIGHUP"}, any case).
     *
     * @throws IllegalArgumentException naming {@code name} if this JVM knows no such signal
     */
    static String canonical(String name) {
        String upper = name.trim().toUpperCase(Locale.ROOT);
        String bare = upper.startsWith("SIG") ? upper.substring(3) : upper;
        try {
            new Signal(bare);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("catchSignals: unknown signal name: '" + name + "'", e);
        }
        return bare;
    }

    static void register(Entrypoint entrypoint, List<String> signals) {
        LOCK.lock();
        try {
            for (String name : signals) {
                List<Entrypoint> listeners = LISTENERS.computeIfAbsent(name, key -> new ArrayList<>());
                if (listeners.isEmpty()) {
                    install(name);
                }
                listeners.add(entrypoint);
            }
        } finally {
            LOCK.unlock();
        }
    }

    static void unregister(Entrypoint entrypoint) {
        LOCK.lock();
        try {
            for (Map.Entry<String, List<Entrypoint>> entry : LISTENERS.entrySet()) {
                if (entry.getValue().remove(entrypoint) && entry.getValue().isEmpty()) {
                    SignalHandler previous = PREVIOUS.remove(entry.getKey());
                    if (previous != null) {
                        Signal.handle(new Signal(entry.getKey()), previous);
                    }
                }
            }
        } finally {
            LOCK.unlock();
        }
    }

    private static void install(String name) {
        try {
            SignalHandler previous = Signal.handle(new Signal(name), OsSignals::dispatch);
            PREVIOUS.put(name, previous);
            if (previous == SignalHandler.SIG_IGN) {
                // The JVM keeps an inherited "ignore" for INT/TERM and never calls our handler.
                log.warn(
                        "SIG{} is ignored by this process (inherited from its parent); it cannot stop the entrypoint",
                        name);
            }
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            log.warn("Cannot handle SIG{} ({}); it will not stop the entrypoint gracefully", name, e.getMessage());
        }
    }

    private static void dispatch(Signal signal) {
        List<Entrypoint> targets;
        LOCK.lock();
        try {
            targets = List.copyOf(LISTENERS.getOrDefault(signal.getName(), List.of()));
        } finally {
            LOCK.unlock();
        }
        for (Entrypoint entrypoint : targets) {
            entrypoint.onSignal(signal.getName());
        }
    }
}
