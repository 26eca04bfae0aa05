package io.aiomisc.task;

import io.aiomisc.internal.Durations;
import io.aiomisc.internal.TimedCall;
import io.aiomisc.time.TimeSource;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;

/**
 * Bounds the time a piece of blocking code may take: aiomisc's {@code @timeout}.
 *
 * <pre>{@code
 * String body = Timeout.run(Duration.ofSeconds(1), () -> fetch(url));
 * Callable<String> bounded = Timeout.wrap(Duration.ofSeconds(1), () -> fetch(url));
 * }</pre>
 *
 * <p>The work runs on the calling thread, so thread locals, the current entrypoint and locks held
 * by the caller stay as they are. When the time is up the calling thread is interrupted; the
 * work's next blocking call throws, and {@code run} throws {@link TimeoutException} (with the
 * work's own exception, if any, as the cause). The interrupt is cleared before {@code run}
 * returns, so it does not leak into the caller's later code. Code that ignores interrupts is not
 * stopped, but {@code run} still throws {@code TimeoutException} when it returns late.
 *
 * <p>Timeouts nest: an inner timeout that is not the one that fired passes the interruption on.
 */
public final class Timeout {
    private Timeout() {}

    /**
     * Runs {@code work} on the calling thread, interrupting it after {@code timeout}, on the
     * system clock. Blocks for as long as the work runs. <b>Interrupt:</b> an interrupt from
     * elsewhere reaches the work as usual; whatever the work throws for it is rethrown as is.
     *
     * @param <T>     the work's result type
     * @param work    the blocking code, run on the calling thread
     * @param timeout how long the work may take; {@link Duration#ZERO} fails at once, as aiomisc's
     *                {@code timeout(0)} does, without running the work
     * @return the work's result
     * @throws TimeoutException         if the work did not finish within {@code timeout}
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws NullPointerException     if {@code timeout} or {@code work} is null
     * @throws Exception                whatever the work threw within the time, as is
     */
    public static <T> T run(Duration timeout, Callable<T> work) throws Exception {
        return run(timeout, work, TimeSource.system());
    }

    /**
     * As {@link #run(Duration, Callable)}, with the timer of {@code time} (a
     * {@link io.aiomisc.time.ManualTimeSource} in tests).
     *
     * @param <T>     the work's result type
     * @param timeout how long the work may take, on {@code time}; zero fails at once
     * @param work    the blocking code, run on the calling thread
     * @param time    the clock whose timer interrupts the work
     * @return the work's result
     * @throws TimeoutException         if the work did not finish within {@code timeout}
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws NullPointerException     if an argument is null
     * @throws Exception                whatever the work threw within the time, as is
     */
    public static <T> T run(Duration timeout, Callable<T> work, TimeSource time) throws Exception {
        Durations.requireNonNegative("timeout", timeout);
        Objects.requireNonNull(work, "work");
        Objects.requireNonNull(time, "time");
        return TimedCall.run((delay, action) -> time.schedule(delay, action)::cancel, timeout, work);
    }

    /**
     * Returns a {@link Callable} that runs {@code work} under {@link #run(Duration, Callable)}.
     *
     * @param <T>     the work's result type
     * @param timeout how long each call of the work may take; zero fails every call at once
     * @param work    the blocking code
     * @return a callable that runs {@code work} on its caller's thread with the timeout, each call
     *         timed afresh
     * @throws IllegalArgumentException at once if {@code timeout} is negative
     * @throws NullPointerException     if {@code timeout} or {@code work} is null
     */
    public static <T> Callable<T> wrap(Duration timeout, Callable<T> work) {
        Durations.requireNonNegative("timeout", timeout);
        Objects.requireNonNull(work, "work");
        return () -> run(timeout, work);
    }
}
