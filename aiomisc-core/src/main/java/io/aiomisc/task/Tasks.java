package io.aiomisc.task;

import io.aiomisc.internal.Durations;
import io.aiomisc.internal.RunnableTask;
import io.aiomisc.internal.TaskLauncher;
import io.aiomisc.internal.Threads;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Helpers for groups of tasks, after aiomisc's {@code select}, {@code cancel_tasks},
 * {@code shield} and {@code chunk_list}. All methods are thread-safe.
 */
public final class Tasks {
    private Tasks() {}

    /**
     * Waits for the first of {@code futures} to finish, with the default {@link SelectOptions}: the
     * others are cancelled (and waited for), a failed winner's exception is thrown. Blocks without
     * a time limit; an interrupt cancels every future, as described at
     * {@link #select(SelectOptions, Future[])}.
     *
     * @param futures the candidates; at least one, none null
     * @return the winner's index and value
     * @throws IllegalArgumentException if {@code futures} is empty
     * @throws NullPointerException     if {@code futures} or one of its elements is null
     * @throws InterruptedException     if the calling thread is interrupted (every future is
     *                                  cancelled)
     * @throws CancellationException    if the winner was cancelled
     * @throws Exception                the winner's exception, as is
     * @see #select(SelectOptions, Future[])
     */
    public static SelectResult select(Future<?>... futures) throws Exception {
        return select(SelectOptions.defaults(), futures);
    }

    /**
     * Waits for the first of {@code futures} to finish (complete, fail or be cancelled). When
     * several are already done, the one with the lowest index wins.
     *
     * <p>Blocks. Works with any {@link Future}; {@link Task}s and {@link CompletableFuture}s are
     * watched through callbacks, other futures by one virtual thread each for the duration of
     * the call.
     *
     * <p><b>Interrupt:</b> interrupting the selecting thread cancels every candidate (with
     * interruption), whatever {@code cancel} says, as aiomisc's cancelled {@code select} does,
     * and throws {@link InterruptedException} with the interrupt status clear.
     *
     * @param options how losers are treated, whether failures are returned, the timeout
     * @param futures the candidates; at least one, none null
     * @return the winner's index and value; an empty result if the timeout passed
     * @throws IllegalArgumentException if {@code futures} is empty
     * @throws NullPointerException     if {@code options}, {@code futures} or one of its elements
     *                                  is null
     * @throws InterruptedException     if the calling thread is interrupted (every future is
     *                                  cancelled)
     * @throws CancellationException    if the winner was cancelled and exceptions are not returned
     * @throws Exception                the winner's exception, as is, unless
     *                                  {@link SelectOptions#returnExceptions(boolean)}
     */
    public static SelectResult select(SelectOptions options, Future<?>... futures) throws Exception {
        Objects.requireNonNull(options, "options");
        List<Future<?>> all = requireFutures(futures);
        if (all.isEmpty()) {
            throw new IllegalArgumentException("select needs at least one future");
        }
        CompletableFuture<Integer> first = new CompletableFuture<>();
        for (int i = 0; i < all.size() && !first.isDone(); i++) {
            if (all.get(i).isDone()) {
                first.complete(i);
            }
        }
        List<Thread> watchers = new ArrayList<>();
        if (!first.isDone()) {
            for (int i = 0; i < all.size(); i++) {
                watch(all.get(i), i, first, watchers);
            }
        }
        int winner;
        try {
            if (options.timeout().isPresent()) {
                winner = first.get(
                        Math.max(0, Durations.toNanos(options.timeout().get())), TimeUnit.NANOSECONDS);
            } else {
                winner = first.get();
            }
        } catch (TimeoutException e) {
            stop(watchers);
            if (options.cancel()) {
                cancel(all, -1, options.awaitCancelled());
            }
            return SelectResult.empty(all.size());
        } catch (InterruptedException e) {
            stop(watchers);
            // as aiomisc, whose cancelled select cancels every candidate: nobody is left to await them
            cancel(all, -1, false);
            throw e;
        } catch (ExecutionException e) {
            throw new AssertionError("the winner's index is never completed exceptionally", e);
        }
        stop(watchers);

        Object value = null;
        Throwable failure = null;
        try {
            value = all.get(winner).get();
        } catch (ExecutionException e) {
            failure = e.getCause();
        } catch (CancellationException e) {
            failure = e;
        }
        if (options.cancel()) {
            cancel(all, winner, options.awaitCancelled());
        }
        if (failure != null) {
            if (options.returnExceptions()) {
                return new SelectResult(all.size(), winner, failure, true);
            }
            throw RunnableTask.rethrowable(failure);
        }
        return new SelectResult(all.size(), winner, value, false);
    }

    /**
     * Cancels (interrupting) every future in {@code futures} that is not done, then waits until
     * the cancelled ones have finished: for aiomisc's tasks, until their code has really exited;
     * for other futures, until {@code get} stops blocking. Done futures are left alone.
     *
     * <p><b>Blocks</b> without a time limit. <b>Interrupt:</b> ends the wait with
     * {@link InterruptedException} (the interrupt status then clear); the futures are cancelled
     * all the same, even when the flag was already set on entry.
     *
     * @param futures the futures to cancel; none null
     * @throws NullPointerException if {@code futures} or one of its elements is null (futures
     *                              before the null one are already cancelled then)
     * @throws InterruptedException if interrupted while waiting; the futures stay cancelled
     */
    public static void cancelTasks(Collection<? extends Future<?>> futures) throws InterruptedException {
        Objects.requireNonNull(futures, "futures");
        List<Future<?>> cancelled = new ArrayList<>();
        for (Future<?> future : futures) {
            Objects.requireNonNull(future, "futures contains null");
            if (future.cancel(true) || (future instanceof RunnableTask<?> task && task.isRunning())) {
                cancelled.add(future);
            }
        }
        for (Future<?> future : cancelled) {
            if (future instanceof RunnableTask<?> task) {
                task.awaitFinished(Long.MAX_VALUE, TimeUnit.NANOSECONDS);
            } else {
                try {
                    future.get();
                } catch (CancellationException | ExecutionException ignored) {
                    // the outcome of a cancelled future is not ours to report
                }
            }
        }
    }

    /**
     * As {@link #cancelTasks(Collection)}: blocks until the cancelled futures have finished.
     *
     * @param futures the futures to cancel; none null
     * @throws NullPointerException if {@code futures} or one of its elements is null
     * @throws InterruptedException if interrupted while waiting; the futures stay cancelled
     */
    public static void cancelTasks(Future<?>... futures) throws InterruptedException {
        cancelTasks(requireFutures(futures));
    }

    /**
     * Starts {@code work} now (as a task of the current entrypoint, if any) and returns a shielded
     * view of it: cancelling the view, or interrupting a thread that awaits it, does not cancel the
     * work. aiomisc's {@code @shield}. The work is still a task of the entrypoint, so the
     * entrypoint's close cancels it.
     *
     * @param <T>  the work's result type
     * @param work the code to run, on a virtual thread of its own
     * @return a shielded view of the started task
     * @throws NullPointerException if {@code work} is null
     */
    public static <T> Task<T> shield(Callable<T> work) {
        Objects.requireNonNull(work, "work");
        return new ShieldedTask<>(TaskLauncher.start(work));
    }

    /**
     * A shielded view of {@code task}: see {@link #shield(Callable)}. Cancelling {@code task}
     * itself still cancels it.
     *
     * @param <T>  the task's result type
     * @param task the task to protect
     * @return a view whose cancellation, or an interrupted {@code await}, leaves {@code task} running
     * @throws NullPointerException if {@code task} is null
     */
    public static <T> Task<T> shield(Task<T> task) {
        return new ShieldedTask<>(task);
    }

    /**
     * Splits {@code items} into consecutive lists of {@code size} elements (the last one may be
     * shorter), lazily: {@code chunkList(0..9, 3)} gives {@code [0,1,2], [3,4,5], [6,7,8], [9]}.
     * Each chunk is an unmodifiable list.
     *
     * @param <T>   the element type
     * @param items the elements; each iteration of the result iterates {@code items} afresh
     * @param size  the chunk length; at least 1
     * @return an iterable of the chunks, computed as it is iterated
     * @throws IllegalArgumentException if {@code size < 1}
     * @throws NullPointerException     if {@code items} is null
     */
    public static <T> Iterable<List<T>> chunkList(Iterable<T> items, int size) {
        Objects.requireNonNull(items, "items");
        if (size < 1) {
            throw new IllegalArgumentException("size must be at least 1: " + size);
        }
        return () -> new Iterator<>() {
            private final Iterator<T> source = items.iterator();

            @Override
            public boolean hasNext() {
                return source.hasNext();
            }

            @Override
            public List<T> next() {
                if (!source.hasNext()) {
                    throw new NoSuchElementException();
                }
                List<T> chunk = new ArrayList<>(Math.min(size, 1024));
                while (chunk.size() < size && source.hasNext()) {
                    chunk.add(source.next());
                }
                return java.util.Collections.unmodifiableList(chunk);
            }
        };
    }

    private static List<Future<?>> requireFutures(Future<?>[] futures) {
        Objects.requireNonNull(futures, "futures");
        for (int i = 0; i < futures.length; i++) {
            Objects.requireNonNull(futures[i], "futures[" + i + "]");
        }
        return Arrays.asList(futures);
    }

    private static void watch(Future<?> future, int index, CompletableFuture<Integer> first, List<Thread> watchers) {
        if (future instanceof CompletableFuture<?> completable) {
            completable.whenComplete((value, failure) -> first.complete(index));
        } else if (future instanceof Task<?> task) {
            task.toCompletableFuture().whenComplete((value, failure) -> first.complete(index));
        } else {
            watchers.add(Threads.startVirtual("aiomisc-select-watcher", () -> {
                try {
                    future.get();
                } catch (InterruptedException e) {
                    return;
                } catch (CancellationException | ExecutionException e) {
                    // a failed or cancelled future finishes the select as well
                }
                first.complete(index);
            }));
        }
    }

    private static void stop(List<Thread> watchers) {
        for (Thread watcher : watchers) {
            watcher.interrupt();
        }
    }

    private static void cancel(List<Future<?>> futures, int except, boolean await) throws InterruptedException {
        List<Future<?>> losers = new ArrayList<>(futures.size());
        for (int i = 0; i < futures.size(); i++) {
            if (i != except) {
                losers.add(futures.get(i));
            }
        }
        if (await) {
            cancelTasks(losers);
        } else {
            for (Future<?> loser : losers) {
                loser.cancel(true);
            }
        }
    }
}
