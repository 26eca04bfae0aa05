package io.aiomisc.internal;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waiting on futures the way aiomisc's tasks are awaited, and handing outcomes between futures. */
public final class Futures {
    private Futures() {}

    /** A wait for something, at most {@code nanos}; true if it happened. */
    @FunctionalInterface
    public interface TimedWait {
        boolean await(long nanos) throws InterruptedException;
    }

    /**
     * What a dependent stage's failure really is: the cause of a {@link CompletionException} that
     * wraps one, else {@code thrown} itself.
     *
     * @param thrown a failure as a {@code whenComplete}/{@code handle} callback sees it
     * @return the failure to record or pass on
     */
    public static Throwable unwrapCompletion(Throwable thrown) {
        return thrown instanceof CompletionException && thrown.getCause() != null ? thrown.getCause() : thrown;
    }

    /**
     * Completes {@code target} with {@code source}'s outcome when it has one: the value, the
     * exception, or a cancellation.
     */
    public static <T> void relay(CompletableFuture<T> source, CompletableFuture<T> target) {
        source.whenComplete((value, failure) -> {
            if (failure == null) {
                target.complete(value);
            } else if (failure instanceof CancellationException) {
                target.cancel(false);
            } else {
                target.completeExceptionally(failure);
            }
        });
    }

    /**
     * Waits for {@code future} (at most {@code timeout}, when not null) and returns its value,
     * rethrowing its exception unwrapped. When the waiting thread is interrupted, runs
     * {@code onInterrupt} and throws the {@link InterruptedException}.
     *
     * @throws TimeoutException naming {@code what} when the timeout passes
     */
    public static <T> T await(Future<T> future, Duration timeout, Runnable onInterrupt, String what) throws Exception {
        try {
            if (timeout == null) {
                return future.get();
            }
            return future.get(Math.max(0, Durations.toNanos(timeout)), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw RunnableTask.rethrowable(e.getCause());
        } catch (InterruptedException e) {
            onInterrupt.run();
            throw e;
        } catch (TimeoutException e) {
            throw new TimeoutException(what + " did not complete within " + timeout);
        }
    }

    /**
     * Waits until {@code wait} reports success or {@code deadline} ({@link System#nanoTime()}
     * scale; {@code Long.MAX_VALUE} for none) passes. Interrupts do not end the wait; the
     * thread's interrupt status is restored before returning.
     *
     * @return true if the wait succeeded in time
     */
    public static boolean awaitUninterruptibly(long deadline, TimedWait wait) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return wait.await(Durations.remaining(deadline));
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Waits, without being interrupted, until {@code future} has an outcome (whichever). */
    public static void awaitUninterruptibly(CompletableFuture<?> future) {
        try {
            future.join(); // not interruptible; sets the interrupt status again if it was interrupted
        } catch (CompletionException | CancellationException e) {
            // an outcome all the same
        }
    }
}
