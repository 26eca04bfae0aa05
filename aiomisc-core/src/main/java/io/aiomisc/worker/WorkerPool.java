package io.aiomisc.worker;

import io.aiomisc.Entrypoint;
import io.aiomisc.internal.Durations;
import io.aiomisc.internal.SharedTimer;
import io.aiomisc.internal.Threads;
import io.aiomisc.internal.process.Bootstrap;
import io.aiomisc.internal.process.ChildLauncher;
import io.aiomisc.internal.process.Frame;
import io.aiomisc.internal.process.FrameChannel;
import io.aiomisc.internal.process.Handshake;
import io.aiomisc.internal.process.IpcEndpoint;
import io.aiomisc.internal.process.Serial;
import io.aiomisc.internal.process.SerialFilter;
import io.aiomisc.stats.WorkerPoolStatistic;
import io.aiomisc.task.Task;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectInputFilter;
import java.io.Serializable;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pool of long-lived worker JVMs that run {@link WorkerTask}s: aiomisc's {@code WorkerPool}, for
 * CPU-bound work and for code that must be isolated — a task that calls {@code System.exit},
 * crashes the JVM, leaks, or loops ignoring interrupts takes down only its own worker, which the
 * pool replaces.
 *
 * <pre>{@code
 * try (WorkerPool pool = new WorkerPool(4)) {
 *     Task<Long> task = pool.createTask(() -> countPrimes(10_000_000));
 *     long primes = task.await();
 * }
 * }</pre>
 *
 * <h2>Workers</h2>
 * Each worker is a JVM started with this JVM's {@code java}, class path, module path and inherited
 * options (assertions, module options and system properties; heap, GC and agents are not inherited:
 * give them with {@link Builder#jvmOptions}). Workers start in parallel; start-up is kept short with
 * a small {@code main}, the serial collector and an application class-data-sharing archive created
 * by the first run. A worker started from inside an entrypoint that configures logging logs with
 * that entrypoint's level and format; stdout and stderr are this JVM's. Workers exit by themselves
 * when this JVM exits or is killed, even with SIGKILL: each watches its stdin, which this JVM holds.
 *
 * <h2>Security</h2>
 * Workers connect to a Unix-domain socket in a fresh private directory (mode 0700), or to loopback
 * TCP where Unix-domain sockets are missing. A random 128-byte cookie reaches each worker on its
 * stdin (never its command line or environment, which other users can read); worker and pool prove
 * to each other that they know it (HMAC-SHA256 over fresh nonces) before anything is deserialized.
 * A connection that fails the proof, sends a malformed or oversize frame, or takes longer than
 * 10 s is closed, logged and counted in {@code bad_auth}. Frames are length-prefixed and bounded by
 * {@link Builder#maxFrameSize}; every payload is read through an {@link ObjectInputFilter} with
 * depth, reference and array-size limits that accepts the application's own classes and the
 * JDK's value types only (see {@link Builder#deserializationFilter}).
 *
 * <h2>Tasks</h2>
 * {@link #createTask} serializes the task at once (a task that cannot be serialized is refused
 * there) and returns a {@link Task}; the first free worker runs it. The task's own exception comes
 * back as itself: same class, message and cause, with the worker's stack trace. A worker that dies
 * fails only its current task, with {@link WorkerDiedException}, and is replaced by a new JVM with
 * the same id. {@code task.cancel(true)} interrupts the task inside its worker, which stays alive;
 * if the task ignores the interrupt for {@link Builder#cancelTimeout} the worker is killed and
 * replaced. Queued tasks are unbounded unless {@link Builder#maxOverflow} bounds them.
 *
 * <p>Differences from aiomisc: the initializer runs in each worker (Java cannot fork, so there is no
 * supervisor to run it once and share its state); a worker that exits with status 0 is replaced too
 * (the pool keeps its size); every statistic is maintained.
 *
 * <p>Thread-safety: every method may be called from any thread.
 */
public final class WorkerPool implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WorkerPool.class);

    /** Default {@link Builder#cancelTimeout}: 5 s. */
    public static final Duration DEFAULT_CANCEL_TIMEOUT = Duration.ofSeconds(5);
    /** Default {@link Builder#maxFrameSize}: 64 MiB. */
    public static final int DEFAULT_MAX_FRAME_SIZE = 64 << 20;
    /** How long {@link #close()} lets workers exit after SIGTERM before it kills them: 5 s. */
    public static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

    /**
     * Worker JVMs that may be starting at once: half the processors, at least 1. A JVM's start-up
     * keeps about two cores busy (its main thread, JIT compilers, GC); starting more at once only
     * slows each down, so the first workers to be ready take tasks sooner and the whole pool is
     * ready no later.
     */
    static final int PARALLEL_STARTS = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);

    /** Longest a connection may take to prove itself. */
    static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    private final Duration handshakeTimeout;

    private enum State {
        NEW,
        STARTING,
        RUNNING,
        CLOSING,
        CLOSED
    }

    private final int workers;
    private final int maxOverflow;
    private final int maxFrameSize;
    private final Duration cancelTimeout;
    private final List<String> jvmOptions;
    private final String filterPattern;
    private final ObjectInputFilter filter;
    private final byte[] initializerBytes;
    private final boolean unixSocket;
    private final WorkerPoolStatistic statistic;
    private final List<io.aiomisc.stats.Counter> processCounters = new java.util.concurrent.CopyOnWriteArrayList<>();

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<WorkerJob<?>> pending = new ArrayDeque<>(); // guarded by lock
    private final ArrayDeque<WorkerSlot> idle = new ArrayDeque<>(); // guarded by lock
    private final Set<Integer> readyIds = new java.util.HashSet<>(); // guarded by lock
    private int starting; // guarded by lock: worker JVMs starting now
    private final Set<Long> pids = ConcurrentHashMap.newKeySet();
    private final Set<FrameChannel> handshaking = ConcurrentHashMap.newKeySet();
    private final AtomicLong sequences = new AtomicLong();
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private volatile State state = State.NEW; // written under lock
    private volatile Throwable failure; // written under lock: why the pool closed itself
    private volatile boolean initializerFailed; // written under lock

    // set once by launch(), under lock
    private volatile IpcEndpoint endpoint;
    private byte[] cookie;
    private List<String> command;
    private String logSettings;
    private WorkerSlot[] slots = new WorkerSlot[0];
    private Thread acceptor;

    /**
     * A pool of {@code workers} worker JVMs with the defaults of {@link Builder}. Starts nothing:
     * see {@link #start()}.
     *
     * @param workers the number of worker JVMs, at least 1
     * @throws IllegalArgumentException if {@code workers < 1}
     */
    public WorkerPool(int workers) {
        this(builder().workers(workers));
    }

    private WorkerPool(Builder builder) {
        this.workers = builder.workers;
        this.maxOverflow = builder.maxOverflow;
        this.maxFrameSize = builder.maxFrameSize;
        this.cancelTimeout = builder.cancelTimeout;
        this.jvmOptions = List.copyOf(builder.jvmOptions);
        this.filterPattern = builder.deserializationFilter == null ? "" : builder.deserializationFilter;
        this.filter = SerialFilter.compile(builder.deserializationFilter);
        this.initializerBytes =
                builder.initializer == null ? new byte[0] : serializeInitializer(builder.initializer, maxFrameSize);
        this.unixSocket = builder.unixSocket;
        this.handshakeTimeout = builder.handshakeTimeout;
        this.statistic = new WorkerPoolStatistic(builder.statisticName);
        this.processCounters.add(statistic.processes);
    }

    /** Keeps {@code counter} equal to the number of connected workers too (a ProcessPoolStatistic). */
    void countProcessesIn(io.aiomisc.stats.Counter counter) {
        processCounters.add(counter);
    }

    /**
     * A builder with the defaults; {@link Builder#workers} must be set.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts every worker and returns when each is connected, authenticated and initialized. Does
     * nothing if the pool is running. Blocks; interrupting the waiting thread closes the pool and
     * throws {@link InterruptedException}.
     *
     * @throws IllegalStateException when the pool is closed, or a worker could not start (the pool
     *                               then closes; the cause says why), or the initializer failed
     *                               (caused by the initializer's exception)
     * @throws InterruptedException  if interrupted while waiting (the pool is closed)
     */
    public void start() throws InterruptedException {
        InterruptedException interrupted;
        lock.lock();
        try {
            if (state == State.NEW) {
                launch();
            }
            while (state == State.STARTING) {
                changed.await();
            }
            if (state != State.RUNNING) {
                throw closedException();
            }
            return;
        } catch (InterruptedException e) {
            interrupted = e;
        } finally {
            lock.unlock();
        }
        close(); // nothing is left half-started
        Thread.currentThread().interrupt();
        throw interrupted;
    }

    /**
     * Queues {@code task} for the first free worker and returns its {@link Task} at once. Starts the
     * pool if it has not started (without waiting for the workers). Blocks only when
     * {@link Builder#maxOverflow} tasks are already queued, until one leaves the queue.
     *
     * @param task the task; it and everything it captures must be serializable
     * @param <R>  the result type
     * @return the task; {@code await()} returns its value or throws its exception
     * @throws NullPointerException     if {@code task} is null
     * @throws IllegalArgumentException if {@code task} cannot be serialized (the cause is the
     *                                  {@link NotSerializableException})
     * @throws IllegalStateException    if the pool is closed (caused by the initializer's exception
     *                                  when that closed it)
     * @throws CancellationException    if the thread is interrupted while waiting for room in the
     *                                  queue (the interrupt status is set again; nothing is queued)
     */
    public <R> Task<R> createTask(WorkerTask<R> task) {
        Objects.requireNonNull(task, "task");
        byte[] payload;
        try {
            payload = Serial.serialize(task, maxFrameSize, "the task");
        } catch (Serial.TooLargeException e) {
            return WorkerJob.failed(this, new IllegalArgumentException(e.getMessage()));
        } catch (IOException e) {
            throw new IllegalArgumentException("the task cannot be serialized: " + e, e);
        }
        WorkerJob<R> job = new WorkerJob<>(this, sequences.incrementAndGet(), payload);
        lock.lock();
        try {
            if (state == State.NEW) {
                launch();
            }
            while (maxOverflow > 0 && pending.size() >= maxOverflow && isOpen()) {
                try {
                    changed.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new CancellationException("interrupted while waiting for room in the worker pool's queue");
                }
            }
            if (!isOpen()) {
                throw closedException();
            }
            pending.add(job);
            statistic.taskAdded.increment();
        } finally {
            lock.unlock();
        }
        dispatch();
        return job;
    }

    /**
     * The process ids of the workers connected now (a replaced worker's new pid appears once it has
     * connected).
     *
     * @return a snapshot of the pids
     */
    public Set<Long> pids() {
        return Set.copyOf(pids);
    }

    /**
     * The number of workers the pool keeps.
     *
     * @return the configured number of workers
     */
    public int workers() {
        return workers;
    }

    /**
     * The endpoint workers connect to: a {@link java.net.UnixDomainSocketAddress} or a loopback
     * {@link java.net.InetSocketAddress}.
     *
     * @return the address
     * @throws IllegalStateException before the pool has started
     */
    public SocketAddress address() {
        IpcEndpoint now = endpoint;
        if (now == null) {
            throw new IllegalStateException("the worker pool has not started: it has no address yet");
        }
        return now.address();
    }

    /**
     * This pool's counters.
     *
     * @return the statistic
     */
    public WorkerPoolStatistic statistic() {
        return statistic;
    }

    /**
     * Closes the pool: queued and running tasks end with {@link CancellationException}, workers get
     * SIGTERM and are killed if they have not exited after {@link #STOP_TIMEOUT}; the socket file,
     * its directory and every thread of the pool are gone when this returns. Idempotent; a second
     * caller waits for the first. Blocks for at most about {@code STOP_TIMEOUT} plus a few seconds;
     * an interrupt does not cut it short (the interrupt status is set again on return).
     */
    @Override
    public void close() {
        List<WorkerJob<?>> queued = beginClose(null, false);
        if (queued == null) {
            io.aiomisc.internal.Futures.awaitUninterruptibly(terminated);
            return;
        }
        finishClose(queued);
    }

    /**
     * Moves the pool to CLOSING (recording {@code why} when the pool closes itself) and takes the
     * queued tasks; null when the pool was already closing, so the caller only waits.
     */
    private List<WorkerJob<?>> beginClose(Throwable why, boolean byInitializer) {
        lock.lock();
        try {
            if (state == State.CLOSING || state == State.CLOSED) {
                return null;
            }
            if (why != null) {
                failure = why;
                initializerFailed = byInitializer;
            }
            if (state == State.NEW) {
                state = State.CLOSED;
                terminated.complete(null);
                return null;
            }
            state = State.CLOSING;
            List<WorkerJob<?>> queued = new ArrayList<>(pending);
            pending.clear();
            idle.clear();
            changed.signalAll();
            return queued;
        } finally {
            lock.unlock();
        }
    }

    private void finishClose(List<WorkerJob<?>> queued) {
        try {
            shutDown(queued);
        } finally {
            lock.lock();
            try {
                state = State.CLOSED;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
            terminated.complete(null);
        }
    }

    private void shutDown(List<WorkerJob<?>> queued) {
        Throwable why;
        lock.lock();
        try {
            why = failure;
        } finally {
            lock.unlock();
        }
        for (WorkerJob<?> job : queued) {
            job.fail(why == null ? new CancellationException("the worker pool closed") : closedException());
        }
        for (WorkerSlot slot : slots) {
            WorkerJob<?> job = slot.current.getAndSet(null);
            if (job != null) {
                job.fail(new CancellationException("the worker pool closed while the task ran"));
            }
        }
        IpcEndpoint now = endpoint;
        if (now != null) {
            now.close();
        }
        for (FrameChannel channel : handshaking) {
            channel.close();
        }
        for (WorkerSlot slot : slots) {
            slot.terminate();
        }
        long deadline = Durations.deadline(STOP_TIMEOUT.plusSeconds(15));
        boolean interrupted = Thread.interrupted();
        List<Thread> threads = new ArrayList<>();
        for (WorkerSlot slot : slots) {
            threads.add(slot.thread());
        }
        threads.add(acceptor);
        for (Thread thread : threads) {
            if (thread == null || thread == Thread.currentThread()) {
                continue;
            }
            while (true) {
                try {
                    thread.join(Duration.ofNanos(Math.max(1, Durations.remaining(deadline))));
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- what the slots, the acceptor and the tasks call ----------------------------------------

    boolean isClosing() {
        State now = state;
        return now == State.CLOSING || now == State.CLOSED;
    }

    private boolean isOpen() {
        return state == State.STARTING || state == State.RUNNING;
    }

    List<String> command() {
        return command;
    }

    byte[] cookie() {
        return cookie;
    }

    String addressString() {
        return endpoint.addressString();
    }

    int maxFrameSize() {
        return maxFrameSize;
    }

    String filterPattern() {
        return filterPattern;
    }

    String logSettings() {
        return logSettings;
    }

    byte[] initializerBytes() {
        return initializerBytes;
    }

    /** Sleeps {@code pause} unless the pool closes first; false if it closed. */
    boolean sleepUnlessClosing(Duration pause) {
        lock.lock();
        try {
            long nanos = Durations.toNanos(pause);
            while (!isClosing() && nanos > 0) {
                nanos = changed.awaitNanos(nanos);
            }
            return !isClosing();
        } catch (InterruptedException e) {
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** Waits for a turn to start a worker JVM (see {@link #PARALLEL_STARTS}); false if the pool closed. */
    boolean acquireStart() {
        lock.lock();
        try {
            while (starting >= PARALLEL_STARTS && !isClosing()) {
                changed.awaitUninterruptibly();
            }
            if (isClosing()) {
                return false;
            }
            starting++;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** A worker JVM is ready or failed to start: another may start. */
    void releaseStart() {
        lock.lock();
        try {
            starting--;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** A slot's worker connected and initialized: it takes work now. */
    void workerReady(WorkerSlot slot) {
        lock.lock();
        try {
            pids.add(slot.pid());
            processCounters.forEach(io.aiomisc.stats.Counter::increment);
            if (isClosing()) {
                return;
            }
            idle.add(slot);
            if (state == State.STARTING && readyIds.add(slot.id) && readyIds.size() == workers) {
                state = State.RUNNING;
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
        dispatch();
    }

    /** A slot's worker finished a task and takes the next. */
    void workerIdle(WorkerSlot slot) {
        lock.lock();
        try {
            if (!isClosing()) {
                idle.add(slot);
            }
        } finally {
            lock.unlock();
        }
        dispatch();
    }

    /** A slot's worker's connection ended. */
    void workerGone(WorkerSlot slot, long pid) {
        lock.lock();
        try {
            idle.remove(slot);
            if (pids.remove(pid)) {
                processCounters.forEach(io.aiomisc.stats.Counter::decrement);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * A worker could not start. While the pool is starting this fails the pool (true); afterwards
     * the slot retries (false).
     */
    boolean startFailed(Exception why) {
        lock.lock();
        try {
            if (state != State.STARTING) {
                return false;
            }
        } finally {
            lock.unlock();
        }
        List<WorkerJob<?>> queued = beginClose(why, false);
        if (queued == null) {
            return true;
        }
        log.error("The worker pool failed to start: {}", why.getMessage());
        Threads.startVirtual("aiomisc-worker-pool-close", () -> finishClose(queued));
        return true;
    }

    /** A worker's initializer failed: every pending task fails and the pool closes. */
    void initializerFailed(long pid, byte[] body) {
        Throwable cause;
        try {
            cause = (Throwable) Serial.deserialize(body, filter);
        } catch (IOException | ClassNotFoundException | ClassCastException e) {
            cause = new IllegalStateException("the initializer's exception could not be read back", e);
        }
        List<WorkerJob<?>> queued = beginClose(cause, true);
        if (queued == null) {
            return;
        }
        log.error("The worker pool's initializer failed in worker process {}; the pool closes", pid, cause);
        Threads.startVirtual("aiomisc-worker-pool-close", () -> finishClose(queued));
    }

    /** A job went back because its worker died before it was sent: it goes first in the queue. */
    void requeue(WorkerJob<?> job) {
        lock.lock();
        try {
            if (isOpen()) {
                pending.addFirst(job);
                job = null;
            }
        } finally {
            lock.unlock();
        }
        if (job != null) {
            job.fail(new CancellationException("the worker pool closed"));
        }
        dispatch();
    }

    /** A task was cancelled by its owner. */
    void cancelled(WorkerJob<?> job, boolean interrupt) {
        lock.lock();
        try {
            if (pending.remove(job)) {
                changed.signalAll();
                return;
            }
        } finally {
            lock.unlock();
        }
        if (interrupt) {
            for (WorkerSlot slot : slots) {
                if (slot.current.get() == job) {
                    slot.cancel(job, cancelTimeout);
                }
            }
        }
    }

    /** A worker answered {@code job} with {@code frame}. */
    void finished(WorkerJob<?> job, Frame frame, long pid) throws IOException {
        statistic.sumTime.addNanos(System.nanoTime() - job.dispatchedAt);
        statistic.done.increment();
        switch (frame.type()) {
            case Frame.RESULT -> {
                Object value;
                try {
                    value = Serial.deserialize(frame.payload(), filter);
                } catch (Exception
                        | LinkageError e) { // a readObject may throw anything: it fails the task, not this thread
                    failed(job, e);
                    return;
                }
                // counted first, so that a caller woken by the result reads a true statistic
                statistic.success.increment();
                if (!completeUnchecked(job, value)) {
                    statistic.success.decrement(); // cancelled meanwhile
                }
            }
            case Frame.EXCEPTION -> {
                Object thrown;
                try {
                    thrown = Serial.deserialize(frame.payload(), filter);
                } catch (Exception | LinkageError e) {
                    failed(job, e);
                    return;
                }
                if (!(thrown instanceof Throwable)) {
                    throw brokenReply(job, "worker process " + pid + " sent an EXCEPTION frame without an exception");
                }
                failed(job, (Throwable) thrown);
            }
            case Frame.CANCELLED ->
                job.fail(new CancellationException("the task was cancelled in worker process " + pid));
            default -> throw brokenReply(job, "worker process " + pid + " sent unexpected frame type " + frame.type());
        }
    }

    /** Fails {@code job} (its slot has let go of it) with the protocol error its worker made. */
    private io.aiomisc.internal.process.FrameException brokenReply(WorkerJob<?> job, String message) {
        io.aiomisc.internal.process.FrameException broken = new io.aiomisc.internal.process.FrameException(message);
        failed(job, broken);
        return broken;
    }

    private void failed(WorkerJob<?> job, Throwable failure) {
        statistic.error.increment();
        if (!job.fail(failure)) {
            statistic.error.decrement(); // cancelled meanwhile
        }
    }

    /** The worker running {@code job} died. */
    void died(WorkerJob<?> job, WorkerDiedException death) {
        statistic.sumTime.addNanos(System.nanoTime() - job.dispatchedAt);
        statistic.done.increment();
        failed(job, death);
    }

    @SuppressWarnings("unchecked")
    private static <R> boolean completeUnchecked(WorkerJob<R> job, Object value) {
        return job.complete((R) value);
    }

    /** Hands queued tasks to idle workers. */
    private void dispatch() {
        List<WorkerSlot> targets = null;
        List<WorkerJob<?>> jobs = null;
        lock.lock();
        try {
            while (!pending.isEmpty() && !idle.isEmpty() && isOpen()) {
                WorkerJob<?> job = pending.poll();
                if (job.isDone()) {
                    continue;
                }
                WorkerSlot slot = idle.poll();
                slot.current.set(job);
                job.dispatchedAt = System.nanoTime();
                statistic.submitted.increment();
                if (targets == null) {
                    targets = new ArrayList<>(2);
                    jobs = new ArrayList<>(2);
                }
                targets.add(slot);
                jobs.add(job);
            }
            if (targets != null && maxOverflow > 0) {
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
        if (targets != null) {
            for (int i = 0; i < targets.size(); i++) {
                targets.get(i).send(jobs.get(i));
            }
        }
    }

    // ---- start-up ---------------------------------------------------------------------------------

    /** Opens the endpoint and starts the acceptor and every slot; the caller holds the lock. */
    private void launch() {
        try {
            endpoint = IpcEndpoint.open(unixSocket);
        } catch (IOException e) {
            state = State.CLOSED;
            failure = e;
            terminated.complete(null);
            throw new IllegalStateException("the worker pool could not open its IPC endpoint: " + e.getMessage(), e);
        }
        cookie = Handshake.newCookie();
        command = ChildLauncher.command(jvmOptions);
        logSettings = Entrypoint.inheritedLogSettings()
                .map(s -> Bootstrap.logField(s.level(), s.format(), s.dateFormat()))
                .orElse("");
        state = State.STARTING;
        acceptor = Threads.startVirtual("aiomisc-worker-pool-acceptor", this::accept);
        slots = new WorkerSlot[workers];
        for (int i = 0; i < workers; i++) {
            slots[i] = new WorkerSlot(this, i);
        }
        for (WorkerSlot slot : slots) {
            slot.start();
        }
    }

    private void accept() {
        IpcEndpoint listening = endpoint;
        while (true) {
            SocketChannel channel;
            try {
                channel = listening.accept();
            } catch (IOException e) {
                if (!isClosing()) {
                    log.error("The worker pool's endpoint failed; it accepts no more workers", e);
                }
                return;
            }
            Threads.startVirtual("aiomisc-worker-pool-handshake", () -> handshake(channel));
        }
    }

    private void handshake(SocketChannel socket) {
        FrameChannel channel = new FrameChannel(socket, Handshake.MAX_HANDSHAKE_BODY);
        handshaking.add(channel);
        // set before the close, so that the handshake's failure can tell a timeout from anything else
        // (the timer's future is done only after its action has returned: too late for that)
        java.util.concurrent.atomic.AtomicBoolean timedOut = new java.util.concurrent.atomic.AtomicBoolean();
        ScheduledFuture<?> timeout = SharedTimer.schedule(
                () -> {
                    timedOut.set(true);
                    channel.close();
                },
                Durations.toNanos(handshakeTimeout));
        try {
            if (isClosing()) {
                channel.close();
                return;
            }
            Handshake.Peer peer;
            try {
                peer = Handshake.serve(channel, cookie);
            } catch (IOException e) {
                channel.close();
                if (!isClosing()) {
                    statistic.badAuth.increment();
                    log.warn(
                            "Refused a connection to the worker pool at {}: {}",
                            endpoint.address(),
                            timedOut.get()
                                    ? "no valid proof within " + handshakeTimeout.toMillis() + " ms"
                                    : e.getMessage());
                }
                return;
            }
            timeout.cancel(false);
            channel.maxBody(maxFrameSize + Frame.OVERHEAD);
            WorkerSlot[] all = slots;
            if (peer.workerId() < 0
                    || peer.workerId() >= all.length
                    || !all[peer.workerId()].connected(peer.pid(), channel)) {
                log.warn(
                        "Closed a connection from process {} claiming to be worker {}: no such worker is starting",
                        peer.pid(),
                        peer.workerId());
                channel.close();
            }
        } finally {
            timeout.cancel(false);
            handshaking.remove(channel);
        }
    }

    private IllegalStateException closedException() {
        Throwable why = failure;
        if (why == null) {
            return new IllegalStateException("the worker pool is closed");
        }
        if (initializerFailed) {
            return new IllegalStateException("the worker pool closed because its initializer failed: " + why, why);
        }
        return new IllegalStateException("the worker pool failed to start: " + why.getMessage(), why);
    }

    private static byte[] serializeInitializer(WorkerInitializer initializer, int limit) {
        try {
            return Serial.serialize(new InitializerCall(initializer), limit, "the initializer");
        } catch (IOException e) {
            throw new IllegalArgumentException("initializer cannot be serialized: " + e, e);
        }
    }

    /**
     * The initializer as the worker runs it.
     *
     * @param initializer the user's initializer, serialized with it
     */
    private record InitializerCall(WorkerInitializer initializer) implements Callable<Void>, Serializable {
        @Override
        public Void call() throws Exception {
            initializer.initialize();
            return null;
        }
    }

    @Override
    public String toString() {
        return "WorkerPool[workers=" + workers + ", state=" + state + ", pids=" + pids + "]";
    }

    /**
     * Options of a {@link WorkerPool}. Not thread-safe; {@link #build()} copies what it needs.
     */
    public static final class Builder {
        private int workers = -1;
        private int maxOverflow;
        private WorkerInitializer initializer;
        private List<String> jvmOptions = List.of();
        private Duration cancelTimeout = DEFAULT_CANCEL_TIMEOUT;
        private int maxFrameSize = DEFAULT_MAX_FRAME_SIZE;
        private String deserializationFilter;
        private String statisticName;
        private boolean unixSocket = true;
        private Duration handshakeTimeout = HANDSHAKE_TIMEOUT;

        private Builder() {}

        /**
         * The number of worker JVMs. Required.
         *
         * @param workers at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code workers < 1}
         */
        public Builder workers(int workers) {
            if (workers < 1) {
                throw new IllegalArgumentException("workers must be at least 1: " + workers);
            }
            this.workers = workers;
            return this;
        }

        /**
         * The most tasks that may wait in the queue (running tasks do not count); {@code createTask}
         * blocks while the queue is full. Default 0: unbounded, as aiomisc.
         *
         * @param maxOverflow 0 for unbounded, or the bound
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder maxOverflow(int maxOverflow) {
            if (maxOverflow < 0) {
                throw new IllegalArgumentException("maxOverflow must be 0 (unbounded) or more: " + maxOverflow);
            }
            this.maxOverflow = maxOverflow;
            return this;
        }

        /**
         * Code run once in each worker before its first task; see {@link WorkerInitializer}. Default:
         * none.
         *
         * @param initializer the initializer, or null for none; must be serializable
         * @return this builder
         */
        public Builder initializer(WorkerInitializer initializer) {
            this.initializer = initializer;
            return this;
        }

        /**
         * Extra options for the worker JVMs, after the inherited ones (so they win), e.g.
         * {@code List.of("-Xmx512m")}. Default: none.
         *
         * @param jvmOptions the options
         * @return this builder
         * @throws NullPointerException if the list or an element is null
         */
        public Builder jvmOptions(List<String> jvmOptions) {
            this.jvmOptions = List.copyOf(jvmOptions);
            return this;
        }

        /**
         * How long a cancelled task may ignore its interrupt before its worker is killed and
         * replaced. Default {@link #DEFAULT_CANCEL_TIMEOUT} (5 s).
         *
         * @param cancelTimeout positive
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder cancelTimeout(Duration cancelTimeout) {
            this.cancelTimeout = Durations.requirePositive("cancelTimeout", cancelTimeout);
            return this;
        }

        /**
         * The largest serialized task, result or exception, in bytes. A larger task fails at once
         * and a larger result fails its task, each with an exception naming the limit. Default
         * {@link #DEFAULT_MAX_FRAME_SIZE} (64 MiB).
         *
         * @param maxFrameSize at least 1024 bytes
         * @return this builder
         * @throws IllegalArgumentException if below 1024 or above {@code Integer.MAX_VALUE - 1024}
         */
        public Builder maxFrameSize(int maxFrameSize) {
            if (maxFrameSize < 1024 || maxFrameSize > Integer.MAX_VALUE - 1024) {
                throw new IllegalArgumentException(
                        "maxFrameSize must be in 1024.." + (Integer.MAX_VALUE - 1024) + " bytes: " + maxFrameSize);
            }
            this.maxFrameSize = maxFrameSize;
            return this;
        }

        /**
         * An {@link ObjectInputFilter} pattern consulted before the default filter for every payload
         * in both directions, e.g. {@code "!com.example.legacy.*"} or
         * {@code "com.example.model.*;!*"}: a class it rejects is rejected, one it accepts is
         * accepted (so it can also add JDK classes the default refuses), others are left to the
         * default (the application's own classes and the JDK's value types). The default's depth,
         * reference and array-size limits always apply.
         *
         * @param pattern the pattern, or null for none
         * @return this builder
         * @throws IllegalArgumentException if the pattern is malformed
         */
        public Builder deserializationFilter(String pattern) {
            SerialFilter.compile(pattern);
            this.deserializationFilter = pattern;
            return this;
        }

        /**
         * The name of the pool's {@link WorkerPoolStatistic}. Default: none.
         *
         * @param statisticName the name, or null
         * @return this builder
         */
        public Builder statisticName(String statisticName) {
            this.statisticName = statisticName;
            return this;
        }

        /** For tests: false forces the loopback TCP endpoint. */
        Builder unixSocket(boolean unixSocket) {
            this.unixSocket = unixSocket;
            return this;
        }

        /** For tests: a shorter {@link #HANDSHAKE_TIMEOUT}. */
        Builder handshakeTimeout(Duration handshakeTimeout) {
            this.handshakeTimeout = Durations.requirePositive("handshakeTimeout", handshakeTimeout);
            return this;
        }

        /**
         * A pool with these options; it starts on {@link WorkerPool#start()} or its first task.
         *
         * @return a new pool
         * @throws IllegalStateException    if {@link #workers} was not set
         * @throws IllegalArgumentException if the initializer cannot be serialized
         */
        public WorkerPool build() {
            if (workers < 1) {
                throw new IllegalStateException("workers is required: call workers(n) with n >= 1");
            }
            return new WorkerPool(this);
        }
    }
}
