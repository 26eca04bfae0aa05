package io.aiomisc.task;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;

/**
 * A unit of work running on a thread of its own (usually a virtual thread): the Java form of an
 * asyncio task. Created by {@link io.aiomisc.Entrypoint#createTask}, {@code Threaded.threaded} and
 * friends; never constructed directly.
 *
 * <p>{@link #await()} is the direct-style {@code await task}: it blocks, returns the value, and
 * rethrows the task's own exception <em>unwrapped</em>. {@link #cancel(boolean) cancel(true)}
 * interrupts the thread running the task; a cancelled task is done at once (its awaiters get a
 * {@link CancellationException}) while its code unwinds from the interrupt.
 *
 * <p>Thread-safety: every method may be called from any thread. Completion happens-before the
 * return of {@code await}/{@code get}.
 *
 * @param <T> the result type
 */
public interface Task<T> extends Future<T> {

    /**
     * Waits for the task and returns its result.
     *
     * <p>Unlike {@link #get()}, which leaves the task alone when the waiting thread is interrupted,
     * {@code await} follows asyncio: interrupting the awaiting thread also cancels the task (use
     * {@link Tasks#shield} to protect a task from that).
     *
     * @return the task's result
     * @throws CancellationException if the task was cancelled
     * @throws InterruptedException  if the waiting thread was interrupted (the task is cancelled)
     * @throws IllegalStateException if called from inside the task itself (it would never return)
     * @throws Exception             the exception the task's code threw, as is
     */
    T await() throws Exception;

    /**
     * As {@link #await()}, waiting at most {@code timeout}. Interrupting the waiting thread cancels
     * the task, as for {@code await()}.
     *
     * @param timeout the longest wait
     * @return the task's result
     * @throws TimeoutException      if the task is not done within {@code timeout}; the task keeps running
     * @throws CancellationException if the task was cancelled
     * @throws InterruptedException  if the waiting thread was interrupted (the task is cancelled)
     * @throws IllegalStateException if called from inside the task itself
     * @throws Exception             the exception the task's code threw, as is
     */
    T await(Duration timeout) throws Exception;

    /**
     * A new {@link CompletableFuture} completed with this task's outcome (a cancelled task cancels
     * it). Cancelling the returned future cancels the task, interrupting it. Completing it by hand
     * does not affect the task.
     *
     * @return a new future, completed when the task is done
     */
    CompletableFuture<T> toCompletableFuture();
}
