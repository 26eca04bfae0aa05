package io.aiomisc;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Something an {@link Entrypoint} starts and stops: a server, a client, a periodic job. aiomisc's
 * {@code Service}.
 *
 * <p>Implement {@link #start()}; override {@link #stop(Throwable)} if there is something to undo.
 * Take configuration through the constructor (or a builder) and validate it there, so that a bad
 * value fails before anything starts.
 *
 * <pre>{@code
 * final class Ordinary extends Service {
 *     public void start() { server = openServer(); }            // returns once started
 *     public void stop(Throwable exception) { server.close(); }
 * }
 *
 * final class Infinite extends Service {
 *     public void start() throws InterruptedException {
 *         ready();                                               // started: the entrypoint goes on
 *         while (true) { doWork(); Thread.sleep(1000); }         // interrupted at stop
 *     }
 * }
 * }</pre>
 *
 * <p><b>Lifecycle.</b> The entrypoint calls {@code start()} on a virtual thread of its own,
 * concurrently with the other services' starts. The service counts as started when
 * {@code start()} returns, or as soon as it calls {@link #ready()}; a {@code start()} that called
 * {@code ready()} keeps running in the background until the entrypoint stops, when its thread is
 * interrupted (after {@code stop} returned). {@code stop(exception)} is called on another virtual
 * thread, concurrently with the other services' stops. Inside {@code start} and {@code stop},
 * {@link #entrypoint()}, {@link #context()} and {@link Entrypoint#current()} work.
 *
 * <p>A service instance runs in at most one entrypoint at a time; once stopped it may be started
 * again.
 */
public abstract class Service {
    private final AtomicReference<ServiceRunner> runner = new AtomicReference<>();

    /** For subclasses. */
    protected Service() {}

    /**
     * Starts the service: return when started, or call {@link #ready()} and keep running.
     * Runs on a virtual thread of its own and may block.
     *
     * <p><b>Interrupts.</b> The entrypoint interrupts this thread when it stops before the service
     * has started (a {@code close()}, another service's failed start, an interrupt of the thread
     * in {@code Entrypoint.start()}), and, for a start that called {@code ready()} and goes on
     * running, after {@link #stop} has returned. Let the {@link InterruptedException} propagate
     * (or return): the entrypoint waits for this method to exit.
     *
     * @throws Exception if the service cannot start; the entrypoint then stops the services that
     *                   did start and rethrows this exception from its own {@code start()}
     */
    public abstract void start() throws Exception;

    /**
     * Stops the service. The default does nothing. Called on a virtual thread of its own,
     * concurrently with the other services' stops, and may block.
     *
     * <p><b>Interrupts.</b> The entrypoint never interrupts this thread, not even when the
     * caller of {@code close()} is interrupted: a stop is allowed to finish. One that takes longer
     * than {@code shutdownTimeout} is reported as a {@link java.util.concurrent.TimeoutException}
     * naming the service and left running.
     *
     * @param exception what ended the run: the exception of the entrypoint's main callable, an
     *                  {@link InterruptSignalException} on SIGINT/SIGTERM, the failure that rolls
     *                  back a failed start; null on a normal close
     * @throws Exception logged by the entrypoint; it does not keep the other services from
     *                   stopping, and the first one is rethrown from {@code close()}
     */
    public void stop(Throwable exception) throws Exception {}

    /**
     * Tells the entrypoint that this service has started while {@code start()} goes on running
     * (aiomisc's {@code start_event.set()}). Idempotent; may be called from any thread the
     * service's {@code start} runs or starts.
     *
     * @throws IllegalStateException if the service is not being started or run by an entrypoint
     */
    protected final void ready() {
        ServiceRunner current = runner.get();
        if (current == null) {
            throw new IllegalStateException("ready() called on " + name() + ", which is not running in an entrypoint");
        }
        current.markReady();
    }

    /**
     * The entrypoint this service runs in.
     *
     * @return the entrypoint that is starting, running or stopping this service
     * @throws IllegalStateException if the service is not running in an entrypoint
     */
    public final Entrypoint entrypoint() {
        ServiceRunner current = runner.get();
        if (current == null) {
            throw new IllegalStateException(name() + " is not running in an entrypoint");
        }
        return current.entrypoint();
    }

    /**
     * The context of the entrypoint this service runs in.
     *
     * @return the entrypoint's context
     * @throws IllegalStateException if the service is not running in an entrypoint
     */
    public final Context context() {
        return entrypoint().context();
    }

    /**
     * The service's name in logs and thread names; by default the class's simple name, or for an
     * anonymous class the simple name of the class it extends. Called by the entrypoint and by
     * log messages, possibly many times: an override must be cheap, must not block and should
     * return the same name every time.
     *
     * @return the name; not null
     */
    public String name() {
        Class<?> type = getClass();
        while (type.isAnonymousClass()) {
            type = type.getSuperclass();
        }
        return type.getSimpleName();
    }

    @Override
    public String toString() {
        return name();
    }

    /** Binds this service to {@code owner}; false if it already runs somewhere. */
    final boolean bind(ServiceRunner owner) {
        return runner.compareAndSet(null, owner);
    }

    /** Releases the binding made by {@code owner}. */
    final void unbind(ServiceRunner owner) {
        runner.compareAndSet(owner, null);
    }

    final ServiceRunner runner() {
        return runner.get();
    }
}
