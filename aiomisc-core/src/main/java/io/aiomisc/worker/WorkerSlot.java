package io.aiomisc.worker;

import io.aiomisc.internal.Durations;
import io.aiomisc.internal.SharedTimer;
import io.aiomisc.internal.Threads;
import io.aiomisc.internal.process.Bootstrap;
import io.aiomisc.internal.process.ChildExit;
import io.aiomisc.internal.process.ChildLauncher;
import io.aiomisc.internal.process.Frame;
import io.aiomisc.internal.process.FrameChannel;
import io.aiomisc.internal.process.FrameException;
import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker of a pool, for the pool's whole life: a virtual thread that starts the worker JVM,
 * waits for its authenticated connection, reads its replies, and starts a replacement with the same
 * id whenever the JVM dies. The task in the worker is in {@link #current}; whoever takes it from
 * there (the reply, the death, a failed send) decides its outcome.
 */
final class WorkerSlot {
    private static final Logger log = LoggerFactory.getLogger(WorkerPool.class);

    /** Longest wait for a started worker JVM to connect and prove itself. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(60);
    /** Longest wait for a worker whose connection ended to exit by itself before it is killed. */
    private static final Duration EXIT_GRACE = Duration.ofSeconds(2);
    /** Pause before a replacement after a failed start, doubling up to {@link #MAX_RESPAWN_PAUSE}. */
    private static final Duration FIRST_RESPAWN_PAUSE = Duration.ofMillis(100);

    private static final Duration MAX_RESPAWN_PAUSE = Duration.ofSeconds(10);

    final int id;
    private final WorkerPool pool;
    final AtomicReference<WorkerJob<?>> current = new AtomicReference<>();
    private volatile Process process;
    private volatile FrameChannel channel;
    private volatile CompletableFuture<FrameChannel> connection = new CompletableFuture<>();
    private volatile boolean initializerFailed;
    private Thread thread;

    WorkerSlot(WorkerPool pool, int id) {
        this.pool = pool;
        this.id = id;
    }

    void start() {
        // a platform thread: it spends its life in blocking reads, and a reply reaches the caller
        // one hand-off sooner than through a virtual thread's poller and scheduler
        thread = Threads.startPlatform("aiomisc-worker-" + id, true, this::run);
    }

    /** The pid of the worker JVM now, or -1. */
    long pid() {
        Process now = process;
        return now == null ? -1 : now.pid();
    }

    /** Called by the acceptor with a connection that proved it is this slot's JVM; false if unwanted. */
    boolean connected(long pid, FrameChannel channel) {
        Process now = process;
        return now != null && now.pid() == pid && connection.complete(channel);
    }

    private void run() {
        try {
            serveUntilClosed();
        } finally {
            reap(process, WorkerPool.STOP_TIMEOUT);
        }
    }

    private void serveUntilClosed() {
        Duration pause = FIRST_RESPAWN_PAUSE;
        while (!pool.isClosing() && !initializerFailed) {
            boolean served = false;
            try {
                served = serveOneProcess();
            } catch (StartFailure e) {
                if (pool.isClosing() || pool.startFailed(e)) {
                    return; // closing, or the pool was still starting: then it fails and closes
                }
                {
                    log.warn("Worker {} failed to start, retrying in {} ms: {}", id, pause.toMillis(), e.getMessage());
                    if (!pool.sleepUnlessClosing(pause)) {
                        return;
                    }
                    pause = pause.multipliedBy(2).compareTo(MAX_RESPAWN_PAUSE) > 0
                            ? MAX_RESPAWN_PAUSE
                            : pause.multipliedBy(2);
                }
            } finally {
                cleanUp();
            }
            if (served) {
                pause = FIRST_RESPAWN_PAUSE;
            }
        }
    }

    /** A worker could not be started or never became ready. */
    static final class StartFailure extends Exception {
        private static final long serialVersionUID = 1L;

        StartFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Starts one worker JVM and serves through it until it dies or the pool closes.
     *
     * @return true if the worker became ready
     */
    private boolean serveOneProcess() throws StartFailure {
        if (!pool.acquireStart()) {
            return false;
        }
        boolean holding = true;
        try {
            connection = new CompletableFuture<>();
            Process started = launch();
            if (started == null) {
                return false;
            }
            FrameChannel connected = awaitReady(started);
            if (connected == null) {
                return false;
            }
            pool.releaseStart();
            holding = false;
            pool.workerReady(this);
            serve(connected, started);
            return true;
        } finally {
            if (holding) {
                pool.releaseStart();
            }
        }
    }

    /** Starts the worker JVM; null if the pool closed meanwhile. */
    private Process launch() throws StartFailure {
        Process started;
        try {
            started = ChildLauncher.spawn(pool.command());
        } catch (IOException e) {
            throw new StartFailure("worker " + id + " could not be started: " + e.getMessage(), e);
        }
        process = started; // before the bootstrap: the worker may connect as soon as it has read it
        pool.statistic().spawning.increment();
        try {
            ChildLauncher.sendBootstrap(
                    started,
                    new Bootstrap(
                            Bootstrap.WORKER,
                            pool.cookie(),
                            id,
                            pool.addressString(),
                            pool.maxFrameSize(),
                            pool.filterPattern(),
                            pool.logSettings(),
                            pool.initializerBytes()));
        } catch (IOException e) {
            throw new StartFailure("worker " + id + " could not be started: " + e.getMessage(), e);
        }
        return pool.isClosing() ? null : started;
    }

    /** Waits for the worker's connection and its READY; null if its initializer failed. */
    private FrameChannel awaitReady(Process started) throws StartFailure {
        FrameChannel connected = awaitConnection(started);
        channel = connected;
        Frame first;
        try {
            first = connected.receive();
        } catch (IOException e) {
            throw new StartFailure(
                    "worker " + id + " (pid " + started.pid() + ") " + exitDescription(started)
                            + " before it was ready",
                    e);
        }
        if (first.type() == Frame.BAD_INITIALIZER) {
            // no replacement: the pool is closing (in the background), and another JVM started
            // before it has would only run the initializer again and be killed
            initializerFailed = true;
            pool.initializerFailed(started.pid(), first.body());
            return null;
        }
        if (first.type() != Frame.READY) {
            throw new StartFailure("worker " + id + " sent frame type " + first.type() + " instead of READY", null);
        }
        return connected;
    }

    private FrameChannel awaitConnection(Process started) throws StartFailure {
        CompletableFuture<?> either = CompletableFuture.anyOf(connection, started.onExit());
        try {
            either.get(Durations.toNanos(CONNECT_TIMEOUT), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new StartFailure(
                    "worker " + id + " (pid " + started.pid() + ") did not connect within " + CONNECT_TIMEOUT, null);
        } catch (InterruptedException | ExecutionException e) {
            // interrupted by close(): fall through, the checks below decide
        }
        FrameChannel connected = connectedNow();
        if (connected == null) {
            connection.cancel(false);
            connected = connectedNow();
        }
        if (connected == null) {
            if (pool.isClosing()) {
                throw new StartFailure("the pool closed while worker " + id + " was starting", null);
            }
            throw new StartFailure(
                    "worker " + id + " (pid " + started.pid() + ") " + exitDescription(started)
                            + " before it connected",
                    null);
        }
        return connected;
    }

    /** Reads replies until the connection ends, then deals with the task the worker had. */
    private void serve(FrameChannel connected, Process started) {
        try {
            while (true) {
                Frame frame = connected.receive();
                long sequence = frame.sequence();
                WorkerJob<?> job = current.get();
                if (job == null || job.sequence != sequence || !current.compareAndSet(job, null)) {
                    throw new FrameException(
                            "worker " + id + " answered task #" + sequence + ", which it does not have");
                }
                pool.finished(job, frame, started.pid());
                pool.workerIdle(this);
            }
        } catch (EOFException | ClosedChannelException e) {
            // the worker died or the pool closed its connection
        } catch (IOException e) {
            if (!pool.isClosing()) {
                log.warn(
                        "Worker {} (pid {}) broke the protocol and is replaced: {}", id, started.pid(), e.getMessage());
            }
        }
        pool.workerGone(this, started.pid());
        connected.close();
        int status = reap(started, pool.isClosing() ? WorkerPool.STOP_TIMEOUT : EXIT_GRACE);
        WorkerJob<?> job = current.getAndSet(null);
        if (job != null) {
            pool.died(job, new WorkerDiedException(started.pid(), status));
        }
        if (!pool.isClosing()) {
            log.info("Worker {} (pid {}) exited with status {}; starting a replacement", id, started.pid(), status);
        }
    }

    /** {@link ChildExit#reap}, for a slot that may not have started a JVM yet. */
    private static int reap(Process started, Duration grace) {
        return started == null ? -1 : ChildExit.reap(started, grace);
    }

    private static String exitDescription(Process started) {
        return started.isAlive() ? "closed its connection" : "exited with status " + started.exitValue();
    }

    /**
     * Hands {@code job} to the worker. On a failed send the job goes back to the pool's queue if the
     * worker never got it (the slot's thread deals with the dead connection).
     */
    void send(WorkerJob<?> job) {
        FrameChannel now = channel;
        try {
            if (now == null) {
                throw new ClosedChannelException();
            }
            now.send(Frame.withSequence(Frame.REQUEST, job.sequence, job.payload));
        } catch (IOException e) {
            if (current.compareAndSet(job, null)) {
                pool.requeue(job);
            }
        }
    }

    /** Interrupts {@code job} in the worker; kills the worker if the job still runs after {@code timeout}. */
    void cancel(WorkerJob<?> job, Duration timeout) {
        FrameChannel now = channel;
        Process running = process;
        if (now == null || running == null) {
            return;
        }
        try {
            now.send(Frame.withSequence(Frame.CANCEL, job.sequence, new byte[0]));
        } catch (IOException e) {
            return; // the connection is gone: the worker is being replaced anyway
        }
        SharedTimer.schedule(
                () -> {
                    if (current.get() == job && running.isAlive()) {
                        log.warn(
                                "Worker {} (pid {}) ignored the cancel of its task for {} ms; killing it",
                                id,
                                running.pid(),
                                timeout.toMillis());
                        running.destroyForcibly();
                    }
                },
                Durations.toNanos(timeout));
    }

    /**
     * Ends the worker for close(): cancels a connection being awaited, closes the connection and
     * sends SIGTERM. The slot's thread wakes from whatever it waits on and reaps the JVM.
     */
    void terminate() {
        connection.cancel(false);
        FrameChannel now = channel;
        if (now != null) {
            now.close();
        }
        Process running = process;
        if (running != null) {
            running.destroy();
        }
    }

    /** The worker JVM, for close() to wait on and kill. */
    Process process() {
        return process;
    }

    Thread thread() {
        return thread;
    }

    /**
     * The worker's connection if it has come, else null. Not {@code getNow}: close() cancels the
     * future of a worker still starting, and getNow then throws, killing this slot's thread.
     */
    private FrameChannel connectedNow() {
        CompletableFuture<FrameChannel> now = connection;
        return now.state() == java.util.concurrent.Future.State.SUCCESS ? now.resultNow() : null;
    }

    private void cleanUp() {
        FrameChannel now = channel;
        channel = null;
        if (now != null) {
            now.close();
        }
        FrameChannel late = connectedNow();
        if (late != null && late != now) {
            late.close();
        }
        Process old = process;
        if (old != null && old.isAlive()) {
            if (pool.isClosing()) {
                old.destroy(); // close() waits for it, then kills it
            } else {
                old.destroyForcibly(); // a failed start: never leave it running
            }
        }
    }

    @Override
    public String toString() {
        return "worker " + id + " (pid " + pid() + ")";
    }
}
