package io.aiomisc.thread;

import io.aiomisc.Entrypoint;
import io.aiomisc.internal.Current;
import io.aiomisc.internal.Durations;
import io.aiomisc.internal.ExecutionContext;
import io.aiomisc.internal.RunnableTask;
import io.aiomisc.internal.Threads;
import io.aiomisc.stats.ThreadPoolStatistic;
import io.aiomisc.task.Task;
import java.time.Duration;
import java.util.List;
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
 * <p><b>Context.</b> What the submitting thread has as its current entrypoint and SLF4J MDC is
 * captured at submit and installed on the worker while the task runs, then removed, so the next
 * unrelated task does not see it. A pool made for an entrypoint ({@link #ThreadPool(String, int,
 * Entrypoint)}) runs tasks submitted from outside any entrypoint with that one as current.
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
    public static final int DEFAULT_SIZE = Math.min(Math.max(Runtime.getRuntime().availableProcessors(), 4), 32);

    /** How long {@link #close()} waits for the threads to exit (aiomisc's 10 s). */
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final String name;
    private final int size;
    private final ThreadPoolStatistic statistic;
    private final ThreadPoolExecutor executor;
    private final Entrypoint owner;
    private final String taskName;

    /** A pool of {@link #DEFAULT_SIZE} threads whose statistics have no name. */
    public ThreadPool() {
        this(null, DEFAULT_SIZE);
    }

    /**
     * @param name the statistics name and thread-name part; null for an anonymous pool
     * @param size the number of threads, at least 1
     * @throws IllegalArgumentException if {@code size < 1}
     */
    public ThreadPool(String name, int size) {
        this(name, size, null);
    }

    /**
     * A pool that belongs to {@code owner}: tasks submitted from a thread with no current
     * entrypoint run with {@code owner} as {@link Entrypoint#current()}.
     *
     * @param name  the statistics name and thread-name part; null for an anonymous pool
     * @param size  the number of threads, at least 1
     * @param owner the entrypoint tasks default to; null for none
     * @throws IllegalArgumentException if {@code size < 1}
     */
    public ThreadPool(String name, int size, Entrypoint owner) {
        this(name, size, owner, Threads.platformFactory(
                "aiomisc-pool-" + (name == null ? "anonymous" + ANONYMOUS.incrementAndGet() : name) + "-", true));
    }

    private ThreadPool(String name, int size, Entrypoint owner, ThreadFactory threads) {
        if (size < 1) {
            throw new IllegalArgumentException("size must be at least 1: " + size);
        }
        this.name = name;
        this.size = size;
        this.owner = owner;
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
        this.executor = new ThreadPoolExecutor(size, size, 0, TimeUnit.NANOSECONDS,
                new LinkedBlockingQueue<>(), counted, (task, pool) -> {
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
        static final ThreadPool POOL = new ThreadPool("threaded", DEFAULT_SIZE, null, Threads.globalFactory("pool-threaded"));
    }

    /** The pool's name, or null. */
    public String name() {
        return name;
    }

    /** The number of threads. */
    public int size() {
        return size;
    }

    /** This pool's statistics. */
    public ThreadPoolStatistic statistic() {
        return statistic;
    }

    @Override
    public <T> Task<T> submit(Callable<T> task) {
        RunnableTask<T> future = newTaskFor(task);
        executor.execute(future);
        return future;
    }

    /** {@link #submit(Callable)} for a caller that has already looked up its current entrypoint. */
    <T> Task<T> submit(Callable<T> task, Entrypoint current) {
        RunnableTask<T> future = newTask(task, current);
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

    @Override
    public void execute(Runnable command) {
        Objects.requireNonNull(command, "command");
        executor.execute(newTaskFor(() -> {
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
    protected <T> RunnableTask<T> newTaskFor(Callable<T> callable) {
        return newTask(callable, Current.entrypoint());
    }

    /** A task of this pool running {@code callable} in the caller's context, {@code current} its entrypoint (or null). */
    private <T> RunnableTask<T> newTask(Callable<T> callable, Entrypoint current) {
        Objects.requireNonNull(callable, "task");
        if (executor.isShutdown()) {
            throw new RejectedExecutionException(closedMessage());
        }
        statistic.submitted.increment();
        return new RunnableTask<>(taskName, new PoolCall<>(current != null ? current : owner, statistic, callable), true);
    }

    /** A submitted callable with the submitter's context and the pool's statistics: one object per task. */
    private static final class PoolCall<T> extends ExecutionContext implements Callable<T> {
        private final ThreadPoolStatistic statistic;
        private final Callable<T> callable;

        PoolCall(Entrypoint entrypoint, ThreadPoolStatistic statistic, Callable<T> callable) {
            super(entrypoint);
            this.statistic = statistic;
            this.callable = callable;
        }

        @Override
        public T call() throws Exception {
            long started = System.nanoTime();
            try {
                T result = call(callable);
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

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return executor.awaitTermination(timeout, unit);
    }

    /**
     * Closes the pool, waiting up to {@link #DEFAULT_CLOSE_TIMEOUT}: see the class description.
     * Idempotent.
     */
    @Override
    public void close() {
        close(DEFAULT_CLOSE_TIMEOUT);
    }

    /**
     * Stops accepting tasks, fails every queued task with {@link RejectedExecutionException},
     * interrupts running tasks and waits up to {@code timeout} for the threads to exit; logs a
     * warning naming the pool if some did not. Idempotent. If the calling thread is interrupted
     * while waiting, it stops waiting and keeps its interrupt status.
     *
     * @return true if every thread exited in time
     */
    public boolean close(Duration timeout) {
        Durations.requireNonNegative("timeout", timeout);
        shutdownNow();
        try {
            if (executor.awaitTermination(Durations.toNanos(timeout), TimeUnit.NANOSECONDS)) {
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
