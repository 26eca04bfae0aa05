package io.aiomisc;

import io.aiomisc.dependency.DependencyScope;
import io.aiomisc.internal.Current;
import io.aiomisc.internal.Futures;
import io.aiomisc.internal.RunnableTask;
import io.aiomisc.internal.TaskScope;
import io.aiomisc.internal.Threads;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The services of one entrypoint: which runners it has, and how a group of them starts, rolls back
 * and stops. {@link Entrypoint} decides when; this class does it.
 *
 * <p>Group start: bind every service, fire PRE_START, inject their dependencies, start them concurrently, wait until each has
 * started or failed, fire POST_START. On any failure, on an interrupt of the starting thread, or
 * when the entrypoint is closed meanwhile: no POST_START; every service that started is stopped
 * (PRE_STOP/POST_STOP fire with those), the others are released, and {@link #start} throws — an
 * {@link InterruptedException} if the starting thread was interrupted, else a
 * {@link CancellationException} if the entrypoint was closed, else the first failure; the rest are
 * suppressed. The starting thread's interrupt status is left clear: the caller decides when to set
 * it again, after its own cleanup.
 *
 * <p>Thread-safe; the lock guards only the set of runners, and no service code (not even
 * {@code name()}) runs under it.
 */
final class ServiceGroup {
    private static final Logger log = LoggerFactory.getLogger(ServiceGroup.class);

    private final Entrypoint entrypoint;
    private final ReentrantLock lock = new ReentrantLock();
    private final Set<ServiceRunner> runners = new LinkedHashSet<>(); // guarded by lock

    ServiceGroup(Entrypoint entrypoint) {
        this.entrypoint = entrypoint;
    }

    /**
     * Starts {@code services} as one group, as the class description says.
     *
     * @param aborted  true once the entrypoint has been asked to close
     * @param deadline makes the deadline of a rollback's stops
     */
    void start(List<Service> services, BooleanSupplier aborted, Supplier<ShutdownDeadline> deadline) throws Exception {
        List<ServiceRunner> group = register(services);
        try {
            fire(entrypoint.preStart(), services);
            inject(services);
        } catch (Exception | Error failure) {
            for (ServiceRunner runner : group) {
                runner.service().unbind(runner);
                forget(runner);
            }
            throw failure;
        }
        for (ServiceRunner runner : group) {
            String name = runner.service().name();
            entrypoint.lifecycle("Starting service {}", name);
            runner.launch(name);
        }
        InterruptedException interrupted = awaitStarts(group);
        List<Throwable> failures = new ArrayList<>();
        for (ServiceRunner runner : group) {
            Throwable failure = runner.startFailure();
            if (failure != null) {
                failures.add(failure);
            }
        }
        boolean closed = aborted.getAsBoolean();
        if (interrupted == null && !closed && failures.isEmpty()) {
            try {
                fire(entrypoint.postStart(), services);
                return;
            } catch (Exception | Error failure) {
                failures.add(failure);
            }
        }
        Throwable first;
        if (interrupted != null) {
            first = interrupted;
        } else if (closed) {
            first = new CancellationException("the entrypoint was closed while starting services");
        } else {
            first = failures.remove(0);
        }
        List<ServiceRunner> started = new ArrayList<>();
        for (ServiceRunner runner : group) {
            if (runner.isStarted()) {
                started.add(runner);
            } else {
                runner.stop(first); // releases the failed runner: its start thread has exited
            }
        }
        log.error("Failed to start services; stopping the {} that started", started.size(), first);
        ShutdownDeadline rollbackDeadline = deadline.get();
        List<Throwable> stopFailures;
        try {
            stopFailures = stop(started, first, rollbackDeadline);
        } finally {
            rollbackDeadline.cancel();
        }
        for (Throwable failure : failures) {
            addSuppressed(first, failure);
        }
        for (Throwable failure : stopFailures) {
            addSuppressed(first, failure);
        }
        // the waits above do not end on an interrupt; one that came meanwhile is kept, except that
        // the caller of an interrupted start sets the flag itself once its own cleanup is done
        if (first instanceof InterruptedException) {
            Thread.interrupted();
        }
        throw RunnableTask.rethrowable(first);
    }

    /** Binds {@code services} to new runners of this group. */
    private List<ServiceRunner> register(List<Service> services) {
        Set<Service> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Service service : services) {
            if (!seen.add(service)) {
                throw new IllegalArgumentException("service " + service.name() + " was given twice");
            }
            ServiceRunner running = service.runner();
            if (running != null) {
                throw running.entrypoint() == entrypoint
                        ? new IllegalArgumentException("service " + service.name() + " already runs in this entrypoint")
                        : new IllegalStateException("service " + service.name() + " runs in another entrypoint");
            }
        }
        List<ServiceRunner> group = new ArrayList<>(services.size());
        for (Service service : services) {
            ServiceRunner runner = new ServiceRunner(entrypoint, this, service);
            if (!service.bind(runner)) {
                for (ServiceRunner bound : group) {
                    bound.service().unbind(bound);
                }
                throw new IllegalStateException("service " + service.name() + " was started elsewhere concurrently");
            }
            group.add(runner);
        }
        lock.lock();
        try {
            runners.addAll(group);
        } finally {
            lock.unlock();
        }
        return group;
    }

    /**
     * Waits until every runner of {@code group} has started or failed. An interrupt interrupts the
     * starts still running, waits for them without further interruption, and is returned with the
     * thread's interrupt status clear; null when not interrupted.
     */
    private static InterruptedException awaitStarts(List<ServiceRunner> group) {
        CompletableFuture<?>[] outcomes = new CompletableFuture<?>[group.size()];
        for (int i = 0; i < outcomes.length; i++) {
            outcomes[i] = group.get(i).startOutcome();
        }
        CompletableFuture<Void> all = CompletableFuture.allOf(outcomes);
        try {
            all.get();
            return null;
        } catch (InterruptedException e) {
            for (ServiceRunner runner : group) {
                runner.interruptStart();
            }
            awaitCleared(all);
            return e;
        } catch (ExecutionException e) {
            return null; // the individual failures are collected by the caller
        }
    }

    /** Waits for {@code future} whatever interrupts come, and leaves the interrupt status clear. */
    private static void awaitCleared(CompletableFuture<?> future) {
        Futures.awaitUninterruptibly(future);
        Thread.interrupted();
    }

    /**
     * Stops {@code group} concurrently between PRE_STOP and POST_STOP, waiting until
     * {@code deadline}. Returns the failures (stop() exceptions, receiver exceptions, a
     * TimeoutException naming the services that did not stop in time). Not interruptible.
     */
    List<Throwable> stop(List<ServiceRunner> group, Throwable reason, ShutdownDeadline deadline) {
        List<Throwable> failures = new ArrayList<>();
        List<Service> services = new ArrayList<>(group.size());
        List<String> names = new ArrayList<>(group.size());
        for (ServiceRunner runner : group) {
            services.add(runner.service());
            names.add(runner.service().name());
        }
        try {
            fire(entrypoint.preStop(), services);
        } catch (Exception e) {
            log.error("A PRE_STOP receiver failed", e);
            failures.add(e);
        }
        List<RunnableTask<Throwable>> stops = new ArrayList<>(group.size());
        for (int i = 0; i < group.size(); i++) {
            ServiceRunner runner = group.get(i);
            String name = names.get(i);
            entrypoint.lifecycle("Stopping service {}", name);
            RunnableTask<Throwable> stop = new RunnableTask<>("stop " + name, () -> runner.stop(reason), false);
            Threads.startVirtual("aiomisc-stop-" + name, stop);
            stops.add(stop);
        }
        List<String> stuck = new ArrayList<>();
        for (int i = 0; i < stops.size(); i++) {
            RunnableTask<Throwable> stop = stops.get(i);
            String name = names.get(i);
            if (!deadline.awaitFinished(stop)) {
                stuck.add(name);
                continue;
            }
            Throwable failure = stop.state() == Future.State.SUCCESS ? stop.resultNow() : stop.exceptionNow();
            if (failure != null) {
                log.error("Service {} failed to stop", name, failure);
                failures.add(failure);
            }
        }
        if (!stuck.isEmpty()) {
            TimeoutException timeout = new TimeoutException(
                    "services did not stop within " + deadline.timeout() + ": " + String.join(", ", stuck));
            log.error("Shutdown timed out: {}", timeout.getMessage());
            failures.add(timeout);
        }
        try {
            fire(entrypoint.postStop(), services);
        } catch (Exception e) {
            log.error("A POST_STOP receiver failed", e);
            failures.add(e);
        }
        return failures;
    }

    /**
     * Calls {@code signal}'s receivers on this thread with the entrypoint current, so that a
     * receiver is "inside" the entrypoint: {@code Entrypoint.current()} works there, and a
     * {@code close()} from it returns at once instead of waiting for the very thread that runs it.
     */
    private void fire(Signal signal, List<Service> services) throws Exception {
        TaskScope previous = Current.set(entrypoint.scope());
        try {
            signal.call(entrypoint, services);
        } finally {
            Current.set(previous);
        }
    }

    /** Sets the services' {@code @Inject} fields, with the entrypoint current for the providers. */
    private void inject(List<Service> services) {
        DependencyScope dependencies = entrypoint.openDependencies();
        TaskScope previous = Current.set(entrypoint.scope());
        try {
            for (Service service : services) {
                dependencies.inject(service);
            }
        } finally {
            Current.set(previous);
        }
    }

    /** Every runner, in the order the services were given. */
    List<ServiceRunner> all() {
        lock.lock();
        try {
            return new ArrayList<>(runners);
        } finally {
            lock.unlock();
        }
    }

    /** The services that have started and not stopped, in the order they were given. */
    List<Service> running() {
        List<Service> result = new ArrayList<>();
        for (ServiceRunner runner : all()) {
            if (runner.isStarted() && !runner.isStopped()) {
                result.add(runner.service());
            }
        }
        return Collections.unmodifiableList(result);
    }

    /** Interrupts the {@code start()} calls that are still deciding whether they started. */
    void interruptStarts() {
        for (ServiceRunner runner : all()) {
            if (!runner.startOutcome().isDone()) {
                runner.interruptStart();
            }
        }
    }

    int size() {
        lock.lock();
        try {
            return runners.size();
        } finally {
            lock.unlock();
        }
    }

    void forget(ServiceRunner runner) {
        lock.lock();
        try {
            runners.remove(runner);
        } finally {
            lock.unlock();
        }
    }

    private static void addSuppressed(Throwable target, Throwable suppressed) {
        if (target != suppressed) {
            target.addSuppressed(suppressed);
        }
    }
}
