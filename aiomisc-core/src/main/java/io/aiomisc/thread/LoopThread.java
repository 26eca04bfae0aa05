package io.aiomisc.thread;

import io.aiomisc.Entrypoint;
import io.aiomisc.internal.Durations;
import io.aiomisc.internal.Futures;
import io.aiomisc.task.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A runtime in the background that ordinary threads drive: the Java form of quara-concurrency's
 * {@code AsyncioThread} (a thread running an asyncio loop that other threads submit coroutines to).
 *
 * <pre>{@code
 * try (LoopThread loop = new LoopThread()) {
 *     loop.start();
 *     Future<String> answer = loop.runThreadsafe(() -> fetch(url));   // from any thread
 *     System.out.println(answer.get());
 * }                                                                  // stops; its tasks are cancelled
 * }</pre>
 *
 * <p>Behind it is an {@link Entrypoint} without services (no logging configuration, no signal
 * handling): every callable submitted runs as one of its tasks, on a virtual thread of its own,
 * with that entrypoint as {@link Entrypoint#current()} (so {@code Threaded.threaded} inside uses
 * the loop's thread pool). Stopping cancels, by interruption, every task still running and waits
 * for them.
 *
 * <p><b>No deadlock from inside.</b> In asyncio, blocking the loop's own thread on a future that
 * the loop must complete deadlocks. Here there is no single loop thread: each task has a thread
 * of its own, so a task may call {@code runThreadsafe(...).get()} and simply block its own
 * virtual thread while the other task runs.
 *
 * <p>States: new → started ({@link #start()}) → stopped ({@link #stopThreadsafe()} or
 * {@link #close()}); a stopped loop cannot be started again. Thread-safe.
 */
public final class LoopThread implements AutoCloseable {
    private final ReentrantLock lock = new ReentrantLock();
    private final List<Callable<?>> registered = new ArrayList<>(); // guarded by lock
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private final Duration shutdownTimeout;
    private Entrypoint entrypoint; // guarded by lock
    private boolean starting; // guarded by lock: start() is building the entrypoint, outside the lock
    private boolean stopping; // guarded by lock

    /** A loop that allows its tasks 10 s to finish after being cancelled at stop. */
    public LoopThread() {
        this(Duration.ofSeconds(10));
    }

    /**
     * A loop that allows its tasks {@code shutdownTimeout} to finish after being cancelled at stop.
     *
     * @param shutdownTimeout how long stopping waits for cancelled tasks to finish (the loop
     *                        entrypoint's {@code shutdownTimeout})
     * @throws IllegalArgumentException if {@code shutdownTimeout} is negative or longer than
     *                                  {@link Entrypoint#MAX_SHUTDOWN_TIMEOUT} (1 day)
     * @throws NullPointerException     if {@code shutdownTimeout} is null
     */
    public LoopThread(Duration shutdownTimeout) {
        this.shutdownTimeout = Durations.requireBetween(
                "shutdownTimeout", shutdownTimeout, Duration.ZERO, Entrypoint.MAX_SHUTDOWN_TIMEOUT);
    }

    /**
     * Registers {@code work} to start as a task when the loop starts (the {@code @thread.task}
     * decorator); it is cancelled when the loop stops.
     *
     * @param work the task's code, started in registration order by {@link #start()}
     * @throws IllegalStateException if the loop has already started (or is starting or stopped)
     * @throws NullPointerException  if {@code work} is null
     */
    public void task(Callable<?> work) {
        Objects.requireNonNull(work, "work");
        lock.lock();
        try {
            if (entrypoint != null || starting || stopping) {
                throw new IllegalStateException("task() registers work before start(); use createTaskThreadsafe() now");
            }
            registered.add(work);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Starts the loop and the registered tasks. When it returns, submitting works. Blocks while the
     * loop's entrypoint starts (it has no services, catches no signals and configures no logging);
     * plugins run then, on the calling thread.
     *
     * @return this loop, started
     * @throws IllegalStateException if already started or stopped, if the loop was stopped while
     *                               starting, or, wrapping it, if the entrypoint's start threw a
     *                               checked exception
     */
    public LoopThread start() {
        lock.lock();
        try {
            if (entrypoint != null || starting || stopping) {
                throw new IllegalStateException("a LoopThread can be started once");
            }
            starting = true;
        } finally {
            lock.unlock();
        }
        // The entrypoint's start runs plugins and signal receivers: never under our lock.
        Entrypoint started;
        try {
            started = Entrypoint.builder()
                    .logConfig(false)
                    .catchSignals(false)
                    .shutdownTimeout(shutdownTimeout)
                    .start();
        } catch (RuntimeException e) {
            abandonStart();
            throw e;
        } catch (Exception e) {
            abandonStart();
            throw new IllegalStateException("the loop failed to start", e);
        }
        List<Callable<?>> work;
        boolean stoppedMeanwhile;
        lock.lock();
        try {
            starting = false;
            stoppedMeanwhile = stopping;
            if (!stoppedMeanwhile) {
                entrypoint = started;
            }
            work = List.copyOf(registered);
            registered.clear();
        } finally {
            lock.unlock();
        }
        if (stoppedMeanwhile) {
            started.close();
            throw new IllegalStateException("the LoopThread was stopped while it was starting");
        }
        for (Callable<?> task : work) {
            started.createTask(task);
        }
        return this;
    }

    private void abandonStart() {
        lock.lock();
        try {
            starting = false;
            stopping = true;
        } finally {
            lock.unlock();
        }
        stopped.complete(null);
    }

    /**
     * Runs {@code work} in the loop and returns a future of its result (failures come as the
     * {@link java.util.concurrent.ExecutionException}'s cause). Callable from any thread, the
     * loop's own tasks included. The same as {@link #createTaskThreadsafe}, typed as a plain
     * {@link Future}.
     *
     * @param <T>  the result type
     * @param work the code to run, on a virtual thread of its own
     * @return the future of its result; {@code cancel(true)} interrupts it
     * @throws NullPointerException       if {@code work} is null
     * @throws IllegalStateException      if the loop has not started
     * @throws RejectedExecutionException if it has stopped
     */
    public <T> Future<T> runThreadsafe(Callable<T> work) {
        return createTaskThreadsafe(work);
    }

    /**
     * Starts {@code work} as a task of the loop; it is cancelled when the loop stops. Callable from
     * any thread; never blocks.
     *
     * @param <T>  the result type
     * @param work the code to run, on a virtual thread of its own
     * @return the running task
     * @throws NullPointerException       if {@code work} is null
     * @throws IllegalStateException      if the loop has not started
     * @throws RejectedExecutionException if it has stopped
     */
    public <T> Task<T> createTaskThreadsafe(Callable<T> work) {
        Objects.requireNonNull(work, "work");
        return running().createTask(work);
    }

    /**
     * Begins stopping the loop and returns at once; the future completes when every task has
     * finished. Idempotent. Before {@link #start()}, just marks the loop stopped. Never blocks: the
     * stop runs on a virtual thread of its own.
     *
     * @return a new future (a copy per call, so completing or cancelling it affects nothing else)
     *         completed when the loop has stopped, or failed with what the loop's entrypoint threw
     *         while closing
     */
    public CompletableFuture<Void> stopThreadsafe() {
        Entrypoint current;
        lock.lock();
        try {
            if (stopping) {
                return stopped.copy();
            }
            stopping = true;
            current = entrypoint;
        } finally {
            lock.unlock();
        }
        if (current == null) {
            stopped.complete(null);
        } else {
            Thread.ofVirtual().name("aiomisc-loop-stop").start(() -> {
                try {
                    current.close();
                    stopped.complete(null);
                } catch (Throwable t) {
                    stopped.completeExceptionally(t);
                }
            });
        }
        return stopped.copy();
    }

    /**
     * Whether the loop runs: true between {@link #start()} and the end of stopping.
     *
     * @return true if started and not yet fully stopped
     */
    public boolean isAlive() {
        lock.lock();
        try {
            return entrypoint != null && !stopped.isDone();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits up to {@code timeout} for the loop to stop. Blocks; an interrupt ends the wait with
     * {@link InterruptedException} (the interrupt status then clear) and leaves the loop alone.
     *
     * @param timeout the longest wait; a negative one counts as zero
     * @return true if it stopped (also when the stop failed), false if {@code timeout} passed first
     * @throws NullPointerException if {@code timeout} is null
     * @throws InterruptedException if the waiting thread is interrupted
     */
    public boolean join(Duration timeout) throws InterruptedException {
        try {
            stopped.get(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return true;
        }
    }

    /**
     * Stops the loop and waits until every task has finished (at most the shutdown timeout per
     * phase). Idempotent. From one of the loop's own tasks it only begins the stop. Blocks, and
     * is not interruptible, as {@code Entrypoint.close()}: an interrupt does not cut the wait
     * short; the interrupt status is set again on return.
     *
     * @throws RuntimeException what the loop's entrypoint threw while closing (see
     *                          {@code Entrypoint.close()})
     */
    @Override
    public void close() {
        CompletableFuture<Void> done = stopThreadsafe();
        Entrypoint current;
        lock.lock();
        try {
            current = entrypoint;
        } finally {
            lock.unlock();
        }
        if (current != null && isInside(current)) {
            return;
        }
        Futures.awaitUninterruptibly(done);
        if (done.isCompletedExceptionally()) {
            Throwable failure = done.exceptionNow();
            if (failure instanceof RuntimeException unchecked) {
                throw unchecked;
            }
            if (failure instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("the loop failed to stop", failure);
        }
    }

    /** True if the calling thread belongs to {@code loop}: waiting for the stop would be waiting for itself. */
    private static boolean isInside(Entrypoint loop) {
        try {
            return Entrypoint.current() == loop;
        } catch (IllegalStateException outside) {
            return false;
        }
    }

    private Entrypoint running() {
        lock.lock();
        try {
            if (entrypoint == null && !stopping) {
                throw new IllegalStateException("the LoopThread has not been started");
            }
            if (stopping) {
                throw new RejectedExecutionException("the LoopThread is stopped");
            }
            return entrypoint;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "LoopThread[" + (isAlive() ? "alive" : stopping ? "stopped" : "new") + "]";
    }
}
