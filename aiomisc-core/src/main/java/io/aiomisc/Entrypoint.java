package io.aiomisc;

import io.aiomisc.internal.Current;
import io.aiomisc.internal.Durations;
import io.aiomisc.internal.EntrypointAccess;
import io.aiomisc.internal.ExecutionContext;
import io.aiomisc.internal.Futures;
import io.aiomisc.internal.RunnableTask;
import io.aiomisc.internal.TaskLauncher;
import io.aiomisc.internal.Threads;
import io.aiomisc.plugin.LogConfigurator;
import io.aiomisc.plugin.LogNames;
import io.aiomisc.plugin.LogSettings;
import io.aiomisc.plugin.Plugins;
import io.aiomisc.task.Task;
import io.aiomisc.thread.ThreadPool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The heart of a program: configures logging and a thread pool, starts a set of
 * {@link Service}s concurrently, and stops them gracefully on {@link #close()} or on
 * SIGINT/SIGTERM. aiomisc's {@code entrypoint}.
 *
 * <pre>{@code
 * // with entrypoint(svc1, svc2, log_level="info") as loop: loop.run_forever()
 * try (Entrypoint ep = Entrypoint.builder().services(svc1, svc2).logLevel("info").start()) {
 *     ep.runForever();   // until close() or SIGINT/SIGTERM
 * }
 *
 * // aiomisc.run(main(), svc1, svc2)
 * String result = Entrypoint.run(() -> main(), svc1, svc2);
 * }</pre>
 *
 * <h2>Lifecycle</h2>
 * States: {@code NEW → STARTING → RUNNING → STOPPING → CLOSED}; {@code NEW → CLOSED} when closed
 * before it starts; {@code STARTING → STOPPING} when a start fails or {@code close()} interrupts it.
 * <ol>
 * <li>{@link #start()}: configures logging (through the {@link LogConfigurator} of a logging
 * module, when {@code logConfig} is on), creates the thread pool, freezes the signals, fires
 * {@link #PRE_START}, then starts every service concurrently, each {@code start()} on a virtual
 * thread of its own. A service counts as started when {@code start()} returns or it calls
 * {@code ready()}. Then {@link #POST_START} fires and, when {@code catchSignals} is on,
 * SIGINT/SIGTERM handling is installed.</li>
 * <li>If a {@code start()} (or a {@code PRE_START}/{@code POST_START} receiver) throws, the other
 * services are allowed to finish starting, then every service that started is stopped
 * ({@link #PRE_STOP} and {@link #POST_STOP} fire, {@code POST_START} does not), the pool is
 * closed, and {@code start()} throws the first exception with the others suppressed. <i>(aiomisc
 * leaves the started services running in this case.)</i></li>
 * <li>{@link #close()}: completes {@link #closing()}, fires {@code PRE_STOP}, calls every service's
 * {@code stop(exception)} concurrently, interrupts {@code start()} methods still running and waits
 * for them, fires {@code POST_STOP} (tasks made with {@link #createTask} still run meanwhile),
 * cancels those tasks, closes the pool and lets the logging module flush. A failing {@code stop()}
 * is logged and does not keep the others from stopping; the first failure is rethrown after
 * everything has stopped. The whole shutdown is bounded by {@code shutdownTimeout}: what has not
 * stopped by then is logged and reported as a {@link TimeoutException}.</li>
 * <li>On SIGINT/SIGTERM: logs {@code Interrupt signal received, shutting down...} and closes with
 * an {@link InterruptSignalException}; {@link #runForever()} returns once it is done, so a
 * {@code main} that then returns exits with status 0. A second signal does not start a second
 * shutdown. If the shutdown takes longer than {@code shutdownTimeout}, the services that did not
 * stop are logged and the JVM halts with exit status 70. A programmatic {@code close()} never
 * halts the JVM.</li>
 * </ol>
 *
 * <h2>Configuration</h2>
 * Builder values win; otherwise environment variables ({@code AIOMISC_LOG_LEVEL},
 * {@code AIOMISC_LOG_FORMAT}, {@code AIOMISC_LOG_DATE_FORMAT}, {@code AIOMISC_LOG_CONFIG},
 * {@code AIOMISC_LOG_FLUSH}, {@code AIOMISC_LOG_BUFFERING}, {@code AIOMISC_LOG_BUFFER},
 * {@code AIOMISC_POOL_SIZE}, {@code AIOMISC_SHUTDOWN_TIMEOUT}, {@code AIOMISC_DEBUG}); otherwise
 * the defaults: pool size {@link ThreadPool#DEFAULT_SIZE} (CPUs clamped to 4..32), shutdown
 * timeout 60 s, log level {@code info}, the logging module's default format, buffering on,
 * buffer 1024 records, flush every 200 ms, {@code logConfig} on, {@code debug} off, and
 * {@code catchSignals} on when built on the JVM's main thread. Durations in variables are seconds
 * ({@code 0.2}) or ISO-8601 ({@code PT0.2S}); a bad value fails {@link Builder#build()} with an
 * {@link IllegalArgumentException} naming the variable.
 *
 * <h2>Threads</h2>
 * All methods are thread-safe. {@link #current()} is this entrypoint inside its services' start
 * and stop, its tasks, its pool's tasks, and threads those start.
 */
public final class Entrypoint implements AutoCloseable {
    /** Fired before services start; receives the services being started. */
    public static final Signal PRE_START = new Signal();
    /** Fired after every service started; not fired when a start fails. */
    public static final Signal POST_START = new Signal();
    /** Fired before services stop; receives the services being stopped. */
    public static final Signal PRE_STOP = new Signal();
    /** Fired after the services stopped, while tasks still run. */
    public static final Signal POST_STOP = new Signal();

    /** aiomisc's exit status when a signal-initiated shutdown times out (sysexits' EX_SOFTWARE). */
    public static final int SHUTDOWN_TIMEOUT_EXIT_STATUS = 70;

    private static final Logger log = LoggerFactory.getLogger(Entrypoint.class);

    static {
        EntrypointAccess.install(new EntrypointAccess() {
            @Override
            public <T> RunnableTask<T> startPlatformTask(Entrypoint entrypoint, String name, Callable<T> work) {
                return entrypoint.startTask(name, work, true);
            }
        });
    }

    private enum State { NEW, STARTING, RUNNING, STOPPING, CLOSED }

    private final EntrypointSettings settings;
    private final List<Service> initialServices;
    private final Signal preStart;
    private final Signal postStart;
    private final Signal preStop;
    private final Signal postStop;
    private final Context context = new Context();
    private final CompletableFuture<Void> closing = new CompletableFuture<>();
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private final AtomicBoolean signalled = new AtomicBoolean();

    private final ReentrantLock lock = new ReentrantLock();
    private State state = State.NEW; // guarded by lock
    private boolean closeRequested; // guarded by lock: close() called while STARTING
    private boolean tasksClosed; // guarded by lock
    private final Set<ServiceRunner> runners = new LinkedHashSet<>(); // guarded by lock
    private final Set<RunnableTask<?>> tasks = new LinkedHashSet<>(); // guarded by lock

    private volatile ThreadPool pool;
    private volatile Throwable endException;
    private final LogConfigurator configurator; // null when there is no logging module
    private volatile boolean logConfigured;

    private Entrypoint(EntrypointSettings settings, List<Service> services, LogConfigurator configurator) {
        this.settings = settings;
        this.configurator = configurator;
        this.initialServices = services;
        this.preStart = PRE_START.copy();
        this.postStart = POST_START.copy();
        this.preStop = PRE_STOP.copy();
        this.postStop = POST_STOP.copy();
    }

    /** A builder whose unset options come from {@code AIOMISC_*} environment variables. */
    public static Builder builder() {
        return new Builder(System.getenv());
    }

    /** A builder reading its defaults from {@code environment} instead of the process environment. */
    static Builder builder(Map<String, String> environment) {
        return new Builder(environment);
    }

    /**
     * Starts an entrypoint with {@code services}, runs {@code main} in it and closes it:
     * aiomisc's {@code aiomisc.run(main(), *services)}.
     *
     * @return main's result
     * @throws Exception main's exception instance, as is (every service's {@code stop} receives
     *                   it; a failure of close is attached to it as suppressed), or the failure
     *                   of a service's start
     */
    public static <T> T run(Callable<T> main, Service... services) throws Exception {
        Objects.requireNonNull(main, "main");
        try (Entrypoint entrypoint = builder().services(services).start()) {
            return entrypoint.runUntilComplete(main);
        }
    }

    /**
     * The entrypoint the calling code runs in: inside its services' {@code start}/{@code stop},
     * its tasks, its thread pool's tasks and the threads those start.
     *
     * @throws IllegalStateException outside an entrypoint
     */
    public static Entrypoint current() {
        Entrypoint entrypoint = Current.entrypoint();
        if (entrypoint == null) {
            throw new IllegalStateException("no current entrypoint: Entrypoint.current() works inside a service, "
                    + "a task or a pool thread of a running entrypoint");
        }
        return entrypoint;
    }

    /**
     * Starts the entrypoint as the class description says; returns when every service has
     * started.
     *
     * @return this entrypoint
     * @throws IllegalStateException if it was already started or closed
     * @throws CancellationException if {@link #close()} was called while it was starting
     * @throws Exception             the first exception of a failed start, the others
     *                               suppressed; the services that started are stopped again
     */
    public Entrypoint start() throws Exception {
        lock.lock();
        try {
            switch (state) {
                case NEW -> state = State.STARTING;
                case STARTING, RUNNING -> throw new IllegalStateException("the entrypoint is already started");
                case STOPPING, CLOSED -> throw new IllegalStateException("the entrypoint is closed; build a new one");
            }
        } finally {
            lock.unlock();
        }
        try {
            configureLogging();
            lifecycle("Starting entrypoint with {} services", initialServices.size());
            pool = new ThreadPool("default", settings.poolSize(), this);
            preStart.freeze();
            postStart.freeze();
            preStop.freeze();
            postStop.freeze();
            startGroup(initialServices);
        } catch (Exception | Error failure) {
            abortStart(failure);
            throw failure;
        }
        boolean abort;
        lock.lock();
        try {
            abort = closeRequested;
            if (!abort) {
                state = State.RUNNING;
            }
        } finally {
            lock.unlock();
        }
        if (abort) {
            CancellationException cancelled = new CancellationException("the entrypoint was closed while starting");
            try {
                shutdownNow(cancelled, false);
            } catch (Exception e) {
                cancelled.addSuppressed(e);
            }
            throw cancelled;
        }
        if (settings.catchSignals()) {
            OsSignals.register(this);
        }
        lifecycle("Entrypoint started");
        return this;
    }

    /**
     * Blocks until the entrypoint has closed: after {@link #close()} from another thread, or
     * after the graceful stop that SIGINT/SIGTERM begins.
     *
     * @throws IllegalStateException if the entrypoint has not been started
     * @throws CancellationException if the waiting thread is interrupted (its interrupt status is kept)
     */
    public void runForever() {
        requireStarted("runForever()");
        try {
            terminated.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while running forever");
        } catch (ExecutionException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Runs {@code main} as a task of this entrypoint and waits for it: aiomisc's
     * {@code loop.run_until_complete(main())}. {@link #current()} is this entrypoint inside it. If
     * {@code main} throws, that exception is what the services' {@code stop} receive when the
     * entrypoint closes.
     *
     * @return main's result
     * @throws IllegalStateException if the entrypoint has not been started
     * @throws CancellationException if the entrypoint closed before main finished
     * @throws InterruptedException  if the waiting thread is interrupted (main is cancelled)
     * @throws Exception             main's exception, as is
     */
    public <T> T runUntilComplete(Callable<T> main) throws Exception {
        Objects.requireNonNull(main, "main");
        requireStarted("runUntilComplete()");
        Task<T> task = createTask(main);
        try {
            return task.await();
        } catch (CancellationException | InterruptedException e) {
            throw e;
        } catch (Exception | Error failure) {
            if (endException == null) {
                endException = failure;
            }
            throw failure;
        }
    }

    /**
     * Starts {@code work} on a new virtual thread as a task of this entrypoint, with this
     * entrypoint current and the caller's MDC. Tasks still running when the entrypoint closes are
     * cancelled after {@link #POST_STOP}. Callable from any thread.
     *
     * @throws IllegalStateException      if the entrypoint has not been started
     * @throws RejectedExecutionException if it has closed (or is cancelling its tasks)
     */
    public <T> Task<T> createTask(Callable<T> work) {
        return startTask(TaskLauncher.nextName("aiomisc-task-"), work, false);
    }

    private <T> RunnableTask<T> startTask(String name, Callable<T> work, boolean platform) {
        Objects.requireNonNull(work, "work");
        RunnableTask<T> task = new RunnableTask<>(name, ExecutionContext.capture(this).wrap(work), true);
        lock.lock();
        try {
            if (state == State.NEW) {
                throw new IllegalStateException("createTask() called before start()");
            }
            if (tasksClosed) {
                throw new RejectedExecutionException("the entrypoint is closed: no new tasks");
            }
            tasks.add(task);
        } finally {
            lock.unlock();
        }
        task.whenFinished(() -> forget(task));
        if (platform) {
            Threads.startPlatform(name, true, task);
        } else {
            Threads.startVirtual(name, task);
        }
        return task;
    }

    /**
     * Runs {@code action} after {@code delay} as a task of this entrypoint. Cancelling the task
     * before the delay has passed means the action never runs.
     *
     * @throws IllegalArgumentException if {@code delay} is negative
     */
    public Task<Void> callLater(Duration delay, Runnable action) {
        Durations.requireNonNegative("delay", delay);
        Objects.requireNonNull(action, "action");
        return createTask(() -> {
            Thread.sleep(delay);
            action.run();
            return null;
        });
    }

    /**
     * Starts more services while the entrypoint runs (aiomisc's {@code start_services}):
     * {@link #PRE_START} and {@link #POST_START} fire with just these services. A failure rolls
     * back these services only, as a failed {@link #start()} does.
     *
     * @throws IllegalArgumentException if a service is given twice or already runs here
     * @throws IllegalStateException    if a service runs in another entrypoint, or this one is not running
     * @throws Exception                the first failure of a start, the others suppressed
     */
    public void startServices(Service... services) throws Exception {
        List<Service> list = requireServices(services);
        lock.lock();
        try {
            if (state != State.RUNNING && state != State.STARTING) {
                throw new IllegalStateException("startServices() needs a running entrypoint; it is " + state.name().toLowerCase());
            }
        } finally {
            lock.unlock();
        }
        startGroup(list);
    }

    /**
     * Stops some of the running services (aiomisc's {@code stop_services}): {@link #PRE_STOP} and
     * {@link #POST_STOP} fire with just these services; they are stopped concurrently, within
     * {@code shutdownTimeout}.
     *
     * @throws IllegalArgumentException if a service does not run in this entrypoint
     * @throws Exception                the first failure of a {@code stop()}, the others suppressed
     */
    public void stopServices(Service... services) throws Exception {
        List<Service> list = requireServices(services);
        List<ServiceRunner> group = new ArrayList<>(list.size());
        for (Service service : list) {
            ServiceRunner runner = service.runner();
            if (runner == null || runner.entrypoint() != this) {
                throw new IllegalArgumentException(service.name() + " does not run in this entrypoint");
            }
            group.add(runner);
        }
        throwFirst(stopGroup(group, null, Durations.deadline(settings.shutdownTimeout())));
    }

    /** The services that have started and not stopped, in the order they were given. */
    public List<Service> services() {
        lock.lock();
        try {
            List<Service> result = new ArrayList<>(runners.size());
            for (ServiceRunner runner : runners) {
                if (runner.isStarted() && !runner.isStopped()) {
                    result.add(runner.service());
                }
            }
            return Collections.unmodifiableList(result);
        } finally {
            lock.unlock();
        }
    }

    /** The context services of this entrypoint share. */
    public Context context() {
        return context;
    }

    /**
     * The entrypoint's thread pool, named {@code default}, of {@code poolSize} platform threads.
     * After close, submitting to it throws {@link RejectedExecutionException}.
     *
     * @throws IllegalStateException if the entrypoint has not been started
     */
    public ExecutorService threadPool() {
        ThreadPool current = pool;
        if (current == null) {
            throw new IllegalStateException("threadPool() is created by start()");
        }
        return current;
    }

    /**
     * A future completed when the shutdown begins (aiomisc's {@code await ep.closing()}). Each
     * call returns a new future; completing it does not affect the entrypoint.
     */
    public CompletableFuture<Void> closing() {
        return closing.copy();
    }

    /** This entrypoint's copy of {@link #PRE_START}; frozen once started. */
    public Signal preStart() {
        return preStart;
    }

    /** This entrypoint's copy of {@link #POST_START}; frozen once started. */
    public Signal postStart() {
        return postStart;
    }

    /** This entrypoint's copy of {@link #PRE_STOP}; frozen once started. */
    public Signal preStop() {
        return preStop;
    }

    /** This entrypoint's copy of {@link #POST_STOP}; frozen once started. */
    public Signal postStop() {
        return postStop;
    }

    /** The shutdown timeout in effect. */
    public Duration shutdownTimeout() {
        return settings.shutdownTimeout();
    }

    /** The logging settings this entrypoint asks for (applied only when {@code logConfig} is on). */
    public LogSettings logSettings() {
        return settings.log();
    }

    /** True once the entrypoint has fully closed. */
    public boolean isClosed() {
        return terminated.isDone();
    }

    /**
     * Stops the entrypoint as the class description says and returns when everything has stopped.
     * Idempotent and thread-safe: a second caller waits for the first shutdown to finish and
     * returns normally. Before {@link #start()}, it just marks the entrypoint closed; during
     * {@code start()}, it interrupts the starts and makes {@code start()} roll back. Called from a
     * thread of this entrypoint (a service, a task, a pool thread), it begins the shutdown on
     * another thread and returns at once, since waiting would mean waiting for itself.
     *
     * @throws TimeoutException if services or tasks did not stop within {@code shutdownTimeout}
     * @throws Exception        the first exception of a {@code stop()} or a stop receiver, the
     *                          others suppressed
     */
    @Override
    public void close() throws Exception {
        shutdown(endException, false);
    }

    /** Called by {@link OsSignals} on SIGINT/SIGTERM. */
    void onSignal(String signal) {
        if (!signalled.compareAndSet(false, true)) {
            log.warn("Interrupt signal SIG{} received again; the shutdown is already in progress", signal);
            return;
        }
        log.warn("Interrupt signal received, shutting down...");
        Duration timeout = settings.shutdownTimeout();
        Threads.startPlatform("aiomisc-shutdown-watchdog", true, () -> haltUnlessStopped(timeout));
        Threads.startPlatform("aiomisc-shutdown", false, () -> {
            try {
                shutdown(new InterruptSignalException(signal), true);
            } catch (Exception e) {
                log.error("Errors while shutting down after SIG{}", signal, e);
            }
        });
    }

    private void haltUnlessStopped(Duration timeout) {
        try {
            terminated.get(Durations.toNanos(timeout), TimeUnit.NANOSECONDS);
            return;
        } catch (TimeoutException e) {
            log.error("Shutdown did not happen in {}, aborting. Not stopped: {}", timeout, describeUnstopped());
        } catch (InterruptedException | ExecutionException e) {
            return;
        }
        releaseLogging();
        Runtime.getRuntime().halt(SHUTDOWN_TIMEOUT_EXIT_STATUS);
    }

    private String describeUnstopped() {
        List<String> parts = new ArrayList<>();
        lock.lock();
        try {
            for (ServiceRunner runner : runners) {
                parts.add("service " + runner.service().name());
            }
            for (RunnableTask<?> task : tasks) {
                parts.add("task " + task.name());
            }
        } finally {
            lock.unlock();
        }
        return parts.isEmpty() ? "(the shutdown itself is blocked)" : String.join(", ", parts);
    }

    private void shutdown(Throwable reason, boolean fromSignal) throws Exception {
        boolean initiator = false;
        lock.lock();
        try {
            switch (state) {
                case NEW -> {
                    state = State.CLOSED;
                    closing.complete(null);
                    context.close();
                    terminated.complete(null);
                    return;
                }
                case STARTING -> {
                    closeRequested = true;
                    for (ServiceRunner runner : runners) {
                        if (!runner.startOutcome().isDone()) {
                            runner.interruptStart();
                        }
                    }
                }
                case RUNNING -> {
                    state = State.STOPPING;
                    initiator = true;
                }
                case STOPPING, CLOSED -> {
                    // a shutdown is under way or done; wait for it below
                }
            }
        } finally {
            lock.unlock();
        }
        boolean ownThread = Current.entrypoint() == this;
        if (initiator) {
            if (ownThread) {
                Threads.startPlatform("aiomisc-shutdown", false, () -> {
                    try {
                        shutdownNow(reason, false);
                    } catch (Exception e) {
                        log.error("Errors while shutting down", e);
                    }
                });
                return;
            }
            shutdownNow(reason, fromSignal);
            return;
        }
        if (!ownThread) {
            Futures.awaitUninterruptibly(terminated);
        }
    }

    /** The shutdown proper; the caller has moved the state to STOPPING (or is aborting a start). */
    private void shutdownNow(Throwable reason, boolean fromSignal) throws Exception {
        lock.lock();
        try {
            state = State.STOPPING;
        } finally {
            lock.unlock();
        }
        lifecycle("Stopping entrypoint");
        // A signal-initiated shutdown is bounded by the watchdog, which halts the JVM.
        long deadline = fromSignal ? Long.MAX_VALUE : Durations.deadline(settings.shutdownTimeout());
        closing.complete(null);
        List<Throwable> failures = new ArrayList<>();
        List<ServiceRunner> all;
        lock.lock();
        try {
            all = new ArrayList<>(runners);
        } finally {
            lock.unlock();
        }
        failures.addAll(stopGroup(all, reason, deadline));
        failures.addAll(cancelTasks(deadline));
        teardown(deadline);
        lifecycle("Entrypoint stopped");
        throwFirst(failures);
    }

    /** After a failed start: the started services were stopped by the rollback; release the rest. */
    private void abortStart(Throwable failure) {
        lock.lock();
        try {
            state = State.STOPPING;
        } finally {
            lock.unlock();
        }
        closing.complete(null);
        long deadline = Durations.deadline(settings.shutdownTimeout());
        for (Throwable problem : cancelTasks(deadline)) {
            failure.addSuppressed(problem);
        }
        teardown(deadline);
    }

    private void teardown(long deadline) {
        ThreadPool current = pool;
        if (current != null) {
            long wait = Math.min(Durations.remaining(deadline), ThreadPool.DEFAULT_CLOSE_TIMEOUT.toNanos());
            current.close(Duration.ofNanos(wait));
        }
        context.close();
        if (settings.catchSignals()) {
            OsSignals.unregister(this);
        }
        releaseLogging();
        lock.lock();
        try {
            state = State.CLOSED;
        } finally {
            lock.unlock();
        }
        terminated.complete(null);
    }

    /**
     * Starts {@code services} as one group: bind, PRE_START, start concurrently, wait for all, then
     * POST_START; on any failure stop the ones that started and throw.
     */
    private void startGroup(List<Service> services) throws Exception {
        List<ServiceRunner> group = register(services);
        try {
            preStart.call(this, services);
        } catch (Exception | Error failure) {
            for (ServiceRunner runner : group) {
                runner.service().unbind(runner);
                forget(runner);
            }
            throw failure;
        }
        for (ServiceRunner runner : group) {
            lifecycle("Starting service {}", runner.service().name());
            runner.launch();
        }
        List<Throwable> failures = new ArrayList<>();
        awaitStarts(group, failures);
        for (ServiceRunner runner : group) {
            Throwable failure = runner.startFailure();
            if (failure != null) {
                failures.add(failure);
            }
        }
        boolean abort;
        lock.lock();
        try {
            abort = closeRequested || (state != State.STARTING && state != State.RUNNING);
        } finally {
            lock.unlock();
        }
        if (failures.isEmpty() && !abort) {
            try {
                postStart.call(this, services);
                return;
            } catch (Exception | Error failure) {
                failures.add(failure);
            }
        }
        Throwable first = failures.isEmpty()
                ? new CancellationException("the entrypoint was closed while starting services")
                : failures.get(0);
        List<ServiceRunner> started = new ArrayList<>();
        for (ServiceRunner runner : group) {
            if (runner.isStarted()) {
                started.add(runner);
            } else {
                runner.stop(first); // releases the failed runner: its start thread has exited
            }
        }
        log.error("Failed to start services; stopping the {} that started", started.size(), first);
        List<Throwable> stopFailures = stopGroup(started, first, Durations.deadline(settings.shutdownTimeout()));
        for (int i = 1; i < failures.size(); i++) {
            addSuppressed(first, failures.get(i));
        }
        for (Throwable stopFailure : stopFailures) {
            addSuppressed(first, stopFailure);
        }
        throw asThrowable(first);
    }

    private List<ServiceRunner> register(List<Service> services) {
        Set<Service> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Service service : services) {
            if (!seen.add(service)) {
                throw new IllegalArgumentException("service " + service.name() + " was given twice");
            }
            ServiceRunner running = service.runner();
            if (running != null) {
                throw running.entrypoint() == this
                        ? new IllegalArgumentException("service " + service.name() + " already runs in this entrypoint")
                        : new IllegalStateException("service " + service.name() + " runs in another entrypoint");
            }
        }
        List<ServiceRunner> group = new ArrayList<>(services.size());
        for (Service service : services) {
            ServiceRunner runner = new ServiceRunner(this, service);
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

    /** Waits until every runner of {@code group} has started or failed; an interrupt aborts the starts. */
    private void awaitStarts(List<ServiceRunner> group, List<Throwable> failures) {
        CompletableFuture<?>[] outcomes = new CompletableFuture<?>[group.size()];
        for (int i = 0; i < outcomes.length; i++) {
            outcomes[i] = group.get(i).startOutcome();
        }
        CompletableFuture<Void> all = CompletableFuture.allOf(outcomes);
        try {
            all.get();
        } catch (InterruptedException e) {
            failures.add(e);
            for (ServiceRunner runner : group) {
                runner.interruptStart();
            }
            Futures.awaitUninterruptibly(all);
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            // the individual failures are collected by the caller
        }
    }

    /**
     * Stops {@code group} concurrently between PRE_STOP and POST_STOP, waiting until
     * {@code deadline}. Returns the failures (stop() exceptions, receiver exceptions, a
     * TimeoutException naming the services that did not stop in time).
     */
    private List<Throwable> stopGroup(List<ServiceRunner> group, Throwable reason, long deadline) {
        List<Throwable> failures = new ArrayList<>();
        List<Service> services = new ArrayList<>(group.size());
        for (ServiceRunner runner : group) {
            services.add(runner.service());
        }
        try {
            preStop.call(this, services);
        } catch (Exception e) {
            log.error("A PRE_STOP receiver failed", e);
            failures.add(e);
        }
        List<RunnableTask<Throwable>> stops = new ArrayList<>(group.size());
        for (ServiceRunner runner : group) {
            lifecycle("Stopping service {}", runner.service().name());
            RunnableTask<Throwable> stop = new RunnableTask<>("stop " + runner.service().name(), () -> runner.stop(reason), false);
            Threads.startVirtual("aiomisc-stop-" + runner.service().name(), stop);
            stops.add(stop);
        }
        List<String> stuck = new ArrayList<>();
        for (int i = 0; i < stops.size(); i++) {
            RunnableTask<Throwable> stop = stops.get(i);
            String name = group.get(i).service().name();
            if (!Futures.awaitUninterruptibly(deadline, nanos -> stop.awaitFinished(nanos, TimeUnit.NANOSECONDS))) {
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
            TimeoutException timeout = new TimeoutException("services did not stop within "
                    + settings.shutdownTimeout() + ": " + String.join(", ", stuck));
            log.error("Shutdown timed out: {}", timeout.getMessage());
            failures.add(timeout);
        }
        try {
            postStop.call(this, services);
        } catch (Exception e) {
            log.error("A POST_STOP receiver failed", e);
            failures.add(e);
        }
        return failures;
    }

    private List<Throwable> cancelTasks(long deadline) {
        List<RunnableTask<?>> remaining;
        lock.lock();
        try {
            tasksClosed = true;
            remaining = new ArrayList<>(tasks);
        } finally {
            lock.unlock();
        }
        for (RunnableTask<?> task : remaining) {
            task.cancel(true);
        }
        List<String> stuck = new ArrayList<>();
        for (RunnableTask<?> task : remaining) {
            if (!Futures.awaitUninterruptibly(deadline, nanos -> task.awaitFinished(nanos, TimeUnit.NANOSECONDS))) {
                stuck.add(task.name());
            }
        }
        if (stuck.isEmpty()) {
            return List.of();
        }
        TimeoutException timeout = new TimeoutException("tasks did not finish within "
                + settings.shutdownTimeout() + " of being cancelled: " + String.join(", ", stuck));
        log.error("Shutdown timed out: {}", timeout.getMessage());
        return List.of(timeout);
    }

    void forget(ServiceRunner runner) {
        lock.lock();
        try {
            runners.remove(runner);
        } finally {
            lock.unlock();
        }
    }

    private void forget(RunnableTask<?> task) {
        lock.lock();
        try {
            tasks.remove(task);
        } finally {
            lock.unlock();
        }
    }

    private void configureLogging() {
        if (settings.logConfig() && configurator != null) {
            configurator.configure(settings.log());
            logConfigured = true;
        }
    }

    private void releaseLogging() {
        if (logConfigured) {
            try {
                configurator.release(settings.log());
            } catch (RuntimeException e) {
                System.err.println("aiomisc: failed to flush logging at shutdown: " + e);
            }
        }
    }

    private void requireStarted(String method) {
        lock.lock();
        try {
            if (state == State.NEW) {
                throw new IllegalStateException(method + " called before start()");
            }
        } finally {
            lock.unlock();
        }
    }

    private void lifecycle(String format, Object... arguments) {
        if (settings.debug()) {
            log.info(format, arguments);
        } else {
            log.debug(format, arguments);
        }
    }

    private static List<Service> requireServices(Service[] services) {
        Objects.requireNonNull(services, "services");
        for (int i = 0; i < services.length; i++) {
            Objects.requireNonNull(services[i], "services[" + i + "]");
        }
        return List.of(services);
    }

    private static void throwFirst(List<Throwable> failures) throws Exception {
        if (failures.isEmpty()) {
            return;
        }
        Throwable first = failures.get(0);
        for (int i = 1; i < failures.size(); i++) {
            addSuppressed(first, failures.get(i));
        }
        throw asThrowable(first);
    }

    private static void addSuppressed(Throwable target, Throwable suppressed) {
        if (target != suppressed) {
            target.addSuppressed(suppressed);
        }
    }

    private static Exception asThrowable(Throwable failure) {
        return RunnableTask.rethrowable(failure);
    }

    @Override
    public String toString() {
        lock.lock();
        try {
            return "Entrypoint[" + state.name().toLowerCase() + ", " + runners.size() + " services]";
        } finally {
            lock.unlock();
        }
    }

    /**
     * Configuration of an {@link Entrypoint}. Each setter validates its argument at once; options
     * left unset take their value from the environment, else the default (see {@link Entrypoint}).
     * Not thread-safe; {@link #build()} does not change the builder.
     */
    public static final class Builder {
        private final Map<String, String> environment;
        private final List<Service> services = new ArrayList<>();
        private final Set<Service> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        private Integer poolSize;
        private String logLevel;
        private String logFormat;
        private String logDateFormat;
        private Boolean logBuffering;
        private Integer logBufferSize;
        private Duration logFlushInterval;
        private Boolean logConfig;
        private Boolean debug;
        private Boolean catchSignals;
        private Duration shutdownTimeout;
        private LogConfigurator logConfigurator;

        private Builder(Map<String, String> environment) {
            this.environment = Objects.requireNonNull(environment, "environment");
        }

        /**
         * Adds services to start.
         *
         * @throws NullPointerException     if a service is null (the message gives its index)
         * @throws IllegalArgumentException if the same instance is added twice
         */
        public Builder services(Service... services) {
            Objects.requireNonNull(services, "services");
            for (int i = 0; i < services.length; i++) {
                add(services[i], i);
            }
            return this;
        }

        /** As {@link #services(Service...)}. */
        public Builder services(Collection<? extends Service> services) {
            Objects.requireNonNull(services, "services");
            int i = 0;
            for (Service service : services) {
                add(service, i++);
            }
            return this;
        }

        private void add(Service service, int index) {
            Objects.requireNonNull(service, "services[" + index + "] is null");
            if (!seen.add(service)) {
                throw new IllegalArgumentException("service " + service.name() + " was given twice (the same instance)");
            }
            this.services.add(service);
        }

        /** Threads of the default pool; at least 1. Default: CPUs clamped to 4..32. */
        public Builder poolSize(int poolSize) {
            if (poolSize < 1) {
                throw new IllegalArgumentException("poolSize must be positive: " + poolSize);
            }
            this.poolSize = poolSize;
            return this;
        }

        /** {@code critical}, {@code error}, {@code warning}, {@code info} (default), {@code debug} or {@code notset}. */
        public Builder logLevel(String logLevel) {
            this.logLevel = LogNames.level("logLevel", logLevel);
            return this;
        }

        /** One of {@link LogNames#FORMATS}; default: the logging module's default format. */
        public Builder logFormat(String logFormat) {
            this.logFormat = LogNames.format("logFormat", logFormat);
            return this;
        }

        /** A date pattern for log lines; default: the format's own. */
        public Builder logDateFormat(String logDateFormat) {
            this.logDateFormat = Objects.requireNonNull(logDateFormat, "logDateFormat");
            return this;
        }

        /** Whether log records are buffered and written by a background thread; default true. */
        public Builder logBuffering(boolean logBuffering) {
            this.logBuffering = logBuffering;
            return this;
        }

        /** Records buffered before a flush is forced; positive; default 1024. */
        public Builder logBufferSize(int logBufferSize) {
            if (logBufferSize < 1) {
                throw new IllegalArgumentException("logBufferSize must be positive: " + logBufferSize);
            }
            this.logBufferSize = logBufferSize;
            return this;
        }

        /** The longest a buffered record waits; positive; default 200 ms. */
        public Builder logFlushInterval(Duration logFlushInterval) {
            this.logFlushInterval = Durations.requirePositive("logFlushInterval", logFlushInterval);
            return this;
        }

        /** Whether the entrypoint configures logging at all; default true. False leaves yours alone. */
        public Builder logConfig(boolean logConfig) {
            this.logConfig = logConfig;
            return this;
        }

        /** Logs the lifecycle (each service's start and stop) at INFO instead of DEBUG; default false. */
        public Builder debug(boolean debug) {
            this.debug = debug;
            return this;
        }

        /** Whether SIGINT/SIGTERM stop the entrypoint gracefully; default true when built on the main thread. */
        public Builder catchSignals(boolean catchSignals) {
            this.catchSignals = catchSignals;
            return this;
        }

        /**
         * How long a shutdown may take; not negative; default 60 s. After a signal, exceeding it
         * halts the JVM with status 70; a programmatic close reports a {@link TimeoutException}.
         */
        public Builder shutdownTimeout(Duration shutdownTimeout) {
            this.shutdownTimeout = Durations.requireNonNegative("shutdownTimeout", shutdownTimeout);
            return this;
        }

        /**
         * Configures logging through {@code configurator} instead of the {@link LogConfigurator}
         * found on the class path (the aiomisc-log module's); useful to plug in a logging setup of
         * your own. Used only when {@code logConfig} is on.
         */
        public Builder logConfigurator(LogConfigurator configurator) {
            this.logConfigurator = Objects.requireNonNull(configurator, "configurator");
            return this;
        }

        /**
         * Resolves the configuration and builds an entrypoint (not started). Loads the plugins
         * once per JVM, first, so that they connect to the class signals before this entrypoint
         * copies them.
         *
         * @throws IllegalArgumentException if an {@code AIOMISC_*} variable needed has a bad value
         */
        public Entrypoint build() {
            EnvironmentDefaults env = new EnvironmentDefaults(environment);
            Duration flush = logFlushInterval != null ? logFlushInterval
                    : env.duration(EnvironmentDefaults.LOG_FLUSH, false).orElse(Duration.ofMillis(200));
            String level = logLevel != null ? logLevel : env.logLevel().orElse("info");
            Optional<LogConfigurator> configurator = logConfigurator != null
                    ? Optional.of(logConfigurator) : Plugins.logConfigurator();
            String format = logFormat != null ? logFormat
                    : env.logFormat().orElseGet(() -> configurator.map(LogConfigurator::defaultFormat).orElse("plain"));
            String dateFormat = logDateFormat != null ? logDateFormat
                    : env.string(EnvironmentDefaults.LOG_DATE_FORMAT).orElse(null);
            boolean buffering = logBuffering != null ? logBuffering
                    : env.bool(EnvironmentDefaults.LOG_BUFFERING).orElse(true);
            int bufferSize = logBufferSize != null ? logBufferSize : env.logBufferSize().orElse(1024);
            EntrypointSettings settings = new EntrypointSettings(
                    poolSize != null ? poolSize : env.positiveInt(EnvironmentDefaults.POOL_SIZE).orElse(ThreadPool.DEFAULT_SIZE),
                    new LogSettings(level, format, dateFormat, buffering, bufferSize, flush),
                    logConfig != null ? logConfig : env.bool(EnvironmentDefaults.LOG_CONFIG).orElse(true),
                    debug != null ? debug : env.bool(EnvironmentDefaults.DEBUG).orElse(false),
                    catchSignals != null ? catchSignals : isMainThread(),
                    shutdownTimeout != null ? shutdownTimeout
                            : env.duration(EnvironmentDefaults.SHUTDOWN_TIMEOUT, true).orElse(Duration.ofSeconds(60)));
            Plugins.loaded();
            return new Entrypoint(settings, List.copyOf(services), configurator.orElse(null));
        }

        /** {@code build().start()}. */
        public Entrypoint start() throws Exception {
            return build().start();
        }

        private static boolean isMainThread() {
            Thread thread = Thread.currentThread();
            return !thread.isVirtual() && "main".equals(thread.getName())
                    && thread.getThreadGroup() != null && "main".equals(thread.getThreadGroup().getName());
        }
    }
}
