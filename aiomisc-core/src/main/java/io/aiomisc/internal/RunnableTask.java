package io.aiomisc.internal;

import io.aiomisc.task.Task;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.Cleaner;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Task} behind every task aiomisc runs: a {@link FutureTask} (whose state machine
 * delivers {@code cancel(true)}'s interrupt only while the runner is inside the task, and whose
 * waiting is as cheap as the JDK's) with what aiomisc adds:
 * <ul>
 * <li>{@link #await()} rethrows the task's own exception, and an interrupted awaiter cancels the task;</li>
 * <li>{@link #awaitFinished} waits until the body has really exited (or will never run), which is
 * what "cancel and wait" needs: a cancelled {@code FutureTask} is done at once while its code is
 * still unwinding;</li>
 * <li>{@link #toCompletableFuture()};</li>
 * <li>a failure nobody retrieved is logged when the task is collected (optional).</li>
 * </ul>
 * Body phases: {@code NOT_STARTED → RUNNING → EXITED}, or {@code NOT_STARTED → EXITED} when the
 * task is cancelled or rejected before it runs; whichever of the runner and the canceller wins
 * the first transition decides. A body that ran counts as exited when its runner leaves
 * {@link #run()}: its code has returned <em>and</em> its outcome is set, so an awaiter of the exit
 * also sees the outcome.
 */
public final class RunnableTask<T> extends FutureTask<T> implements Task<T> {
    private static final Logger log = LoggerFactory.getLogger(RunnableTask.class);

    private static final int NOT_STARTED = 0;
    private static final int RUNNING = 1;
    private static final int EXITED = 2;

    private static final VarHandle PHASE;
    private static final VarHandle FINISHED;
    private static final VarHandle COMPLETION;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            PHASE = lookup.findVarHandle(RunnableTask.class, "phase", int.class);
            FINISHED = lookup.findVarHandle(RunnableTask.class, "finished", CompletableFuture.class);
            COMPLETION = lookup.findVarHandle(RunnableTask.class, "completion", CompletableFuture.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String name;
    private final boolean reportUnobserved;
    private volatile int phase = NOT_STARTED;
    private volatile Thread runner; // the thread inside the body, if any
    private volatile CompletableFuture<Void> finished; // made on first use
    private volatile CompletableFuture<T> completion; // made on first use
    private volatile boolean observed;
    private volatile UnobservedFailure unobserved;

    /**
     * @param name             used in logs and {@link #toString()}
     * @param reportUnobserved when true, a failure nobody retrieved is logged at ERROR once the
     *                         task is garbage-collected (as asyncio's "exception was never retrieved")
     */
    public RunnableTask(String name, Callable<T> callable, boolean reportUnobserved) {
        this(name, new Body<>(Objects.requireNonNull(callable, "callable")), reportUnobserved);
    }

    private RunnableTask(String name, Body<T> body, boolean reportUnobserved) {
        super(body);
        body.task = this;
        this.name = Objects.requireNonNull(name, "name");
        this.reportUnobserved = reportUnobserved;
    }

    /** The callable FutureTask runs: tracks the body's phase and thread around the user's callable. */
    private static final class Body<T> implements Callable<T> {
        private final Callable<T> callable;
        RunnableTask<T> task; // set once, right after the task's construction, before it can run

        Body(Callable<T> callable) {
            this.callable = callable;
        }

        @Override
        public T call() throws Exception {
            RunnableTask<T> owner = task;
            if (!PHASE.compareAndSet(owner, NOT_STARTED, RUNNING)) {
                throw new CancellationException("cancelled before it started");
            }
            owner.runner = Thread.currentThread();
            return callable.call();
        }
    }

    /**
     * Runs the task. When this thread ran the body, the body has exited and the outcome is set
     * (by this run, or by a cancel that interrupted it) once {@code super.run()} returns.
     */
    @Override
    public void run() {
        try {
            super.run();
        } finally {
            if (runner == Thread.currentThread()) {
                runner = null;
                markExited();
            }
        }
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        if (cancelled && PHASE.compareAndSet(this, NOT_STARTED, EXITED)) {
            markExited(); // never ran, and now never will: the body's entry finds EXITED
        }
        return cancelled;
    }

    /**
     * Completes a task that has not started with {@code failure} (used when an executor rejects
     * it); returns false if the task had already started or finished.
     */
    public boolean reject(Throwable failure) {
        if (isDone() || !PHASE.compareAndSet(this, NOT_STARTED, EXITED)) {
            return false;
        }
        super.setException(
                failure); // not this class's override: a rejection is reported to the submitter, not as unobserved
        markExited();
        return true;
    }

    @Override
    protected void setException(Throwable failure) {
        super.setException(failure);
        if (reportUnobserved && state() == State.FAILED) {
            watchUnobserved(failure);
        }
    }

    @Override
    protected void done() {
        CompletableFuture<T> current = completion;
        if (current != null) {
            transfer(current);
        }
    }

    /** Waits until the body has exited, or will never run; true if it did within the timeout. */
    public boolean awaitFinished(long timeout, TimeUnit unit) throws InterruptedException {
        if (phase == EXITED) {
            return true;
        }
        try {
            finished().get(timeout, unit);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new AssertionError(e);
        }
    }

    /** Runs {@code action} once the body has exited, or will never run. */
    public void whenFinished(Runnable action) {
        finished().thenRun(action);
    }

    /** True while a thread is inside the body. */
    public boolean isRunning() {
        return phase == RUNNING;
    }

    public String name() {
        return name;
    }

    @Override
    public T get() throws InterruptedException, ExecutionException {
        markObserved();
        return super.get();
    }

    @Override
    public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        markObserved();
        return super.get(timeout, unit);
    }

    @Override
    public T await() throws Exception {
        checkNotSelf();
        return Futures.await(this, null, () -> cancel(true), "task " + name);
    }

    @Override
    public T await(Duration timeout) throws Exception {
        Objects.requireNonNull(timeout, "timeout");
        checkNotSelf();
        return Futures.await(this, timeout, () -> cancel(true), "task " + name);
    }

    @Override
    public CompletableFuture<T> toCompletableFuture() {
        markObserved();
        CompletableFuture<T> view = new CompletableFuture<>();
        Futures.relay(completion(), view);
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
        return super.resultNow();
    }

    @Override
    public Throwable exceptionNow() {
        markObserved();
        return super.exceptionNow();
    }

    @Override
    public String toString() {
        String status =
                switch (state()) {
                    case CANCELLED -> "cancelled";
                    case FAILED -> "failed";
                    case SUCCESS -> "completed";
                    case RUNNING -> isRunning() ? "running" : "pending";
                };
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

    private void markExited() {
        phase = EXITED;
        CompletableFuture<Void> waiting = finished;
        if (waiting != null) {
            waiting.complete(null);
        }
    }

    /** A future of the body's exit, made on first use (most tasks are never waited for this way). */
    private CompletableFuture<Void> finished() {
        CompletableFuture<Void> current = lazyFuture(FINISHED);
        // Dekker-style with markExited(): it writes the phase then reads the future; we do the reverse.
        if (phase == EXITED) {
            current.complete(null);
        }
        return current;
    }

    /** A future of the outcome, made on first use and completed by {@link #done()}. */
    private CompletableFuture<T> completion() {
        CompletableFuture<T> current = lazyFuture(COMPLETION);
        if (isDone()) {
            transfer(current);
        }
        return current;
    }

    /** The future in the field behind {@code handle}, created there by the first caller. */
    @SuppressWarnings("unchecked")
    private <F> CompletableFuture<F> lazyFuture(VarHandle handle) {
        CompletableFuture<F> current = (CompletableFuture<F>) handle.getVolatile(this);
        if (current == null) {
            CompletableFuture<F> created = new CompletableFuture<>();
            Object witness = handle.compareAndExchange(this, null, created);
            current = witness == null ? created : (CompletableFuture<F>) witness;
        }
        return current;
    }

    private void transfer(CompletableFuture<T> target) {
        switch (state()) {
            case SUCCESS -> target.complete(super.resultNow());
            case FAILED -> target.completeExceptionally(super.exceptionNow());
            case CANCELLED -> target.cancel(false);
            case RUNNING -> throw new AssertionError("transfer before completion");
        }
    }

    private void checkNotSelf() {
        if (runner == Thread.currentThread()) {
            throw new IllegalStateException("task " + name + " cannot await itself");
        }
    }

    /**
     * The task's failure if it failed and nobody has retrieved it yet ({@code await}, {@code get},
     * {@code join}, {@code exceptionNow}, {@code toCompletableFuture}); else null. Does not count as
     * retrieving it.
     */
    public Throwable unobservedFailure() {
        return state() == State.FAILED && !observed ? super.exceptionNow() : null;
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
