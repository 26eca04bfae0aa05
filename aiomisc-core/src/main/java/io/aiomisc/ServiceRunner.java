package io.aiomisc;

import io.aiomisc.internal.Current;
import io.aiomisc.internal.Futures;
import io.aiomisc.internal.Interruptions;
import io.aiomisc.internal.TaskScope;
import io.aiomisc.internal.Threads;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One service's run inside one entrypoint: its start thread, whether it has started, and its stop.
 *
 * <p>{@code started} completes when {@code start()} returns or the service calls {@code ready()},
 * and completes exceptionally if {@code start()} throws before that. {@link #stop} happens at most
 * once; a second caller waits for the first.
 */
final class ServiceRunner {
    private static final Logger log = LoggerFactory.getLogger(ServiceRunner.class);

    private final Entrypoint entrypoint;
    private final ServiceGroup group;
    private final Service service;
    private final CompletableFuture<Void> started = new CompletableFuture<>();
    private final CompletableFuture<Void> startExited = new CompletableFuture<>();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private final AtomicBoolean stopClaimed = new AtomicBoolean();
    private volatile Thread startThread;
    private volatile boolean stopping;

    ServiceRunner(Entrypoint entrypoint, ServiceGroup group, Service service) {
        this.entrypoint = entrypoint;
        this.group = group;
        this.service = service;
    }

    Entrypoint entrypoint() {
        return entrypoint;
    }

    Service service() {
        return service;
    }

    /** Starts {@code service.start()} on a virtual thread of its own. */
    void launch(String name) {
        Thread thread = Threads.virtual("aiomisc-start-" + name, this::runStart);
        startThread = thread;
        thread.start();
    }

    private void runStart() {
        Current.set(entrypoint.scope());
        try {
            service.start();
            started.complete(null);
        } catch (Throwable failure) {
            if (!started.completeExceptionally(failure) && !(stopping && Interruptions.isCancellation(failure))) {
                log.error("Service {} failed after it reported ready()", service.name(), failure);
            }
        } finally {
            startExited.complete(null);
        }
    }

    void markReady() {
        started.complete(null);
    }

    /** Completes when the service has started or failed to start. */
    CompletableFuture<Void> startOutcome() {
        return started;
    }

    boolean isStarted() {
        return started.isDone() && !started.isCompletedExceptionally();
    }

    boolean isStopped() {
        return stopped.isDone();
    }

    /** The exception {@code start()} threw before the service started, or null. */
    Throwable startFailure() {
        if (!started.isCompletedExceptionally()) {
            return null;
        }
        return started.exceptionNow();
    }

    /** Interrupts {@code start()} if it is still running. */
    void interruptStart() {
        Thread thread = startThread;
        if (thread != null && !startExited.isDone()) {
            thread.interrupt();
        }
    }

    /**
     * Stops the service once: if it has not started yet, interrupts its start and waits for the
     * outcome; if it has started, calls {@code stop(reason)}; then interrupts a {@code start()}
     * still running in the background and waits for it to exit. A second caller waits for the
     * first to finish. Not interruptible: an interrupt of the calling thread does not end the
     * waits (a rollback must not give up half-way); the interrupt status is set again on return.
     *
     * @return what {@code stop()} threw, or null
     */
    Throwable stop(Throwable reason) {
        if (!stopClaimed.compareAndSet(false, true)) {
            Futures.awaitUninterruptibly(stopped);
            return null;
        }
        stopping = true;
        TaskScope previous = Current.set(entrypoint.scope());
        try {
            if (!started.isDone()) {
                interruptStart();
                Futures.awaitUninterruptibly(started);
            }
            Throwable failure = null;
            if (isStarted()) {
                try {
                    service.stop(reason);
                } catch (Throwable t) {
                    failure = t;
                }
            }
            interruptStart();
            Futures.awaitUninterruptibly(startExited);
            return failure;
        } finally {
            Current.set(previous);
            service.unbind(this);
            group.forget(this);
            stopped.complete(null);
        }
    }

    @Override
    public String toString() {
        return service.name();
    }
}
