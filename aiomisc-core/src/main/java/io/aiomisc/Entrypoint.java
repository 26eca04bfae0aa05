package io.aiomisc;

import io.aiomisc.dependency.Dependencies;
import io.aiomisc.dependency.DependencyScope;
import io.aiomisc.internal.Current;
import io.aiomisc.internal.Durations;
import io.aiomisc.internal.Futures;
import io.aiomisc.internal.RunnableTask;
import io.aiomisc.internal.TaskLauncher;
import io.aiomisc.internal.TaskScope;
import io.aiomisc.internal.Threads;
import io.aiomisc.plugin.LogConfigurator;
import io.aiomisc.plugin.LogNames;
import io.aiomisc.plugin.LogSettings;
import io.aiomisc.plugin.Plugins;
import io.aiomisc.task.Task;
import io.aiomisc.thread.ThreadPool;
import io.aiomisc.time.TimeSource;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
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
 * everything has stopped (a checked one wrapped in a {@link ShutdownException}). The whole
 * shutdown is bounded by {@code shutdownTimeout} on the {@code timeSource}: what has not stopped
 * by then is logged and reported as a {@link TimeoutException} (inside a
 * {@code ShutdownException}).</li>
 * <li>On SIGINT/SIGTERM: logs {@code Interrupt signal received, shutting down...} and closes with
 * an {@link InterruptSignalException}; {@link #runForever()} returns once it is done, so a
 * {@code main} that then returns exits with status 0. A second signal does not start a second
 * shutdown. If the shutdown takes longer than {@code shutdownTimeout}, the services that did not
 * stop are logged and the JVM halts with exit status 70, at most 1 s after {@code shutdownTimeout}
 * whatever the log output does (a record that cannot be written in that second, e.g. to a stderr
 * pipe nobody reads, is given up). A programmatic {@code close()} never halts the JVM; the flush of
 * buffered logging it ends with waits at most 10 s for a stuck output (see
 * {@link LogConfigurator#release}).</li>
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
 * {@code catchSignals} on (SIGINT and SIGTERM; {@link Builder#catchSignals(String...)} chooses
 * others) when built on the JVM's main thread, the system {@link TimeSource}, and a pool of the
 * entrypoint's own ({@link Builder#threadPool(ExecutorService)} lends it yours). Durations in variables are seconds
 * ({@code 0.2}) or ISO-8601 ({@code PT0.2S}); a bad value fails {@link Builder#build()} with an
 * {@link IllegalArgumentException} naming the variable.
 *
 * <h2>Threads and interrupts</h2>
 * All methods are thread-safe. Each blocking method says what an interrupt does; in short:
 * {@code start()} rolls back completely and then throws {@link InterruptedException} with the
 * interrupt status set again; {@code close()} and {@code stopServices()} are uninterruptible to
 * the end and set the status again; {@code runUntilComplete()} cancels main;
 * {@code runForever()} throws {@link CancellationException}. {@link #current()} is this entrypoint inside its services' start
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

    /**
     * The longest {@code shutdownTimeout} an entrypoint accepts (from the builder or
     * {@code AIOMISC_SHUTDOWN_TIMEOUT}): 1 day. A shutdown that has not finished in a day will not;
     * the bound keeps the deadline arithmetic far from overflow and rejects a mistyped value at once.
     */
    public static final Duration MAX_SHUTDOWN_TIMEOUT = Duration.ofDays(1);

    /**
     * How long the shutdown watchdog waits for its ERROR record and the release of logging before
     * it halts with {@link #SHUTDOWN_TIMEOUT_EXIT_STATUS} anyway (a stuck stderr must not keep the
     * process alive): the exit comes at most this long after {@code shutdownTimeout}.
     */
    private static final Duration HALT_REPORT_PATIENCE = Duration.ofSeconds(1);

    private static final Logger log = LoggerFactory.getLogger(Entrypoint.class);

    /*
     * The lifecycle, one immutable snapshot in one volatile field, written under `lock` and only
     * through transition(from, to), which rejects every pair not listed here:
     *
     *   NEW      -> STARTING   start()
     *   NEW      -> CLOSED     close() before start()
     *   STARTING -> RUNNING    every service started and no close() came meanwhile
     *   STARTING -> STOPPING   a start failed, start()'s thread was interrupted, or close() came
     *                          meanwhile (closeRequested): start() rolls back and throws
     *   RUNNING  -> STOPPING   close(), or a caught OS signal
     *   STOPPING -> CLOSED     the shutdown (or the rolled-back start) has finished
     *
     * closeRequested is set only in STARTING, by close() (requestCloseWhileStarting()); every
     * transition clears it, after finishStart() has read it.
     */
    private enum State {
        NEW,
        STARTING,
        RUNNING,
        STOPPING,
        CLOSED
    }

    private record Lifecycle(State state, boolean closeRequested) {
        Lifecycle {
            if (closeRequested && state != State.STARTING) {
                throw new IllegalArgumentException("a close is requested only while starting: " + state);
            }
        }
    }

    private static final Map<State, Set<State>> LEGAL = Map.of(
            State.NEW, Set.of(State.STARTING, State.CLOSED),
            State.STARTING, Set.of(State.RUNNING, State.STOPPING),
            State.RUNNING, Set.of(State.STOPPING),
            State.STOPPING, Set.of(State.CLOSED),
            State.CLOSED, Set.of());

    private final EntrypointSettings settings;
    private final List<Service> initialServices;
    private final Signal preStart;
    private final Signal postStart;
    private final Signal preStop;
    private final Signal postStop;
    private final Context context;
    private final TaskScope scope;
    private final ServiceGroup group;
    private final CompletableFuture<Void> closing = new CompletableFuture<>();
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private final AtomicBoolean signalled = new AtomicBoolean();
    private final ReentrantLock lock = new ReentrantLock();
    private volatile Lifecycle lifecycle = new Lifecycle(State.NEW, false); // written under lock
    private volatile EntrypointPool pool;
    private volatile DependencyScope dependencyScope; // opened by the first injection, after PRE_START; under lock
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
        this.context = new Context(settings.contextStatisticName());
        // a final class: neither holder can see a half-built subclass
        this.scope = new TaskScope(this);
        this.group = new ServiceGroup(this);
    }

    /**
     * A builder whose unset options come from {@code AIOMISC_*} environment variables, read when
     * {@link Builder#build()} runs. Each call returns a new builder; a builder is not thread-safe.
     *
     * @return a new builder with no services and no options set
     */
    public static Builder builder() {
        return new Builder(System.getenv());
    }

    /** A builder reading its defaults from {@code environment} instead of the process environment. */
    static Builder builder(Map<String, String> environment) {
        return new Builder(environment);
    }

    /**
     * Starts an entrypoint with {@code services}, runs {@code main} in it and closes it:
     * aiomisc's {@code aiomisc.run(main(), *services)}. The short form of
     * {@code Entrypoint.builder().services(services).run(main)}; see {@link Builder#run}.
     *
     * <p><b>Blocks</b> until main has finished and the entrypoint has closed.
     * <b>Interrupt:</b> as {@link Builder#run}: cancels main, closes the entrypoint
     * (uninterruptibly), and throws {@link InterruptedException}.
     *
     * @param <T>      the type of main's result
     * @param main     the work to run in the entrypoint; not null
     * @param services the services to start before main and stop after it, in this order
     * @return main's result
     * @throws NullPointerException     if {@code main}, {@code services} or a service is null
     * @throws IllegalArgumentException if the same service instance is given twice, or an
     *                                  {@code AIOMISC_*} variable has a bad value
     * @throws Exception                main's exception instance, as is (every service's
     *                                  {@code stop} receives it; a failure of close is attached
     *                                  to it as suppressed), or the failure of a service's start
     */
    public static <T> T run(Callable<T> main, Service... services) throws Exception {
        Objects.requireNonNull(main, "main");
        return builder().services(services).run(main);
    }

    /**
     * The entrypoint the calling code runs in: inside its services' {@code start}/{@code stop},
     * its tasks, its thread pool's tasks, its signal receivers and the threads those start.
     * Callable from any thread; never blocks.
     *
     * @return the entrypoint the calling thread runs in
     * @throws IllegalStateException outside an entrypoint
     */
    public static Entrypoint current() {
        TaskScope scope = Current.scope();
        if (scope != null && scope.owner() instanceof Entrypoint entrypoint) {
            return entrypoint;
        }
        throw new IllegalStateException("no current entrypoint: Entrypoint.current() works inside a service, "
                + "a task or a pool thread of a running entrypoint");
    }

    /**
     * The logging settings a child JVM started from the calling thread applies (the workers of a
     * {@code WorkerPool}, the child of a {@code ProcessService}): the current entrypoint's
     * {@link #logSettings()} when it configures logging. Callable from any thread; never blocks.
     *
     * @return the settings, or empty outside an entrypoint or when it leaves logging alone (the
     *         child then configures logging from the class path, as this JVM did)
     */
    public static Optional<LogSettings> inheritedLogSettings() {
        TaskScope scope = Current.scope();
        if (scope != null && scope.owner() instanceof Entrypoint entrypoint && entrypoint.settings.logConfig()) {
            return Optional.of(entrypoint.settings.log());
        }
        return Optional.empty();
    }

    /** The scope of this entrypoint's tasks, for the runners of its services. */
    TaskScope scope() {
        return scope;
    }

    /**
     * Starts the entrypoint as the class description says; returns when every service has
     * started.
     *
     * <p><b>Blocks</b> until every service has started or failed. <b>Interrupt:</b> interrupting
     * the calling thread interrupts the {@code start()} calls still running, stops every service
     * that had started (no {@code POST_START}), closes the entrypoint, and then throws
     * {@link InterruptedException} with the thread's interrupt status set again; the rollback
     * itself is not cut short by further interrupts.
     *
     * @return this entrypoint
     * @throws IllegalStateException if it was already started or closed
     * @throws InterruptedException  if the calling thread was interrupted (see above)
     * @throws CancellationException if {@link #close()} was called (by another thread, or by a
     *                               receiver or service of this entrypoint) while it was
     *                               starting, and the calling thread was not interrupted; the
     *                               entrypoint is closed when it is thrown
     * @throws Exception             the first exception of a failed start, the others
     *                               suppressed; the services that started are stopped again
     */
    public Entrypoint start() throws Exception {
        lock.lock();
        try {
            switch (lifecycle.state()) {
                case NEW -> transition(State.NEW, State.STARTING);
                case STARTING, RUNNING -> throw new IllegalStateException("the entrypoint is already started");
                case STOPPING, CLOSED -> throw new IllegalStateException("the entrypoint is closed; build a new one");
            }
        } finally {
            lock.unlock();
        }
        try {
            configureLogging();
            lifecycle("Starting entrypoint with {} services", initialServices.size());
            EntrypointPool created = settings.executor() != null
                    ? EntrypointPool.borrowed(scope, settings.executor())
                    : EntrypointPool.owned(scope, settings.poolSize());
            pool = created;
            scope.open(created);
            preStart.freeze();
            postStart.freeze();
            preStop.freeze();
            postStop.freeze();
            group.start(initialServices, this::isAborted, this::newDeadline);
        } catch (Exception | Error failure) {
            abortStart(failure);
            if (failure instanceof InterruptedException) {
                Thread.currentThread().interrupt(); // only now: the rollback above is not to be cut short
            }
            throw failure;
        }
        if (!finishStart()) {
            CancellationException cancelled = new CancellationException("the entrypoint was closed while starting");
            try {
                shutdownNow(cancelled, false);
            } catch (RuntimeException e) {
                cancelled.addSuppressed(e);
            }
            throw cancelled;
        }
        if (settings.catchSignals()) {
            OsSignals.register(this, settings.signals());
        }
        lifecycle("Entrypoint started");
        return this;
    }

    /** STARTING → RUNNING, unless close() came meanwhile (then STARTING → STOPPING); true if running. */
    private boolean finishStart() {
        lock.lock();
        try {
            if (lifecycle.closeRequested()) {
                transition(State.STARTING, State.STOPPING);
                return false;
            }
            transition(State.STARTING, State.RUNNING);
            return true;
        } finally {
            lock.unlock();
        }
    }

    private boolean isAborted() {
        Lifecycle current = lifecycle;
        return current.closeRequested() || current.state() == State.STOPPING || current.state() == State.CLOSED;
    }

    /**
     * The dependencies of this entrypoint: the scope its services are injected from, for code that
     * wants a dependency by name ({@code Entrypoint.current().dependencies().get("db")}). Never
     * blocks (its {@code get} may).
     *
     * @return the scope opened by {@link #start()} (after {@link #PRE_START}); closed once the
     *         entrypoint has stopped
     * @throws IllegalStateException if the entrypoint has not been started, or its {@code PRE_START}
     *                               receivers are still running
     */
    public DependencyScope dependencies() {
        DependencyScope dependencies = dependencyScope;
        if (dependencies == null) {
            throw new IllegalStateException(
                    "dependencies() called before start() opened them (after the PRE_START receivers)");
        }
        return dependencies;
    }

    /**
     * The dependency scope, opened by the first call: the injection of the first services, after
     * {@code PRE_START}, so that its receivers may still register providers.
     */
    DependencyScope openDependencies() {
        lock.lock();
        try {
            DependencyScope dependencies = dependencyScope;
            if (dependencies == null) {
                dependencies = settings.dependencies().openScope();
                dependencyScope = dependencies;
            }
            return dependencies;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Blocks until the entrypoint has closed: after {@link #close()} from another thread, or
     * after the graceful stop that a caught signal begins.
     *
     * <p><b>Blocks</b> without a time limit. <b>Interrupt:</b> ends the wait with a
     * {@link CancellationException}; the thread's interrupt status is kept set; the entrypoint
     * goes on running.
     *
     * @throws IllegalStateException if the entrypoint has not been started
     * @throws CancellationException if the waiting thread is interrupted
     */
    public void runForever() {
        requireStarted("runForever()");
        try {
            terminated.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while running forever");
        } catch (java.util.concurrent.ExecutionException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Runs {@code main} as a task of this entrypoint and waits for it: aiomisc's
     * {@code loop.run_until_complete(main())}. {@link #current()} is this entrypoint inside it. If
     * {@code main} throws, that exception is what the services' {@code stop} receive when the
     * entrypoint closes.
     *
     * <p><b>Blocks</b> until main finishes. <b>Interrupt:</b> cancels main (interrupting it) and
     * throws {@link InterruptedException}; the interrupt status is clear, as usual for a method
     * that throws it.
     *
     * @param <T>  the type of main's result
     * @param main the work to run; not null
     * @return main's result
     * @throws NullPointerException  if {@code main} is null
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
     * entrypoint current and the caller's MDC and context variables. Tasks still running when the
     * entrypoint closes are cancelled after {@link #POST_STOP}. Callable from any thread; never
     * blocks.
     *
     * @param <T>  the type of the task's result
     * @param work the work the task runs
     * @return the started task, named {@code aiomisc-task-N}
     * @throws IllegalStateException      if the entrypoint has not been started
     * @throws RejectedExecutionException if it has closed (or is cancelling its tasks)
     */
    public <T> Task<T> createTask(Callable<T> work) {
        return scope.start(TaskLauncher.nextName("aiomisc-task-"), work, false);
    }

    /**
     * Runs {@code action} after {@code delay} (on the entrypoint's {@code timeSource}) as a task of
     * this entrypoint. Cancelling the task before the delay has passed means the action never
     * runs, whether or not {@code cancel} may interrupt. Never blocks.
     *
     * @param delay  how long to wait before running {@code action}; zero or more, not null
     * @param action the action to run once; not null
     * @return the task that waits and then runs {@code action}; cancel it to call the action off
     * @throws NullPointerException       if {@code delay} or {@code action} is null
     * @throws IllegalArgumentException   if {@code delay} is negative
     * @throws IllegalStateException      if the entrypoint has not been started
     * @throws RejectedExecutionException if it has closed
     */
    public Task<Void> callLater(Duration delay, Runnable action) {
        Durations.requireNonNegative("delay", delay);
        Objects.requireNonNull(action, "action");
        DelayedAction delayed = new DelayedAction(settings.time(), delay, action);
        Task<Void> task = createTask(delayed);
        delayed.task = task;
        return task;
    }

    /** The body of a {@link #callLater} task: sleeps, then runs the action unless the task was cancelled meanwhile. */
    private static final class DelayedAction implements Callable<Void> {
        private final TimeSource time;
        private final Duration delay;
        private final Runnable action;
        volatile Task<Void> task; // set right after the task is created; null means not yet cancellable

        DelayedAction(TimeSource time, Duration delay, Runnable action) {
            this.time = time;
            this.delay = delay;
            this.action = action;
        }

        @Override
        public Void call() throws InterruptedException {
            time.sleep(delay);
            Task<Void> self = task;
            // cancel(false) does not interrupt the sleep: the task is cancelled all the same
            if (self == null || !self.isCancelled()) {
                action.run();
            }
            return null;
        }
    }

    /**
     * Starts more services while the entrypoint runs (aiomisc's {@code start_services}):
     * {@link #PRE_START} and {@link #POST_START} fire with just these services. A failure rolls
     * back these services only, as a failed {@link #start()} does.
     *
     * <p><b>Blocks</b> until these services have started or been rolled back.
     * <b>Interrupt:</b> as {@link #start()}: rolls these services back, then throws
     * {@link InterruptedException} with the interrupt status set again.
     *
     * @param services the services to start, concurrently
     * @throws IllegalArgumentException if a service is given twice or already runs here
     * @throws IllegalStateException    if a service runs in another entrypoint, or this one is not running
     * @throws InterruptedException     if the calling thread was interrupted
     * @throws CancellationException    if the entrypoint was closed meanwhile
     * @throws Exception                the first failure of a start, the others suppressed
     */
    public void startServices(Service... services) throws Exception {
        List<Service> list = requireServices(services);
        State state = lifecycle.state();
        if (state != State.RUNNING && state != State.STARTING) {
            throw new IllegalStateException("startServices() needs a running entrypoint; it is "
                    + state.name().toLowerCase());
        }
        try {
            group.start(list, this::isAborted, this::newDeadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw e;
        }
    }

    /**
     * Stops some of the running services (aiomisc's {@code stop_services}): {@link #PRE_STOP} and
     * {@link #POST_STOP} fire with just these services; they are stopped concurrently, within
     * {@code shutdownTimeout}.
     *
     * <p><b>Blocks</b> until they have stopped or {@code shutdownTimeout} has passed. Not
     * interruptible: an interrupt does not cut the stop short; the interrupt status is set again
     * on return.
     *
     * @param services the running services to stop
     * @throws IllegalArgumentException if a service does not run in this entrypoint
     * @throws TimeoutException         naming the services that did not stop in time
     * @throws Exception                the first failure of a {@code stop()}, the others suppressed
     */
    public void stopServices(Service... services) throws Exception {
        List<Service> list = requireServices(services);
        List<ServiceRunner> runners = new ArrayList<>(list.size());
        for (Service service : list) {
            ServiceRunner runner = service.runner();
            if (runner == null || runner.entrypoint() != this) {
                throw new IllegalArgumentException(service.name() + " does not run in this entrypoint");
            }
            runners.add(runner);
        }
        ShutdownDeadline deadline = newDeadline();
        try {
            throwFirst(group.stop(runners, null, deadline));
        } finally {
            deadline.cancel();
        }
    }

    /**
     * The services that have started and not stopped, in the order they were given. Thread-safe.
     *
     * @return a snapshot of the running services
     */
    public List<Service> services() {
        return group.running();
    }

    /**
     * The context services of this entrypoint share (aiomisc's {@code entrypoint.context}).
     *
     * @return this entrypoint's context, the same instance on every call
     */
    public Context context() {
        return context;
    }

    /**
     * The entrypoint's default pool: its own {@link ThreadPool} named {@code default}, of
     * {@code poolSize} platform threads, or the executor given to {@link Builder#threadPool}. Work
     * submitted to it from any thread runs with this entrypoint current. A view: after close,
     * submitting to it throws {@link RejectedExecutionException} (a caller's executor itself is
     * left running).
     *
     * @return the default pool of this entrypoint
     * @throws IllegalStateException if the entrypoint has not been started
     */
    public ExecutorService threadPool() {
        EntrypointPool current = pool;
        if (current == null) {
            throw new IllegalStateException("threadPool() is created by start()");
        }
        return current;
    }

    /**
     * A future completed when the shutdown begins (aiomisc's {@code await ep.closing()}). Each
     * call returns a new future; completing it does not affect the entrypoint.
     *
     * @return a new future completed when the shutdown begins
     */
    public CompletableFuture<Void> closing() {
        return closing.copy();
    }

    /**
     * This entrypoint's copy of {@link #PRE_START}: receivers connected to it hear only this
     * entrypoint. Frozen once started.
     *
     * @return this entrypoint's {@code preStart} signal
     */
    public Signal preStart() {
        return preStart;
    }

    /**
     * This entrypoint's copy of {@link #POST_START}: receivers connected to it hear only this
     * entrypoint. Frozen once started.
     *
     * @return this entrypoint's {@code postStart} signal
     */
    public Signal postStart() {
        return postStart;
    }

    /**
     * This entrypoint's copy of {@link #PRE_STOP}: receivers connected to it hear only this
     * entrypoint. Frozen once started.
     *
     * @return this entrypoint's {@code preStop} signal
     */
    public Signal preStop() {
        return preStop;
    }

    /**
     * This entrypoint's copy of {@link #POST_STOP}: receivers connected to it hear only this
     * entrypoint. Frozen once started.
     *
     * @return this entrypoint's {@code postStop} signal
     */
    public Signal postStop() {
        return postStop;
    }

    /**
     * The shutdown timeout in effect: {@link Builder#shutdownTimeout}, else
     * {@code AIOMISC_SHUTDOWN_TIMEOUT}, else 60 s.
     *
     * @return the shutdown timeout, from zero to 1 day
     */
    public Duration shutdownTimeout() {
        return settings.shutdownTimeout();
    }

    /**
     * The logging settings this entrypoint asks for (applied only when {@code logConfig} is on).
     *
     * @return the resolved logging settings
     */
    public LogSettings logSettings() {
        return settings.log();
    }

    /**
     * Whether the entrypoint is up: every service has started and the shutdown has not begun (what
     * a readiness probe reports). Thread-safe; never blocks.
     *
     * @return true between the end of a successful {@code start()} and the beginning of the shutdown
     */
    public boolean isRunning() {
        return lifecycle.state() == State.RUNNING && !closing.isDone();
    }

    /**
     * Whether the entrypoint has fully closed. Thread-safe; never blocks.
     *
     * @return true once the shutdown has finished
     */
    public boolean isClosed() {
        return terminated.isDone();
    }

    /**
     * Stops the entrypoint as the class description says and returns when everything has stopped.
     * Idempotent and thread-safe: a second caller waits for the first shutdown to finish and
     * returns normally. Before {@link #start()}, it just marks the entrypoint closed; during
     * {@code start()}, it interrupts the starts and makes {@code start()} roll back and throw
     * {@link CancellationException}.
     *
     * <p><b>Blocks</b> until everything has stopped, at most about {@code shutdownTimeout} (on
     * the entrypoint's {@code timeSource}) plus the pool's own close. <b>Never deadlocks on
     * itself:</b> called from a thread of this entrypoint — a service's {@code start}/{@code stop},
     * a task, a pool thread, a signal receiver (also the {@code PRE_START}/{@code POST_STOP} ones
     * that run on the thread of {@code start()} or {@code close()}) — it begins the shutdown (or
     * marks the start for rollback) and returns at once; the shutdown completes in the
     * background. <b>Interrupt:</b> uninterruptible to the end — an interrupt, even one pending
     * on entry, does not cut the shutdown short (services, tasks and the pool's threads are still
     * waited for, within the bounds above); the interrupt status is set again on return.
     *
     * <p><b>Failures.</b> A failing {@code stop()} does not keep the others from stopping. Once
     * everything has stopped, the first failure is thrown, the others suppressed on it: a
     * {@link RuntimeException} or {@link Error} as it is; a checked exception (including the
     * {@link TimeoutException} naming what did not stop within {@code shutdownTimeout}) as the
     * cause of a {@link ShutdownException}. Hence no checked exception, and no warning under
     * {@code -Xlint:all} for try-with-resources.
     *
     * @throws ShutdownException wrapping the first checked failure of the shutdown
     * @throws RuntimeException  the first failure of the shutdown, when unchecked
     */
    @Override
    public void close() {
        shutdown(endException, false);
    }

    /** Called by {@link OsSignals} on a caught signal. */
    void onSignal(String signal) {
        if (!signalled.compareAndSet(false, true)) {
            log.warn("Interrupt signal SIG{} received again; the shutdown is already in progress", signal);
            return;
        }
        // The watchdog first: logging may block (a stuck stderr), and nothing may delay the watchdog.
        Duration timeout = settings.shutdownTimeout();
        Threads.startPlatform("aiomisc-shutdown-watchdog", true, () -> haltUnlessStopped(timeout));
        log.warn("Interrupt signal received, shutting down...");
        Threads.startPlatform("aiomisc-shutdown", false, () -> {
            try {
                shutdown(new InterruptSignalException(signal), true);
            } catch (RuntimeException | Error e) {
                log.error("Errors while shutting down after SIG{}", signal, e);
            }
        });
    }

    private void haltUnlessStopped(Duration timeout) {
        ShutdownDeadline deadline = ShutdownDeadline.after(settings.time(), timeout);
        if (deadline.await(terminated)) {
            deadline.cancel();
            return;
        }
        // Logging can block for good (a writer stuck in a write to a pipe nobody reads holds the
        // output's lock), and so can service names (user code): both happen on a thread of their
        // own, which the watchdog waits for at most HALT_REPORT_PATIENCE before it halts anyway.
        Thread report = Threads.startPlatform("aiomisc-shutdown-report", true, () -> {
            log.error("Shutdown did not happen in {}, aborting. Not stopped: {}", timeout, describeUnstopped());
            releaseLogging();
        });
        joinAtMost(report, HALT_REPORT_PATIENCE);
        Runtime.getRuntime().halt(SHUTDOWN_TIMEOUT_EXIT_STATUS);
    }

    /** Waits for {@code thread} to end, at most {@code patience}; an interrupt does not cut it short. */
    private static void joinAtMost(Thread thread, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        boolean interrupted = false;
        while (thread.isAlive()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                thread.join(Duration.ofNanos(left));
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** What has not stopped; service names are asked for outside any lock ({@code name()} is user code). */
    private String describeUnstopped() {
        List<String> parts = new ArrayList<>();
        for (ServiceRunner runner : group.all()) {
            parts.add("service " + runner.service().name());
        }
        for (String task : scope.taskNames()) {
            parts.add("task " + task);
        }
        return parts.isEmpty() ? "(the shutdown itself is blocked)" : String.join(", ", parts);
    }

    private void shutdown(Throwable reason, boolean fromSignal) {
        State was;
        lock.lock();
        try {
            was = lifecycle.state();
            switch (was) {
                case NEW -> transition(State.NEW, State.CLOSED);
                case STARTING -> requestCloseWhileStarting();
                case RUNNING -> transition(State.RUNNING, State.STOPPING);
                case STOPPING, CLOSED -> {
                    // a shutdown is under way or done; wait for it below
                }
            }
        } finally {
            lock.unlock();
        }
        if (was == State.NEW) {
            closing.complete(null);
            context.close();
            terminated.complete(null);
            return;
        }
        if (was == State.STARTING) {
            group.interruptStarts();
        }
        boolean ownThread = Current.scope() == scope;
        if (was == State.RUNNING) {
            if (ownThread) {
                Threads.startPlatform("aiomisc-shutdown", false, () -> {
                    try {
                        shutdownNow(reason, false);
                    } catch (RuntimeException | Error e) {
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

    /** The shutdown proper; the caller has moved the state to STOPPING. */
    private void shutdownNow(Throwable reason, boolean fromSignal) {
        lifecycle("Stopping entrypoint");
        // A signal-initiated shutdown is bounded by the watchdog, which halts the JVM.
        ShutdownDeadline deadline =
                fromSignal ? ShutdownDeadline.unbounded(settings.time(), settings.shutdownTimeout()) : newDeadline();
        closing.complete(null);
        List<Throwable> failures = new ArrayList<>(group.stop(group.all(), reason, deadline));
        failures.addAll(cancelTasks(deadline));
        failures.addAll(closeDependencies());
        teardown(deadline);
        lifecycle("Entrypoint stopped");
        throwFirstUnchecked(failures);
    }

    /** After a failed start: the started services were stopped by the rollback; release the rest. */
    private void abortStart(Throwable failure) {
        lock.lock();
        try {
            transition(State.STARTING, State.STOPPING);
        } finally {
            lock.unlock();
        }
        closing.complete(null);
        ShutdownDeadline deadline = newDeadline();
        for (Throwable problem : cancelTasks(deadline)) {
            failure.addSuppressed(problem);
        }
        for (Throwable problem : closeDependencies()) {
            failure.addSuppressed(problem);
        }
        teardown(deadline);
    }

    /** Tears the dependencies down (after the services stopped and the tasks ended); returns the failure, if any. */
    private List<Throwable> closeDependencies() {
        DependencyScope dependencies = dependencyScope;
        if (dependencies == null) {
            return List.of();
        }
        try {
            dependencies.close();
            return List.of();
        } catch (RuntimeException | Error e) {
            log.error("Tearing down dependencies failed", e);
            return List.of(e);
        }
    }

    private ShutdownDeadline newDeadline() {
        return ShutdownDeadline.after(settings.time(), settings.shutdownTimeout());
    }

    private List<Throwable> cancelTasks(ShutdownDeadline deadline) {
        List<String> stuck = new ArrayList<>();
        for (RunnableTask<?> task : scope.close()) {
            if (!deadline.awaitFinished(task)) {
                stuck.add(task.name());
            }
        }
        if (stuck.isEmpty()) {
            return List.of();
        }
        TimeoutException timeout = new TimeoutException("tasks did not finish within " + settings.shutdownTimeout()
                + " of being cancelled: " + String.join(", ", stuck));
        log.error("Shutdown timed out: {}", timeout.getMessage());
        return List.of(timeout);
    }

    private void teardown(ShutdownDeadline deadline) {
        EntrypointPool current = pool;
        if (current != null) {
            Duration remaining = deadline.remaining();
            current.close(
                    remaining.compareTo(ThreadPool.DEFAULT_CLOSE_TIMEOUT) < 0
                            ? remaining
                            : ThreadPool.DEFAULT_CLOSE_TIMEOUT);
        }
        deadline.cancel();
        context.close();
        if (settings.catchSignals()) {
            OsSignals.unregister(this);
        }
        releaseLogging();
        lock.lock();
        try {
            transition(State.STOPPING, State.CLOSED);
        } finally {
            lock.unlock();
        }
        terminated.complete(null);
    }

    /** Marks a close requested while STARTING (the one change that is not a transition); the caller holds the lock. */
    private void requestCloseWhileStarting() {
        lifecycle = new Lifecycle(State.STARTING, true);
    }

    /** Moves the lifecycle from {@code from} to {@code to}; the caller holds the lock. */
    private void transition(State from, State to) {
        State state = lifecycle.state();
        if (state != from || !LEGAL.get(from).contains(to)) {
            throw new IllegalStateException(
                    "illegal lifecycle transition " + from + " -> " + to + " in state " + state);
        }
        lifecycle = new Lifecycle(to, false);
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
        if (lifecycle.state() == State.NEW) {
            throw new IllegalStateException(method + " called before start()");
        }
    }

    void lifecycle(String format, Object... arguments) {
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
        if (!failures.isEmpty()) {
            throw RunnableTask.rethrowable(first(failures));
        }
    }

    private static void throwFirstUnchecked(List<Throwable> failures) {
        if (failures.isEmpty()) {
            return;
        }
        Exception first = RunnableTask.rethrowable(first(failures));
        if (first instanceof RuntimeException unchecked) {
            throw unchecked;
        }
        throw new ShutdownException(first);
    }

    private static Throwable first(List<Throwable> failures) {
        Throwable first = failures.get(0);
        for (int i = 1; i < failures.size(); i++) {
            if (failures.get(i) != first) {
                first.addSuppressed(failures.get(i));
            }
        }
        return first;
    }

    @Override
    public String toString() {
        return "Entrypoint[" + lifecycle.state().name().toLowerCase() + ", " + group.size() + " services]";
    }

    /**
     * Configures and builds an {@link Entrypoint}; from {@link Entrypoint#builder()}. An option not
     * set here comes from its {@code AIOMISC_*} environment variable, else its default. Each
     * setter checks its value at once and returns this builder. Not thread-safe: use a builder
     * from one thread.
     */
    public static final class Builder {
        // package-private: EntrypointSettings.resolve reads them; null means "not set"
        final Map<String, String> environment;
        private final List<Service> services = new ArrayList<>();
        private final Set<Service> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Integer poolSize;
        String logLevel;
        String logFormat;
        String logDateFormat;
        Boolean logBuffering;
        Integer logBufferSize;
        Duration logFlushInterval;
        Boolean logConfig;
        Boolean debug;
        List<String> signals;
        Duration shutdownTimeout;
        TimeSource timeSource;
        ExecutorService executor;
        String contextStatisticName;
        Dependencies dependencies;
        private LogConfigurator logConfigurator;

        private Builder(Map<String, String> environment) {
            this.environment = Objects.requireNonNull(environment, "environment");
        }

        /**
         * Adds services to start, after those added before.
         *
         * @param services the services to add
         * @return this builder
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

        /**
         * As {@link #services(Service...)}, in the collection's iteration order.
         *
         * @param services the services to add
         * @return this builder
         * @throws NullPointerException     if a service is null (the message gives its index)
         * @throws IllegalArgumentException if the same instance is added twice
         */
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
                throw new IllegalArgumentException(
                        "service " + service.name() + " was given twice (the same instance)");
            }
            this.services.add(service);
        }

        /**
         * Threads of the default pool. Default: CPUs clamped to 4..32. Unused when
         * {@link #threadPool} is set.
         *
         * @param poolSize the number of platform threads; at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code poolSize} is less than 1
         */
        public Builder poolSize(int poolSize) {
            if (poolSize < 1) {
                throw new IllegalArgumentException("poolSize must be positive: " + poolSize);
            }
            this.poolSize = poolSize;
            return this;
        }

        /**
         * The root log level.
         *
         * @param logLevel {@code critical}, {@code error}, {@code warning}, {@code info}
         *                 (default), {@code debug} or {@code notset}
         * @return this builder
         * @throws NullPointerException     if {@code logLevel} is null
         * @throws IllegalArgumentException naming {@code logLevel} and the value if it is none of those
         */
        public Builder logLevel(String logLevel) {
            this.logLevel = LogNames.level("logLevel", logLevel);
            return this;
        }

        /**
         * The format of log lines; default: the logging module's default format.
         *
         * @param logFormat one of {@link LogNames#FORMATS}
         * @return this builder
         * @throws NullPointerException     if {@code logFormat} is null
         * @throws IllegalArgumentException naming {@code logFormat} and the value if it is not one
         *                                  of {@link LogNames#FORMATS}
         */
        public Builder logFormat(String logFormat) {
            this.logFormat = LogNames.format("logFormat", logFormat);
            return this;
        }

        /**
         * A date pattern for log lines; default: the format's own. The logging module checks it
         * in {@link #build()}.
         *
         * @param logDateFormat the date pattern
         * @return this builder
         * @throws NullPointerException if {@code logDateFormat} is null
         */
        public Builder logDateFormat(String logDateFormat) {
            this.logDateFormat = Objects.requireNonNull(logDateFormat, "logDateFormat");
            return this;
        }

        /**
         * Whether log records are buffered and written by a background thread; default true.
         *
         * @param logBuffering true to buffer log records
         * @return this builder
         */
        public Builder logBuffering(boolean logBuffering) {
            this.logBuffering = logBuffering;
            return this;
        }

        /**
         * Records buffered before a flush is forced; default 1024, or {@code AIOMISC_LOG_BUFFER}.
         * At most {@link LogSettings#MAX_BUFFER_SIZE} (1,048,576): the buffer's slots are
         * allocated when logging is configured, 12 bytes each.
         *
         * @param logBufferSize the number of records
         * @return this builder
         * @throws IllegalArgumentException naming {@code logBufferSize} and the value unless it is
         *                                  in 1..1,048,576
         */
        public Builder logBufferSize(int logBufferSize) {
            this.logBufferSize = LogSettings.requireBufferSize("logBufferSize", logBufferSize);
            return this;
        }

        /**
         * The longest a buffered record waits; default 200 ms, or {@code AIOMISC_LOG_FLUSH}. At
         * least {@link LogSettings#MIN_FLUSH_INTERVAL} (1 ms: the idle writer wakes once per
         * interval, and a shorter one makes it spin) and at most
         * {@link LogSettings#MAX_FLUSH_INTERVAL} (1 hour).
         *
         * @param logFlushInterval the longest wait of a buffered record
         * @return this builder
         * @throws NullPointerException     if {@code logFlushInterval} is null
         * @throws IllegalArgumentException naming {@code logFlushInterval} and the value unless it
         *                                  is between 1 ms and 1 hour
         */
        public Builder logFlushInterval(Duration logFlushInterval) {
            this.logFlushInterval = Durations.requireBetween(
                    "logFlushInterval",
                    logFlushInterval,
                    LogSettings.MIN_FLUSH_INTERVAL,
                    LogSettings.MAX_FLUSH_INTERVAL);
            return this;
        }

        /**
         * Whether the entrypoint configures logging at all; default true. False leaves yours alone.
         *
         * @param logConfig false to leave logging as it is
         * @return this builder
         */
        public Builder logConfig(boolean logConfig) {
            this.logConfig = logConfig;
            return this;
        }

        /**
         * Logs the lifecycle (each service's start and stop) at INFO instead of DEBUG; default false.
         *
         * @param debug true to log the lifecycle at INFO
         * @return this builder
         */
        public Builder debug(boolean debug) {
            this.debug = debug;
            return this;
        }

        /**
         * Whether SIGINT/SIGTERM stop the entrypoint gracefully: {@code true} is
         * {@code catchSignals("INT", "TERM")}, {@code false} catches none. Default: true when
         * built on the JVM's main thread.
         *
         * @param catchSignals true to catch SIGINT and SIGTERM, false to catch no signal
         * @return this builder
         */
        public Builder catchSignals(boolean catchSignals) {
            this.signals = catchSignals ? EntrypointSettings.DEFAULT_SIGNALS : List.of();
            return this;
        }

        /**
         * The OS signals that stop the entrypoint gracefully (aiomisc's
         * {@code catch_signals=(SIGINT, SIGTERM)}): names such as {@code "INT"}, {@code "TERM"},
         * {@code "HUP"} (a {@code "SIG"} prefix and any case are accepted). No names catches none.
         *
         * @param names the signal names; duplicates count once
         * @return this builder
         * @throws NullPointerException     if a name is null
         * @throws IllegalArgumentException naming the first name this JVM does not know as a signal
         */
        public Builder catchSignals(String... names) {
            Objects.requireNonNull(names, "names");
            Set<String> canonical = new LinkedHashSet<>();
            for (int i = 0; i < names.length; i++) {
                canonical.add(OsSignals.canonical(Objects.requireNonNull(names[i], "names[" + i + "]")));
            }
            this.signals = List.copyOf(canonical);
            return this;
        }

        /**
         * Runs the entrypoint's default pool ({@link Entrypoint#threadPool()},
         * {@code Threaded.threaded}) on {@code executor} instead of a pool of its own (aiomisc's
         * "setting as a default thread pool"). The caller owns the executor: the entrypoint never
         * shuts it down; after close, {@code threadPool()} rejects new work. {@code poolSize} is
         * then unused. Default: a {@link ThreadPool} of {@code poolSize} threads named
         * {@code default}, closed with the entrypoint.
         *
         * @param executor the executor to run the default pool's work on
         * @return this builder
         * @throws NullPointerException if {@code executor} is null
         */
        public Builder threadPool(ExecutorService executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * Where {@link Entrypoint#callLater} and the shutdown deadlines get their time; default
         * {@link TimeSource#system()}. Tests pass a {@code ManualTimeSource}.
         *
         * @param timeSource the clock and sleeper to use
         * @return this builder
         * @throws NullPointerException if {@code timeSource} is null
         */
        public Builder timeSource(TimeSource timeSource) {
            this.timeSource = Objects.requireNonNull(timeSource, "timeSource");
            return this;
        }

        /**
         * The name of the {@link Context}'s statistic ({@code ContextStatistic}), aiomisc's
         * {@code statistic_name}; default none.
         *
         * @param name the statistic's name
         * @return this builder
         * @throws NullPointerException     if {@code name} is null
         * @throws IllegalArgumentException if {@code name} is blank
         */
        public Builder contextStatisticName(String name) {
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("contextStatisticName must not be blank: '" + name + "'");
            }
            this.contextStatisticName = name;
            return this;
        }

        /**
         * How long a shutdown may take; default 60 s, or {@code AIOMISC_SHUTDOWN_TIMEOUT}. From
         * zero to 1 day (a shutdown that has not finished in a day will not). After a signal,
         * exceeding it halts the JVM with status 70; a programmatic close reports a
         * {@link TimeoutException}.
         *
         * @param shutdownTimeout the longest a shutdown may take
         * @return this builder
         * @throws NullPointerException     if {@code shutdownTimeout} is null
         * @throws IllegalArgumentException naming {@code shutdownTimeout} and the value if it is
         *                                  negative or longer than 1 day
         */
        public Builder shutdownTimeout(Duration shutdownTimeout) {
            this.shutdownTimeout =
                    Durations.requireBetween("shutdownTimeout", shutdownTimeout, Duration.ZERO, MAX_SHUTDOWN_TIMEOUT);
            return this;
        }

        /**
         * The registry whose providers this entrypoint's services are injected from (their
         * {@link io.aiomisc.dependency.Inject} fields): when it starts, the entrypoint opens a
         * {@link DependencyScope} over the providers registered then, creates each dependency its
         * services need once, before the first {@code start()} (after {@code PRE_START}, so its
         * receivers may still register), and tears them down in reverse order after its services
         * stopped. Default: {@link Dependencies#global()}.
         *
         * @param dependencies the registry to use
         * @return this builder
         * @throws NullPointerException if {@code dependencies} is null
         */
        public Builder dependencies(Dependencies dependencies) {
            this.dependencies = Objects.requireNonNull(dependencies, "dependencies");
            return this;
        }

        /**
         * Configures logging through {@code configurator} instead of the {@link LogConfigurator}
         * found on the class path (the aiomisc-log module's); useful to plug in a logging setup of
         * your own. Used only when {@code logConfig} is on.
         *
         * @param configurator the configurator to use
         * @return this builder
         * @throws NullPointerException if {@code configurator} is null
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
         * <p>Every {@code AIOMISC_*} variable whose option the builder does not set is read and
         * checked here, bounds included ({@code AIOMISC_LOG_BUFFER} 1..1,048,576,
         * {@code AIOMISC_LOG_FLUSH} 1 ms..1 hour, {@code AIOMISC_SHUTDOWN_TIMEOUT} 0..1 day, a
         * duration at most 64 characters), so that {@code start()} does not fail on
         * configuration. When {@code logConfig} is on, the logging module checks the format (its
         * module must be present: {@code journald} needs {@code aiomisc-systemd}) and the date
         * format.
         *
         * @return a new entrypoint, not started
         * @throws IllegalArgumentException if an {@code AIOMISC_*} variable needed has a bad value
         *                                  (the message names the variable and the value), or
         *                                  the logging module rejects the format or the date
         *                                  format (the message names {@code logFormat},
         *                                  {@code logDateFormat} or the variable, whichever gave it)
         */
        public Entrypoint build() {
            Optional<LogConfigurator> configurator =
                    logConfigurator != null ? Optional.of(logConfigurator) : Plugins.logConfigurator();
            EntrypointSettings settings = EntrypointSettings.resolve(this, configurator);
            Plugins.loaded();
            return new Entrypoint(settings, List.copyOf(services), configurator.orElse(null));
        }

        /**
         * {@code build().start()}: builds an entrypoint and starts it.
         *
         * <p><b>Blocks</b> until the services have started; see {@link Entrypoint#start()} for its
         * interrupt policy.
         *
         * @return the started entrypoint; close it to stop it
         * @throws IllegalArgumentException as {@link #build()}
         * @throws Exception                as {@link Entrypoint#start()}: the failure of a
         *                                  service's start, or {@link InterruptedException}
         */
        public Entrypoint start() throws Exception {
            return build().start();
        }

        /**
         * Builds and starts an entrypoint, runs {@code main} in it and closes it (aiomisc's
         * {@code aiomisc.run(main(), **kwargs)}):
         * {@code Entrypoint.builder().logLevel("info").services(svc).run(() -> main())}.
         *
         * <p><b>Blocks</b> until main has finished and the entrypoint has closed.
         * <b>Interrupt:</b> cancels main, closes the entrypoint (uninterruptibly), and throws
         * {@link InterruptedException}.
         *
         * @param <T>  the type of main's result
         * @param main the work to run; not null
         * @return main's result
         * @throws Exception main's exception instance, as is (every service's {@code stop}
         *                   receives it; a failure of close is attached to it as suppressed), or
         *                   the failure of a start
         */
        public <T> T run(Callable<T> main) throws Exception {
            Objects.requireNonNull(main, "main");
            try (Entrypoint entrypoint = start()) {
                return entrypoint.runUntilComplete(main);
            }
        }
    }
}
