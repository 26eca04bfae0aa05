package io.aiomisc;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A lifecycle event receivers can connect to: aiomisc's {@code Signal}. The entrypoint has four
 * ({@link Entrypoint#PRE_START}, {@link Entrypoint#POST_START}, {@link Entrypoint#PRE_STOP},
 * {@link Entrypoint#POST_STOP}); plugins connect to those class-level signals, and each entrypoint
 * works with a {@linkplain #copy() copy} taken when it is built and {@linkplain #freeze() frozen}
 * when it starts.
 *
 * <pre>{@code
 * Entrypoint.PRE_START.connect((entrypoint, services) -> migrateDatabase());
 * }</pre>
 *
 * <p>Receivers are called one by one, in the order they were connected, on the thread that calls
 * {@link #call}; the first exception stops the call and propagates. Connecting a receiver that is
 * already connected does nothing. Thread-safe.
 */
public final class Signal {
    /** A receiver of a signal. */
    @FunctionalInterface
    public interface Receiver {
        /**
         * Handles the signal, on the thread that calls {@link Signal#call} (for the entrypoint's
         * signals, the thread in {@code Entrypoint.start()} or {@code close()}). May block; the
         * caller waits for it.
         *
         * @param entrypoint the entrypoint that fired the signal; null for a stand-alone signal
         *                   called with null
         * @param services   the services being started or stopped (just those, for a dynamic
         *                   {@code startServices}/{@code stopServices}); unmodifiable
         * @throws Exception any failure: it stops the signal's call, later receivers are not called,
         *                   and {@link Signal#call} rethrows it as is
         */
        void receive(Entrypoint entrypoint, List<Service> services) throws Exception;
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final CopyOnWriteArraySet<Receiver> receivers;
    private volatile boolean frozen;

    /** A new signal with no receivers, not frozen. */
    public Signal() {
        this.receivers = new CopyOnWriteArraySet<>();
    }

    private Signal(CopyOnWriteArraySet<Receiver> receivers) {
        this.receivers = receivers;
    }

    /**
     * Connects {@code receiver}, after the receivers already connected.
     *
     * @param receiver the receiver; connecting one already connected does nothing
     * @throws NullPointerException  if {@code receiver} is null
     * @throws IllegalStateException if the signal is frozen
     */
    public void connect(Receiver receiver) {
        Objects.requireNonNull(receiver, "receiver");
        lock.lock();
        try {
            checkNotFrozen("connect to");
            receivers.add(receiver);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Disconnects {@code receiver}; nothing happens if it is not connected.
     *
     * @param receiver the receiver to remove
     * @throws NullPointerException  if {@code receiver} is null
     * @throws IllegalStateException if the signal is frozen
     */
    public void disconnect(Receiver receiver) {
        Objects.requireNonNull(receiver, "receiver");
        lock.lock();
        try {
            checkNotFrozen("disconnect from");
            receivers.remove(receiver);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Calls every receiver in connection order with {@code entrypoint} (may be null) and
     * {@code services}. Blocks while they run; an interrupt is the receivers' business. The call
     * iterates over the receivers connected when it begins: one connected during the call is not
     * called by it, one disconnected during it still is.
     *
     * @param entrypoint passed to every receiver; may be null
     * @param services   copied into an unmodifiable list passed to every receiver; null for none
     * @throws NullPointerException if {@code services} contains null
     * @throws Exception the first receiver exception, as is; later receivers are not called
     */
    public void call(Entrypoint entrypoint, List<Service> services) throws Exception {
        List<Service> view = services == null ? List.of() : List.copyOf(services);
        for (Receiver receiver : receivers) {
            receiver.receive(entrypoint, view);
        }
    }

    /**
     * A new, unfrozen signal with the same receivers; later changes to either do not affect the other.
     *
     * @return the copy
     */
    public Signal copy() {
        return new Signal(new CopyOnWriteArraySet<>(receivers));
    }

    /** Freezes the signal: from now on connecting or disconnecting throws. Idempotent. */
    public void freeze() {
        lock.lock();
        try {
            frozen = true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Whether {@link #freeze()} has been called.
     *
     * @return true if connecting and disconnecting throw
     */
    public boolean isFrozen() {
        return frozen;
    }

    /**
     * The connected receivers, in connection order.
     *
     * @return an unmodifiable snapshot of the receivers
     */
    public List<Receiver> receivers() {
        return List.copyOf(receivers);
    }

    private void checkNotFrozen(String action) {
        if (frozen) {
            throw new IllegalStateException(
                    "cannot " + action + " a frozen signal: an entrypoint freezes its signals when it starts");
        }
    }

    @Override
    public String toString() {
        return "Signal[" + receivers.size() + " receivers" + (frozen ? ", frozen" : "") + "]";
    }
}
