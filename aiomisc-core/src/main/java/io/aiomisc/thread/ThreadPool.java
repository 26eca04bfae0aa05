package io.aiomisc.thread;

import io.aiomisc.internal.ContextValues;
import io.aiomisc.internal.Current;
import io.aiomisc.internal.Durations;
import io.aiomisc.internal.ExecutionContext;
import io.aiomisc.internal.RunnableTask;
import io.aiomisc.internal.TaskScope;
import io.aiomisc.internal.Threads;
import io.aiomisc.stats.ThreadPoolStatistic;
import io.aiomisc.task.Task;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RunnableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fixed-size pool of platform threads for blocking code: aiomisc's {@code ThreadPoolExecutor},
 * the pool behind {@code threaded} and {@link io.aiomisc.Entrypoint#threadPool()} (named
 * {@code "default"} there).
 *
 * <p>Threads are created on demand up to {@code size} and named
 * {@code aiomisc-pool-<name>-<n>}; they are daemon threads. Tasks wait in an unbounded FIFO queue.
 *
 * <p><b>Context.</b> What the submitting thread has as its current entrypoint, SLF4J MDC and
 * {@link ContextVar}s is captured at submit and installed on the worker while the task runs, then
 * removed, so the next unrelated task does not see it. (The entrypoint's own pool, seen through
 * {@code Entrypoint.threadPool()}, runs work submitted from outside any entrypoint with that
 * entrypoint current.)
 *
 * <p><b>Results.</b> {@code submit} returns a {@link Task}: {@code await()} rethrows the task's own
 * exception, {@code cancel(true)} interrupts the worker while it runs that task (and only then).
 * A task given to {@link #execute} that throws is logged at ERROR, since nobody else can see it.
 *
 * <p><b>Statistics.</b> A {@link ThreadPoolStatistic} with the pool's name: {@code threads},
 * {@code submitted}, {@code done}, {@code success}, {@code error}, {@code sum_time}.
 *
 * <p><b>Closing.</b> {@link #close()} stops accepting tasks, fails every queued task with
 * {@link RejectedExecutionException}, interrupts running tasks and waits up to
 * {@link #DEFAULT_CLOSE_TIMEOUT} for the threads to exit. {@link #shutdown()} and
 * {@link #awaitTermination} keep their {@link java.util.concurrent.ExecutorService} meaning (queued
 * tasks still run). After either, submitting throws {@link RejectedExecutionException}.
 *
 * <p>Thread-safe.
 */
public final class ThreadPool extends AbstractExecutorService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ThreadPool.class);
    private static final AtomicLong ANONYMOUS = new AtomicLong();

    /** aiomisc's default size: the number of CPUs, at least 4 and at most 32. */
    public static final int DEFAULT_SIZE =
            Math.min(Math.max(Runtime.getRuntime().availableProcessors(), 4), 32);

    /** How long {@link #close()} waits for the threads to exit (aiomisc's 10 s). */
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final String name;
    private final int size;
    private final ThreadPoolStatistic statistic;
    private final ThreadPoolExecutor executor;
    private final String taskName;

    /** A pool of {@link #DEFAULT_SIZE} threads whose statistics have no name. */
    public ThreadPool() {
        this(null, DEFAULT_SIZE);
    }

    /**
     * A pool of {@code size} threads, created on demand.
     *
     * @param name the statistics name and thread-name part; null for an anonymous pool
     * @param size the number of threads, at least 1
     * @throws IllegalArgumentException if {@code size < 1}
     */
    public ThreadPool(String name, int size) {
        this(
                name,
                size,
                Threads.platformFactory(
                        "aiomisc-pool-" + (name == null ? "anonymous" + ANONYMOUS.incrementAndGet() : name) + "-",
                        true));
    }

    private ThreadPool(String name, int size, ThreadFactory threads) {
        if (size < 1) {
            throw new IllegalArgumentException("size must be at least 1: " + size);
        }
        this.name = name;
        this.size = size;
        this.taskName = "pool-task-" + (name == null ? "anonymous" : name);
        this.statistic = new ThreadPoolStatistic(name);
        ThreadFactory counted = body -> threads.newThread(() -> {
            statistic.threads.increment();
            try {
                body.run();
            } finally {
                statistic.threads.decrement();
            }
        });
        this.executor = new ThreadPoolExecutor(
                size, size, 0, TimeUnit.NANOSECONDS, new LinkedBlockingQueue<>(), counted, (task, pool) -> {
                    throw new RejectedExecutionException(closedMessage());
                });
    }

    /**
     * The JVM-wide pool {@code threaded} uses outside an entrypoint: {@link #DEFAULT_SIZE} daemon
     * threads named {@code aiomisc-global-pool-threaded-<n>}, created on first use, never closed.
     */
    static ThreadPool shared() {
        return SharedHolder.POOL;
    }

    private static final class SharedHolder {
        static final ThreadPool POOL = new ThreadPool("threaded", DEFAULT_SIZE, Threads.globalFactory("pool-threaded"));
    }

    /**
     * The pool's name, as given at construction.
     *
     * @return the name, or null for an anonymous pool
     */
    public String name() {
        return name;
    }

    /**
     * The number of threads the pool runs at most (it creates them on demand).
     *
     * @return the size given at construction; at least 1
     */
    public int size() {
        return size;
    }

    /**
     * This pool's statistics: live threads, tasks submitted, done, succeeded, failed, time spent.
     *
     * @return the statistic, the same instance on every call
     */
    public ThreadPoolStatistic statistic() {
        return statistic;
    }

    /**
     * Queues {@code task} and returns at once (never blocks).
     *
     * @throws RejectedExecutionException if the pool is closed or shut down
     */
    @Override
    public <T> Task<T> submit(Callable<T> task) {
        RunnableTask<T> future = newTask(task);
        executor.execute(future);
        return future;
    }

    @Override
    public Task<?> submit(Runnable task) {
        return submit(Executors.callable(Objects.requireNonNull(task, "task")));
    }

    @Override
    public <T> Task<T> submit(Runnable task, T result) {
        return submit(Executors.callable(Objects.requireNonNull(task, "task"), result));
    }

    /**
     * Queues {@code command} and returns at once (never blocks); if it throws, the exception is
     * logged at ERROR.
     *
     * @throws RejectedExecutionException if the pool is closed or shut down
     */
    @Override
    public void execute(Runnable command) {
        Objects.requireNonNull(command, "command");
        executor.execute(newTask(() -> {
            try {
                command.run();
            } catch (Throwable t) {
                log.error("Unhandled exception in a task executed by {}", this, t);
                throw t;
            }
            return null;
        }));
    }

    @Override
    protected <T> RunnableFuture<T> newTaskFor(Callable<T> callable) {
        return newTask(callable);
    }

    /** A task of this pool running {@code callable} in the caller's context. */
    private <T> RunnableTask<T> newTask(Callable<T> callable) {
        Objects.requireNonNull(callable, "task");
        if (executor.isShutdown()) {
            throw new RejectedExecutionException(closedMessage());
        }
        statistic.submitted.increment();
        return new RunnableTask<>(taskName, new PoolCall<>(statistic, callable), true);
    }

    /**
     * A submitted callable with the submitter's context (its parts held here, not in a separate
     * object) and the pool's statistics: one object per task besides the task itself.
     */
    private static final class PoolCall<T> implements Callable<T> {
        private final TaskScope scope = Current.scope();
        private final Map<String, String> mdc = ExecutionContext.captureMdc();
        private final Map<ThreadLocal<?>, Object> vars = ContextValues.capture();
        private final ThreadPoolStatistic statistic;
        private final Callable<T> callable;

        PoolCall(ThreadPoolStatistic statistic, Callable<T> callable) {
            this.statistic = statistic;
            this.callable = callable;
        }

        @Override
        public T call() throws Exception {
            long started = System.nanoTime();
            try {
                T result = ExecutionContext.call(scope, mdc, vars, callable);
                statistic.success.increment();
                return result;
            } catch (Throwable t) {
                statistic.error.increment();
                throw t;
            } finally {
                statistic.sumTime.addNanos(System.nanoTime() - started);
            }
        }
    }

    @Override
    protected <T> RunnableFuture<T> newTaskFor(Runnable runnable, T value) {
        return newTaskFor(Executors.callable(runnable, value));
    }

    @Override
    public void shutdown() {
        executor.shutdown();
    }

    /**
     * Stops accepting tasks, interrupts the running ones and returns the queued ones, which are
     * completed with {@link RejectedExecutionException}.
     */
    @Override
    public List<Runnable> shutdownNow() {
        List<Runnable> pending = executor.shutdownNow();
        for (Runnable runnable : pending) {
            if (runnable instanceof RunnableTask<?> task) {
                task.reject(new RejectedExecutionException(closedMessage()));
            }
        }
        return pending;
    }

    @Override
    public boolean isShutdown() {
        return executor.isShutdown();
    }

    @Override
    public boolean isTerminated() {
        return executor.isTerminated();
    }

    /**
     * Blocks until every thread has exited after a shutdown, or {@code timeout} passes, as
     * {@link java.util.concurrent.ExecutorService#awaitTermination} does.
     *
     * @throws InterruptedException if the waiting thread is interrupted (the interrupt status is
     *                              then clear, as usual for a method that throws it)
     */
    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return executor.awaitTermination(timeout, unit);
    }

    /**
     * Closes the pool, waiting up to {@link #DEFAULT_CLOSE_TIMEOUT}: see the class description and
     * {@link #close(Duration)} (blocking, not interruptible, the interrupt status set again).
     * Idempotent.
     */
    @Override
    public void close() {
        close(DEFAULT_CLOSE_TIMEOUT);
    }

    /**
     * Stops accepting tasks, fails every queued task with {@link RejectedExecutionException},
     * interrupts running tasks and waits up to {@code timeout} for the threads to exit; logs a
     * warning naming the pool if some did not. Idempotent.
     *
     * <p>Blocks up to {@code timeout}. Not interruptible: an interrupt of the calling thread (even
     * one pending on entry) does not end the wait early, so the threads really are gone when this
     * returns true; the interrupt status is set again before returning.
     *
     * @param timeout the longest wait for the threads to exit; zero or positive
     * @return true if every thread exited in time
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws NullPointerException     if {@code timeout} is null
     */
    public boolean close(Duration timeout) {
        Durations.requireNonNegative("timeout", timeout);
        shutdownNow();
        long deadline = Durations.deadline(timeout);
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    if (executor.awaitTermination(Durations.remaining(deadline), TimeUnit.NANOSECONDS)) {
                        return true;
                    }
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        log.warn("Waiting for the threads of {} to exit timed out after {}", this, timeout);
        return false;
    }

    @Override
    public String toString() {
        return "ThreadPool[" + (name == null ? "anonymous" : name) + ", size=" + size
                + (executor.isShutdown() ? ", closed" : "") + "]";
    }

    private String closedMessage() {
        return "ThreadPool " + (name == null ? "(anonymous)" : "'" + name + "'") + " is closed";
    }
}
