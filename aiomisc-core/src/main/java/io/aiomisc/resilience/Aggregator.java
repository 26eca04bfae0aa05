package io.aiomisc.resilience;

import io.aiomisc.internal.Durations;
import io.aiomisc.internal.Interruptions;
import io.aiomisc.internal.RunnableTask;
import io.aiomisc.stats.AggregateStatistic;
import io.aiomisc.time.TimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Batches many single calls into one call of a batch function: what {@link Aggregate} returns.
 *
 * <p>The first call of a batch opens a window of {@code leeway}; every call made within it joins
 * the batch. The batch closes when the window ends, or at once when it holds {@code maxCount}
 * arguments (0 = no limit; later callers start the next batch). Then one of the batch's callers
 * runs the batch function for all of them, and each caller gets its own result. If the batch
 * function throws, every caller gets that same exception; arguments left without a result get
 * {@link ResultNotSetException}. If the thread running the batch is interrupted (the batch
 * function ends with {@link InterruptedException}, or {@link java.util.concurrent.CancellationException}
 * while interrupted), that caller gets the interruption and another caller of the batch runs it
 * again, so the others still get their results.
 *
 * <p>Thread-safe; every caller blocks until its result is there.
 *
 * @param <A> the argument type
 * @param <R> the result type
 */
public final class Aggregator<A, R> {
    private static final Logger log = LoggerFactory.getLogger(Aggregator.class);

    private final Duration leeway;
    private final int maxCount;
    private final Consumer<List<Arg<A, R>>> batchFunction;
    private final TimeSource time;
    private final AggregateStatistic statistic;
    private final ReentrantLock lock = new ReentrantLock();
    private Batch<A, R> current; // guarded by lock

    Aggregator(Duration leeway, int maxCount, Consumer<List<Arg<A, R>>> batchFunction, TimeSource time, String name) {
        this.leeway = Durations.requirePositive("leeway", leeway);
        if (maxCount < 0) {
            throw new IllegalArgumentException("maxCount must not be negative (0 = unbounded): " + maxCount);
        }
        this.maxCount = maxCount;
        this.batchFunction = Objects.requireNonNull(batchFunction, "batch");
        this.time = Objects.requireNonNull(time, "timeSource");
        this.statistic = new AggregateStatistic(name);
        this.statistic.leewayMs.set(leeway.toNanos() / 1e6);
        this.statistic.maxCount.set(maxCount);
        this.current = new Batch<>();
    }

    /** The arguments of one batch and everything its callers share. */
    private static final class Batch<A, R> {
        final List<Arg<A, R>> args = new ArrayList<>(); // guarded by the aggregator's lock until closed
        final CompletableFuture<Void> closed = new CompletableFuture<>();
        final ReentrantLock execution = new ReentrantLock();
        TimeSource.Scheduled window; // guarded by the aggregator's lock
    }

    /**
     * Adds {@code argument} to the current batch, waits for the batch to run, and returns this
     * caller's result.
     *
     * <p><b>Blocks</b> without a time limit: until the batch's window ends (or it is full) and the
     * batch function has run; the caller may be the one that runs it. <b>Interrupt:</b> ends the
     * wait with {@link InterruptedException}, the interrupt status clear; the argument stays in the
     * batch, and if this caller was running the batch function, another caller runs it again.
     *
     * @param argument this caller's argument (may be null, if the batch function accepts it)
     * @return the batch function's result for {@code argument}
     * @throws InterruptedException  if interrupted while waiting (the argument stays in the batch)
     * @throws ResultNotSetException if the batch gave no result for this argument
     * @throws Exception             the batch function's exception, the same for every caller
     */
    public R call(A argument) throws Exception {
        Arg<A, R> arg = new Arg<>(argument, new CompletableFuture<>());
        Batch<A, R> batch;
        boolean full;
        lock.lock();
        try {
            batch = current;
            batch.args.add(arg);
            full = maxCount > 0 && batch.args.size() >= maxCount;
            if (full) {
                current = new Batch<>();
                if (batch.window != null) {
                    batch.window.cancel();
                }
            } else if (batch.args.size() == 1) {
                Batch<A, R> opened = batch;
                batch.window = time.schedule(leeway, () -> closeWindow(opened));
            }
        } finally {
            lock.unlock();
        }
        if (full) {
            batch.closed.complete(null);
        } else {
            try {
                batch.closed.get();
            } catch (ExecutionException e) {
                throw new AssertionError(e);
            }
        }
        batch.execution.lockInterruptibly();
        try {
            if (!arg.future().isDone()) {
                execute(batch);
            }
        } finally {
            batch.execution.unlock();
        }
        try {
            return arg.future().get();
        } catch (ExecutionException e) {
            throw RunnableTask.rethrowable(e.getCause());
        }
    }

    /** The leeway window of {@code batch} ended: later callers start a new batch. */
    private void closeWindow(Batch<A, R> batch) {
        lock.lock();
        try {
            if (current == batch) {
                current = new Batch<>();
            }
        } finally {
            lock.unlock();
        }
        log.debug("Aggregation window of {} closed with {} calls", leeway, batch.args.size());
        batch.closed.complete(null);
    }

    /** Runs the batch function for {@code batch}; under its execution lock. */
    private void execute(Batch<A, R> batch) throws Exception {
        List<Arg<A, R>> args = List.copyOf(batch.args);
        try {
            batchFunction.accept(args);
            statistic.success.increment();
            ResultNotSetException missing = null;
            for (Arg<A, R> arg : args) {
                if (!arg.future().isDone()) {
                    if (missing == null) {
                        missing = new ResultNotSetException("the batch function set no result for this argument");
                    }
                    arg.future().completeExceptionally(missing);
                }
            }
        } catch (Throwable failure) {
            if (isInterruption(failure)) {
                // this caller was cancelled mid-batch: leave the futures for another caller to fill
                throw RunnableTask.rethrowable(failure);
            }
            statistic.error.increment();
            for (Arg<A, R> arg : args) {
                arg.future().completeExceptionally(failure);
            }
        } finally {
            statistic.done.increment();
        }
    }

    /**
     * The batch function ended because its thread was interrupted: an {@link InterruptedException}
     * (thrown, or wrapped as the cause), or a cancellation exception with the interrupt status set.
     */
    private static boolean isInterruption(Throwable failure) {
        return failure instanceof InterruptedException
                || failure.getCause() instanceof InterruptedException
                || (Interruptions.isCancellation(failure)
                        && Thread.currentThread().isInterrupted());
    }

    /** The number of arguments in the batch being collected now. */
    int pending() {
        lock.lock();
        try {
            return current.args.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The window a batch collects calls for, from its first call.
     *
     * @return the leeway given at creation; positive
     */
    public Duration leeway() {
        return leeway;
    }

    /**
     * The most arguments per batch.
     *
     * @return the limit given at creation; 0 for no limit
     */
    public int maxCount() {
        return maxCount;
    }

    /**
     * This aggregator's counters (batches done, succeeded, failed) and settings.
     *
     * @return the statistic, the same instance on every call
     */
    public AggregateStatistic statistic() {
        return statistic;
    }

    @Override
    public String toString() {
        return "Aggregator[leeway=" + leeway + ", maxCount=" + maxCount + "]";
    }
}
