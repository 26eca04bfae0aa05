package io.aiomisc;

import io.aiomisc.internal.Durations;
import io.aiomisc.internal.Futures;
import io.aiomisc.internal.RunnableTask;
import io.aiomisc.time.TimeSource;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The end of a shutdown's time budget on the entrypoint's {@link TimeSource}: one timer per
 * shutdown, and waits that end when either the awaited thing or the budget is over. Every wait
 * here is uninterruptible (a shutdown never gives up half-way on an interrupt) and sets the
 * interrupt status again if an interrupt came meanwhile.
 */
final class ShutdownDeadline {
    /** What {@link #remaining()} reports without a deadline, for APIs that need some duration. */
    private static final Duration UNBOUNDED = Duration.ofDays(365);

    private final Duration timeout;
    private final TimeSource time;
    private final long deadline; // on time.nanoTime()'s scale; Long.MAX_VALUE for none
    private final CompletableFuture<Void> expired = new CompletableFuture<>();
    private final TimeSource.Scheduled timer;

    private ShutdownDeadline(Duration timeout, TimeSource time, boolean bounded) {
        this.timeout = timeout;
        this.time = time;
        if (bounded) {
            long nanos = Durations.toNanos(timeout);
            this.deadline = Durations.saturatedAdd(time.nanoTime(), nanos);
            this.timer = time.schedule(timeout, () -> expired.complete(null));
        } else {
            this.deadline = Long.MAX_VALUE;
            this.timer = null;
        }
    }

    /** A deadline {@code timeout} from now on {@code time}. */
    static ShutdownDeadline after(TimeSource time, Duration timeout) {
        return new ShutdownDeadline(timeout, time, true);
    }

    /** No deadline (something else bounds the shutdown); {@code timeout} is only reported. */
    static ShutdownDeadline unbounded(TimeSource time, Duration timeout) {
        return new ShutdownDeadline(timeout, time, false);
    }

    /** The budget, for messages. */
    Duration timeout() {
        return timeout;
    }

    /** Time left, never negative; a huge value for no deadline. */
    Duration remaining() {
        if (deadline == Long.MAX_VALUE) {
            return UNBOUNDED;
        }
        return Duration.ofNanos(Math.max(0, deadline - time.nanoTime()));
    }

    /** Waits until {@code future} completes or the deadline passes; true if it completed. */
    boolean await(CompletableFuture<?> future) {
        if (!future.isDone()) {
            Futures.awaitUninterruptibly(CompletableFuture.anyOf(future, expired));
        }
        return future.isDone();
    }

    /** Waits until {@code task}'s body has exited (or will never run) or the deadline passes. */
    boolean awaitFinished(RunnableTask<?> task) {
        CompletableFuture<Void> finished = new CompletableFuture<>();
        task.whenFinished(() -> finished.complete(null));
        return await(finished);
    }

    /** Releases the timer. */
    void cancel() {
        if (timer != null) {
            timer.cancel();
        }
    }
}
