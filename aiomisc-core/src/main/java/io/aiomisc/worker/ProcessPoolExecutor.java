package io.aiomisc.worker;

import io.aiomisc.internal.Futures;
import io.aiomisc.internal.Threads;
import io.aiomisc.stats.ProcessPoolStatistic;
import io.aiomisc.task.Task;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An {@link ExecutorService} whose tasks run in worker JVMs: aiomisc's {@code ProcessPoolExecutor},
 * on the machinery of {@link WorkerPool} (authenticated IPC, crash isolation, hard cancellation).
 * Tasks must be {@link Serializable}: a {@code Callable} or {@code Runnable} that is not is refused
 * at submission with an {@link IllegalArgumentException}. The returned futures are {@link Task}s;
 * {@code cancel(true)} interrupts the task inside its worker.
 *
 * <p>The workers start with the first task. {@link #shutdown()} lets submitted tasks finish, then
 * stops the workers; {@link #shutdownNow()} and {@link #close()} cancel everything at once. A worker
 * that dies fails its task with {@link WorkerDiedException} (aiomisc: {@code BrokenProcessPool})
 * and is replaced.
 *
 * <p>{@link ProcessPoolStatistic} counts {@code processes} (workers connected now),
 * {@code submitted}, {@code done}, {@code success}, {@code error} (failed or cancelled) and
 * {@code sum_time} (submission to outcome).
 *
 * <p>Thread-safety: every method may be called from any thread.
 */
public final class ProcessPoolExecutor implements ExecutorService {
    /** Workers of {@link #ProcessPoolExecutor()}: the number of processors, at least 4 (aiomisc's default). */
    public static final int DEFAULT_WORKERS = Math.max(4, Runtime.getRuntime().availableProcessors());

    private final WorkerPool pool;
    private final ProcessPoolStatistic statistic;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    private final Set<Task<?>> inFlight = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private boolean shutdown; // guarded by lock
    private boolean closing; // guarded by lock: the pool is being (or has been) closed

    /** An executor with {@link #DEFAULT_WORKERS} workers. */
    public ProcessPoolExecutor() {
        this(DEFAULT_WORKERS);
    }

    /**
     * An executor with {@code workers} worker JVMs and a statistic without a name.
     *
     * @param workers at least 1
     * @throws IllegalArgumentException if {@code workers < 1}
     */
    public ProcessPoolExecutor(int workers) {
        this(workers, null);
    }

    /**
     * An executor with {@code workers} worker JVMs.
     *
     * @param workers       at least 1
     * @param statisticName the name of its {@link ProcessPoolStatistic}, or null
     * @throws IllegalArgumentException if {@code workers < 1}
     */
    public ProcessPoolExecutor(int workers, String statisticName) {
        this.pool = WorkerPool.builder().workers(workers).build();
        this.statistic = new ProcessPoolStatistic(statisticName);
        pool.countProcessesIn(statistic.processes);
    }

    /**
     * This executor's counters; {@code processes} is read from the pool when reported.
     *
     * @return the statistic
     */
    public ProcessPoolStatistic statistic() {
        return statistic;
    }

    /**
     * The pids of the worker JVMs connected now.
     *
     * @return a snapshot
     */
    public Set<Long> pids() {
        return pool.pids();
    }

    @Override
    public <T> Task<T> submit(Callable<T> task) {
        Objects.requireNonNull(task, "task");
        if (!(task instanceof Serializable)) {
            throw new IllegalArgumentException("a ProcessPoolExecutor task must be Serializable: "
                    + task.getClass().getName()
                    + " is not (a lambda is serializable when its target type is, e.g. WorkerTask)");
        }
        return enqueue(new CallableTask<>(task));
    }

    @Override
    public <T> Task<T> submit(Runnable task, T result) {
        Objects.requireNonNull(task, "task");
        requireSerializable(task);
        if (result != null && !(result instanceof Serializable)) {
            throw new IllegalArgumentException(
                    "result must be Serializable: " + result.getClass().getName());
        }
        return enqueue(new RunnableTask<>(task, result));
    }

    @Override
    public Task<?> submit(Runnable task) {
        return submit(task, null);
    }

    /**
     * Runs {@code command} in a worker; its failure is visible only in the statistic and the
     * worker's log. Prefer {@link #submit}.
     *
     * @throws IllegalArgumentException   if {@code command} is not serializable
     * @throws RejectedExecutionException after shutdown
     */
    @Override
    public void execute(Runnable command) {
        submit(command);
    }

    private static void requireSerializable(Runnable task) {
        if (!(task instanceof Serializable)) {
            throw new IllegalArgumentException("a ProcessPoolExecutor task must be Serializable: "
                    + task.getClass().getName() + " is not (cast a lambda to (Runnable & Serializable))");
        }
    }

    private <T> Task<T> enqueue(WorkerTask<T> task) {
        lock.lock();
        try {
            if (shutdown) {
                throw new RejectedExecutionException("the ProcessPoolExecutor is shut down");
            }
            Task<T> submitted;
            try {
                submitted = pool.createTask(task);
            } catch (IllegalStateException e) {
                throw new RejectedExecutionException("the ProcessPoolExecutor's workers are closed", e);
            }
            statistic.submitted.increment();
            inFlight.add(submitted);
            long start = System.nanoTime();
            submitted.toCompletableFuture().whenComplete((value, failure) -> finished(submitted, start, failure));
            return submitted;
        } finally {
            lock.unlock();
        }
    }

    private void finished(Task<?> task, long start, Throwable failure) {
        statistic.sumTime.addNanos(System.nanoTime() - start);
        statistic.done.increment();
        if (failure == null) {
            statistic.success.increment();
        } else {
            statistic.error.increment();
        }
        boolean last;
        lock.lock();
        try {
            inFlight.remove(task);
            last = shutdown && inFlight.isEmpty() && !closing;
            if (last) {
                closing = true;
            }
            idle.signalAll();
        } finally {
            lock.unlock();
        }
        if (last) {
            Threads.startVirtual("aiomisc-process-pool-close", this::closePool);
        }
    }

    private void closePool() {
        try {
            pool.close();
        } finally {
            terminated.complete(null);
        }
    }

    /**
     * Stops accepting tasks; submitted ones finish, then the workers stop. Does not wait (see
     * {@link #awaitTermination}).
     */
    @Override
    public void shutdown() {
        boolean closeNow;
        lock.lock();
        try {
            shutdown = true;
            closeNow = inFlight.isEmpty() && !closing;
            if (closeNow) {
                closing = true;
            }
        } finally {
            lock.unlock();
        }
        if (closeNow) {
            Threads.startVirtual("aiomisc-process-pool-close", this::closePool);
        }
    }

    /**
     * Stops accepting tasks, cancels queued and running ones and stops the workers. Blocks until
     * the workers are gone (as {@link WorkerPool#close()}); an interrupt does not cut it short.
     *
     * @return an empty list: queued tasks are cancelled (their futures say so), not handed back
     */
    @Override
    public List<Runnable> shutdownNow() {
        boolean closeHere;
        lock.lock();
        try {
            shutdown = true;
            closeHere = !closing;
            closing = true;
        } finally {
            lock.unlock();
        }
        if (closeHere) {
            closePool();
        } else {
            Futures.awaitUninterruptibly(terminated);
        }
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        lock.lock();
        try {
            return shutdown;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean isTerminated() {
        return terminated.isDone();
    }

    /**
     * Waits until the executor has terminated after a shutdown. Blocks; interruptible.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        try {
            terminated.get(timeout, unit);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new AssertionError(e); // never completed exceptionally
        }
    }

    /**
     * Submits every task and waits for all of them. Blocks; an interrupt cancels the tasks not yet
     * done and throws {@link InterruptedException}.
     */
    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks) throws InterruptedException {
        List<Future<T>> futures = submitAll(tasks);
        try {
            for (Future<T> future : futures) {
                awaitQuietly(future, Long.MAX_VALUE);
            }
        } catch (InterruptedException e) {
            cancelAll(futures);
            throw e;
        }
        return futures;
    }

    /**
     * As {@link #invokeAll(Collection)}, cancelling the tasks not done when {@code timeout} passes.
     */
    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        List<Future<T>> futures = submitAll(tasks);
        try {
            for (Future<T> future : futures) {
                if (!awaitQuietly(future, deadline)) {
                    cancelAll(futures);
                    break;
                }
            }
        } catch (InterruptedException e) {
            cancelAll(futures);
            throw e;
        }
        return futures;
    }

    /**
     * Submits every task and returns the value of the first to succeed, cancelling the others.
     * Blocks; an interrupt cancels them all.
     */
    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks) throws InterruptedException, ExecutionException {
        try {
            return invokeAny(tasks, Long.MAX_VALUE, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError(e); // no deadline
        }
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException, ExecutionException, TimeoutException {
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("tasks is empty");
        }
        List<Future<T>> futures = submitAll(tasks);
        CompletableFuture<T> first = new CompletableFuture<>();
        int[] failures = {0};
        ExecutionException[] last = {null};
        ReentrantLock failuresLock = new ReentrantLock();
        for (Future<T> future : futures) {
            ((Task<T>) future).toCompletableFuture().whenComplete((value, failure) -> {
                if (failure == null) {
                    first.complete(value);
                    return;
                }
                failuresLock.lock();
                try {
                    last[0] = new ExecutionException(Futures.unwrapCompletion(failure));
                    if (++failures[0] == futures.size()) {
                        first.completeExceptionally(last[0]);
                    }
                } finally {
                    failuresLock.unlock();
                }
            });
        }
        try {
            if (unit.toNanos(timeout) == Long.MAX_VALUE) {
                return first.get();
            }
            return first.get(timeout, unit);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof ExecutionException cause ? cause : e;
        } finally {
            cancelAll(futures);
        }
    }

    private <T> List<Future<T>> submitAll(Collection<? extends Callable<T>> tasks) {
        List<Future<T>> futures = new ArrayList<>(tasks.size());
        try {
            for (Callable<T> task : tasks) {
                futures.add(submit(task));
            }
        } catch (RuntimeException e) {
            cancelAll(futures);
            throw e;
        }
        return futures;
    }

    /** Waits for {@code future} until {@code deadline} (nanoTime); false on timeout. */
    private static boolean awaitQuietly(Future<?> future, long deadline) throws InterruptedException {
        try {
            if (deadline == Long.MAX_VALUE) {
                future.get();
            } else {
                future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (ExecutionException | CancellationException e) {
            // an outcome: the caller reads it from the future
        } catch (TimeoutException e) {
            return false;
        }
        return true;
    }

    private static void cancelAll(List<? extends Future<?>> futures) {
        for (Future<?> future : futures) {
            future.cancel(true);
        }
    }

    /**
     * {@link #shutdownNow()}: cancels everything and returns when the workers are gone.
     */
    @Override
    public void close() {
        shutdownNow();
    }

    @Override
    public String toString() {
        return "ProcessPoolExecutor[" + pool + "]";
    }

    /**
     * A serializable callable as a worker task.
     *
     * @param <T>      the result type
     * @param callable the callable, serialized with it
     */
    private record CallableTask<T>(Callable<T> callable) implements WorkerTask<T> {
        @Override
        public T call() throws Exception {
            return callable.call();
        }
    }

    /**
     * A serializable runnable as a worker task.
     *
     * @param <T>      the result type
     * @param runnable the runnable, serialized with it
     * @param result   what the task returns
     */
    private record RunnableTask<T>(Runnable runnable, T result) implements WorkerTask<T> {
        @Override
        public T call() {
            runnable.run();
            return result;
        }
    }
}
