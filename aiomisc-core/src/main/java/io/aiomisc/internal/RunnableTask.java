package io.aiomisc.internal;

import io.aiomisc.task.Task;
import java.lang.ref.Cleaner;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RunnableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Task} behind every task aiomisc runs: a {@link Callable} run once by whichever thread
 * calls {@link #run()} (a virtual thread of its own, or a pool thread).
 *
 * <p>States, guarded by {@code lock}:
 * <pre>
 *   NEW -----run()-----> RUNNING --body returns/throws--> DONE
 *    |                     |
 *    +--cancel()/reject()  +--cancel(): CANCELLED (the body is interrupted if asked, and its outcome ignored)
 * </pre>
 * The outcome future completes when the task is done or cancelled; {@link #awaitFinished} waits
 * until the body has really exited (or will never run), which is what "cancel and wait" needs.
 * A cancel can only interrupt the runner while the runner is inside this task's {@code run()}:
 * the runner field is cleared under the same lock that {@code cancel} interrupts under.
 */
public final class RunnableTask<T> implements Task<T>, RunnableFuture<T> {
    private static final Logger log = LoggerFactory.getLogger(RunnableTask.class);

    private enum State { NEW, RUNNING, DONE, CANCELLED }

    private final Callable<T> callable;
    private final String name;
    private final boolean reportUnobserved;
    private final CompletableFuture<T> outcome = new CompletableFuture<>();
    private final CompletableFuture<Void> finished = new CompletableFuture<>();
    private final ReentrantLock lock = new ReentrantLock();
    private State state = State.NEW; // guarded by lock
    private Thread runner; // guarded by lock
    private volatile boolean observed;
    private volatile UnobservedFailure unobserved;

    /**
     * @param name             used in logs and {@link #toString()}
     * @param reportUnobserved when true, a failure nobody retrieved is logged at ERROR once the
     *                         task is garbage-collected (as asyncio's "exception was never retrieved")
     */
    public RunnableTask(String name, Callable<T> callable, boolean reportUnobserved) {
        this.name = Objects.requireNonNull(name, "name");
        this.callable = Objects.requireNonNull(callable, "callable");
        this.reportUnobserved = reportUnobserved;
    }

    @Override
    public void run() {
        lock.lock();
        try {
            if (state != State.NEW) {
                return;
            }
            state = State.RUNNING;
            runner = Thread.currentThread();
        } finally {
            lock.unlock();
        }
        T value = null;
        Throwable failure = null;
        try {
            value = callable.call();
        } catch (Throwable t) {
            failure = t;
        }
        boolean cancelled;
        lock.lock();
        try {
            runner = null;
            cancelled = state == State.CANCELLED;
            if (!cancelled) {
                state = State.DONE;
            }
        } finally {
            lock.unlock();
        }
        if (!cancelled) {
            if (failure == null) {
                outcome.complete(value);
            } else {
                outcome.completeExceptionally(failure);
                if (reportUnobserved) {
                    watchUnobserved(failure);
                }
            }
        }
        finished.complete(null);
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean neverRan;
        lock.lock();
        try {
            if (state == State.DONE || state == State.CANCELLED) {
                return false;
            }
            neverRan = state == State.NEW;
            state = State.CANCELLED;
            if (mayInterruptIfRunning && runner != null) {
                runner.interrupt();
            }
        } finally {
            lock.unlock();
        }
        outcome.cancel(false);
        if (neverRan) {
            finished.complete(null);
        }
        return true;
    }

    /**
     * Completes a task that has not started with {@code failure} (used when an executor rejects
     * it); returns false if the task had already started or finished.
     */
    public boolean reject(Throwable failure) {
        lock.lock();
        try {
            if (state != State.NEW) {
                return false;
            }
            state = State.DONE;
        } finally {
            lock.unlock();
        }
        outcome.completeExceptionally(failure);
        finished.complete(null);
        return true;
    }

    /** Waits until the body has exited, or will never run; true if it did within the timeout. */
    public boolean awaitFinished(long timeout, TimeUnit unit) throws InterruptedException {
        try {
            finished.get(timeout, unit);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new AssertionError(e);
        }
    }

    /** Runs {@code action} once the body has exited, or will never run. */
    public void whenFinished(Runnable action) {
        finished.thenRun(action);
    }

    /** True while a thread is inside the body. */
    public boolean isRunning() {
        lock.lock();
        try {
            return runner != null;
        } finally {
            lock.unlock();
        }
    }

    public String name() {
        return name;
    }

    @Override
    public boolean isCancelled() {
        return outcome.isCancelled();
    }

    @Override
    public boolean isDone() {
        return outcome.isDone();
    }

    @Override
    public T get() throws InterruptedException, ExecutionException {
        markObserved();
        return outcome.get();
    }

    @Override
    public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        markObserved();
        return outcome.get(timeout, unit);
    }

    @Override
    public T await() throws Exception {
        markObserved();
        checkNotSelf();
        return Futures.await(outcome, null, () -> cancel(true), "task " + name);
    }

    @Override
    public T await(Duration timeout) throws Exception {
        Objects.requireNonNull(timeout, "timeout");
        markObserved();
        checkNotSelf();
        return Futures.await(outcome, timeout, () -> cancel(true), "task " + name);
    }

    @Override
    public CompletableFuture<T> toCompletableFuture() {
        markObserved();
        CompletableFuture<T> view = new CompletableFuture<>();
        Futures.relay(outcome, view);
        view.whenComplete((value, failure) -> {
            if (failure instanceof CancellationException) {
                cancel(true);
            }
        });
        return view;
    }

    @Override
    public T resultNow() {
        markObserved();
        return outcome.resultNow();
    }

    @Override
    public Throwable exceptionNow() {
        markObserved();
        return outcome.exceptionNow();
    }

    @Override
    public String toString() {
        String status;
        if (outcome.isCancelled()) {
            status = "cancelled";
        } else if (outcome.isCompletedExceptionally()) {
            status = "failed";
        } else if (outcome.isDone()) {
            status = "completed";
        } else {
            status = isRunning() ? "running" : "pending";
        }
        return "Task[" + name + ", " + status + "]";
    }

    /** The exception to throw for a task failure: the task's own, unwrapped. */
    public static Exception rethrowable(Throwable failure) {
        if (failure instanceof Error error) {
            throw error;
        }
        if (failure instanceof Exception exception) {
            return exception;
        }
        return new ExecutionException(failure);
    }

    private void checkNotSelf() {
        lock.lock();
        try {
            if (runner == Thread.currentThread()) {
                throw new IllegalStateException("task " + name + " cannot await itself");
            }
        } finally {
            lock.unlock();
        }
    }

    private void markObserved() {
        observed = true;
        UnobservedFailure pending = unobserved;
        if (pending != null) {
            pending.observed = true;
        }
    }

    private void watchUnobserved(Throwable failure) {
        // Dekker-style: publish the record, then re-check; markObserved() writes the flag, then reads the record.
        UnobservedFailure record = new UnobservedFailure(name, failure);
        unobserved = record;
        if (observed) {
            record.observed = true;
            return;
        }
        CleanerHolder.CLEANER.register(this, record);
    }

    private static final class UnobservedFailure implements Runnable {
        private final String name;
        private final Throwable failure;
        volatile boolean observed;

        UnobservedFailure(String name, Throwable failure) {
            this.name = name;
            this.failure = failure;
        }

        @Override
        public void run() {
            if (!observed) {
                log.error("Task {} failed and its exception was never retrieved", name, failure);
            }
        }
    }

    private static final class CleanerHolder {
        static final Cleaner CLEANER = Cleaner.create(Threads.globalFactory("cleaner"));
    }
}
