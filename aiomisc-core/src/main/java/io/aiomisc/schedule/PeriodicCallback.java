package io.aiomisc.schedule;

import io.aiomisc.internal.Durations;
import io.aiomisc.task.Task;
import io.aiomisc.time.TimeSource;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Calls a callback every {@code interval}: aiomisc's {@code PeriodicCallback}.
 *
 * <pre>{@code
 * PeriodicCallback periodic = new PeriodicCallback(() -> refreshCache());
 * periodic.start(Duration.ofSeconds(1), Duration.ofSeconds(10));   // first call after 10 s, then every second
 * }</pre>
 *
 * <p>{@link #start(Duration, Duration) start} is fixed-delay, as aiomisc: the first call comes after
 * {@code delay}, each next one {@code interval} after the previous call <em>finished</em>, so a
 * slow callback is never overlapped. {@link #startAtFixedRate} keeps a fixed rate instead: calls
 * are due at {@code delay + k·interval}; when a call overruns, the ticks it covered are skipped
 * (and counted in the statistic's {@code skipped}) and the next call comes at the next due tick.
 * See {@link RecurringCallback} for failures, statistics and stopping.
 */
public class PeriodicCallback extends RecurringCallback {

    /**
     * A callback named after {@code callback} (its {@code toString()}), on the system clock.
     *
     * @param callback called at each tick; its value is ignored
     * @throws NullPointerException if {@code callback} is null
     */
    public PeriodicCallback(Callable<?> callback) {
        super(callback);
    }

    /**
     * A void {@code callback}, named after it (its {@code toString()}), on the system clock.
     *
     * @param callback called at each tick
     * @throws NullPointerException if {@code callback} is null
     */
    public PeriodicCallback(Callback callback) {
        super(callback);
    }

    /**
     * A void {@code callback} with a name and a time source.
     *
     * @param callback called at each tick
     * @param name     the name in logs and statistics; null for the callback's {@code toString()}
     * @param time     where time comes from (a manual one in tests)
     * @throws NullPointerException if {@code callback} or {@code time} is null
     * @see RecurringCallback#RecurringCallback(Callback, String, TimeSource)
     */
    public PeriodicCallback(Callback callback, String name, TimeSource time) {
        super(callback, name, time);
    }

    /**
     * A callback with a name and a time source.
     *
     * @param callback called at each tick; its value is ignored
     * @param name     the name in logs and statistics; null for the callback's {@code toString()}
     * @param time     where time comes from (a manual one in tests)
     * @throws NullPointerException if {@code callback} or {@code time} is null
     * @see RecurringCallback#RecurringCallback(Callable, String, TimeSource)
     */
    public PeriodicCallback(Callable<?> callback, String name, TimeSource time) {
        super(callback, name, time);
    }

    /**
     * Starts calling: first after {@code delay}, then {@code interval} after each call finished.
     * Never blocks: the calls run on a thread of their own (a task of the current entrypoint, or a
     * detached virtual thread), until {@link #stop()}.
     *
     * @param interval the pause between the end of a call and the next call; positive
     * @param delay    the wait before the first call; zero or positive
     * @return the runner task; it ends at {@link #stop()}
     * @throws NullPointerException     if {@code interval} or {@code delay} is null
     * @throws IllegalArgumentException if {@code interval} is not positive or {@code delay} negative
     * @throws IllegalStateException    if already running
     */
    public Task<Void> start(Duration interval, Duration delay) {
        Durations.requirePositive("interval", interval);
        Durations.requireNonNegative("delay", delay);
        AtomicBoolean first = new AtomicBoolean(true);
        return start(() -> first.getAndSet(false) ? delay : interval);
    }

    /**
     * As {@link #start(Duration, Duration)} with no delay: the first call comes at once.
     *
     * @param interval the pause between the end of a call and the next call; positive
     * @return the runner task; it ends at {@link #stop()}
     * @throws NullPointerException     if {@code interval} is null
     * @throws IllegalArgumentException if {@code interval} is not positive
     * @throws IllegalStateException    if already running
     */
    public Task<Void> start(Duration interval) {
        return start(interval, Duration.ZERO);
    }

    /**
     * Starts calling at a fixed rate: at {@code delay}, {@code delay + interval},
     * {@code delay + 2·interval}, ...; ticks missed while a call was running are skipped and
     * counted. The ticks are counted from this call, on the time source's monotonic clock.
     * Never blocks: the calls run on a thread of their own (a task of the current entrypoint, or a
     * detached virtual thread), until {@link #stop()}.
     *
     * @param interval the distance between due ticks; positive
     * @param delay    the wait before the first call; zero or positive
     * @return the runner task; it ends at {@link #stop()}
     * @throws NullPointerException     if {@code interval} or {@code delay} is null
     * @throws IllegalArgumentException if {@code interval} is not positive or {@code delay} negative
     * @throws IllegalStateException    if already running
     */
    public Task<Void> startAtFixedRate(Duration interval, Duration delay) {
        Durations.requirePositive("interval", interval);
        Durations.requireNonNegative("delay", delay);
        long intervalNanos = Durations.toNanos(interval);
        long[] due = {Durations.saturatedAdd(time().nanoTime(), Durations.toNanos(delay))};
        boolean[] first = {true};
        return start(() -> {
            long now = time().nanoTime();
            if (!first[0]) {
                due[0] += intervalNanos;
                if (now > due[0]) {
                    long missed = Math.ceilDiv(now - due[0], intervalNanos);
                    statistic().skipped.add(missed);
                    due[0] += missed * intervalNanos;
                }
            }
            first[0] = false;
            return Duration.ofNanos(Math.max(0, due[0] - now));
        });
    }
}
