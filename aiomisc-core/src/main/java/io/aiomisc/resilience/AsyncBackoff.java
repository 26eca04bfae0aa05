package io.aiomisc.resilience;

import io.aiomisc.internal.Futures;
import io.aiomisc.internal.Interruptions;
import io.aiomisc.time.TimeSource;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * One {@link Backoff#callAsync} call: the same rules as {@link Backoff#call}, as a state machine
 * driven by the attempts' completions and the time source's timers, so no thread waits.
 */
final class AsyncBackoff<T> {
    private final Backoff backoff;
    private final Supplier<? extends CompletionStage<T>> supplier;
    private final TimeSource time;
    private final CompletableFuture<T> result = new CompletableFuture<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final long started;
    private int attempt; // guarded by lock
    private Throwable last; // guarded by lock
    private CompletableFuture<T> current; // guarded by lock: the running attempt
    private TimeSource.Scheduled attemptTimer; // guarded by lock
    private TimeSource.Scheduled pauseTimer; // guarded by lock
    private TimeSource.Scheduled deadlineTimer; // guarded by lock

    AsyncBackoff(Backoff backoff, Supplier<? extends CompletionStage<T>> supplier) {
        this.backoff = backoff;
        this.supplier = supplier;
        this.time = backoff.time();
        this.started = time.nanoTime();
    }

    CompletableFuture<T> start() {
        result.whenComplete((value, failure) -> finish());
        Duration deadline = backoff.deadline();
        if (deadline != null) {
            TimeSource.Scheduled timer = time.schedule(deadline, this::deadlineReached);
            lock.lock();
            try {
                deadlineTimer = timer;
            } finally {
                lock.unlock();
            }
        }
        attempt();
        return result;
    }

    private void attempt() {
        lock.lock();
        try {
            if (result.isDone()) {
                return;
            }
            attempt++;
            if (attempt > 1) {
                backoff.statistic().retries.increment();
            }
        } finally {
            lock.unlock();
        }
        CompletableFuture<T> future;
        try {
            future = supplier.get().toCompletableFuture();
        } catch (Throwable t) {
            future = CompletableFuture.failedFuture(t);
        }
        lock.lock();
        try {
            if (result.isDone()) {
                future.cancel(true);
                return;
            }
            current = future;
            Duration limit = backoff.attemptTimeout();
            if (limit != null) {
                // the timeout completes the attempt's future, which wins over its later outcome
                CompletableFuture<T> timed = future;
                attemptTimer = time.schedule(
                        limit,
                        () -> timed.completeExceptionally(
                                new TimeoutException("attempt did not complete within " + limit)));
            }
        } finally {
            lock.unlock();
        }
        CompletableFuture<T> attemptFuture = future;
        future.whenComplete((value, failure) -> onAttempt(attemptFuture, value, failure));
    }

    private void onAttempt(CompletableFuture<T> future, T value, Throwable failure) {
        Duration pause;
        lock.lock();
        try {
            if (future != current || result.isDone()) {
                return;
            }
            cancel(attemptTimer);
            if (failure == null) {
                result.complete(value);
                return;
            }
            Throwable cause = Futures.unwrapCompletion(failure);
            if (Interruptions.isCancellation(cause)) {
                backoff.statistic().cancels.increment();
                result.completeExceptionally(cause);
                return;
            }
            if (!backoff.isRetriable(cause)) {
                result.completeExceptionally(cause);
                return;
            }
            backoff.statistic().errors.increment();
            last = cause;
            if (backoff.exhausted(attempt, cause)) {
                result.completeExceptionally(cause);
                return;
            }
            pause = backoff.pauseAfter(attempt);
            current = null;
            pauseTimer = time.schedule(
                    pause,
                    () -> Thread.ofVirtual().name("aiomisc-backoff-retry").start(this::attempt));
        } finally {
            lock.unlock();
        }
    }

    private void deadlineReached() {
        CompletableFuture<T> running;
        Throwable failure;
        lock.lock();
        try {
            if (result.isDone()) {
                return;
            }
            running = current;
            failure = last != null ? last : new TimeoutException("the backoff's deadline passed");
        } finally {
            lock.unlock();
        }
        result.completeExceptionally(failure);
        if (running != null) {
            running.cancel(true);
        }
    }

    /** Runs once the result is complete, however: stops timers and a running attempt, counts the call. */
    private void finish() {
        CompletableFuture<T> running;
        lock.lock();
        try {
            cancel(attemptTimer);
            cancel(pauseTimer);
            cancel(deadlineTimer);
            running = current;
        } finally {
            lock.unlock();
        }
        if (running != null && !running.isDone()) {
            running.cancel(true);
        }
        if (result.isCancelled()) {
            backoff.statistic().cancels.increment();
        }
        backoff.statistic().done.increment();
        backoff.statistic().sumTime.addNanos(time.nanoTime() - started);
    }

    private static void cancel(TimeSource.Scheduled timer) {
        if (timer != null) {
            timer.cancel();
        }
    }
}
