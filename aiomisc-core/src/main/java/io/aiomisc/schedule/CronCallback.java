package io.aiomisc.schedule;

import io.aiomisc.task.Task;
import io.aiomisc.time.TimeSource;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * Calls a callback on a cron schedule: aiomisc's {@code CronCallback}, time-zone aware.
 *
 * <pre>{@code
 * CronCallback report = new CronCallback(() -> sendReport());
 * report.start("0 9 * * MON-FRI", ZoneId.of("Europe/Berlin"));   // 09:00 Berlin time on weekdays
 * }</pre>
 *
 * <p>Before each call the next fire time is computed from the wall clock of the time source, in
 * the zone given (UTC by default, as aiomisc), with {@link CronExpression}'s daylight-saving policy;
 * it is always after the previous fire time, so a clock that reads a little early cannot fire the
 * same time twice. Calls never overlap: a fire time that passes while the callback still runs is
 * skipped. See {@link RecurringCallback} for failures, statistics and stopping.
 */
public class CronCallback extends RecurringCallback {

    /**
     * A callback named after {@code callback} (its {@code toString()}), on the system clock.
     *
     * @param callback called at each tick; its value is ignored
     * @throws NullPointerException if {@code callback} is null
     */
    public CronCallback(Callable<?> callback) {
        super(callback);
    }

    /**
     * A void {@code callback}, named after it (its {@code toString()}), on the system clock.
     *
     * @param callback called at each tick
     * @throws NullPointerException if {@code callback} is null
     */
    public CronCallback(Callback callback) {
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
    public CronCallback(Callback callback, String name, TimeSource time) {
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
    public CronCallback(Callable<?> callback, String name, TimeSource time) {
        super(callback, name, time);
    }

    /**
     * Starts calling on {@code spec}, in UTC.
     * Never blocks: the calls run on a thread of their own (a task of the current entrypoint, or a
     * detached virtual thread), until {@link #stop()}.
     *
     * @param spec a cron spec in {@link CronExpression}'s syntax
     * @return the runner task; it ends at {@link #stop()}
     * @throws NullPointerException     if {@code spec} is null
     * @throws IllegalArgumentException if {@code spec} is invalid
     * @throws IllegalStateException    if already running
     */
    public Task<Void> start(String spec) {
        return start(spec, ZoneOffset.UTC);
    }

    /**
     * Starts calling on {@code spec} in {@code zone}.
     * Never blocks: the calls run on a thread of their own (a task of the current entrypoint, or a
     * detached virtual thread), until {@link #stop()}.
     *
     * @param spec a cron spec in {@link CronExpression}'s syntax
     * @param zone the zone whose wall clock the spec reads
     * @return the runner task; it ends at {@link #stop()}
     * @throws NullPointerException     if {@code spec} or {@code zone} is null
     * @throws IllegalArgumentException if {@code spec} is invalid
     * @throws IllegalStateException    if already running
     */
    public Task<Void> start(String spec, ZoneId zone) {
        return start(CronExpression.parse(spec), zone);
    }

    /**
     * Starts calling on {@code expression} in {@code zone}.
     * Never blocks: the calls run on a thread of their own (a task of the current entrypoint, or a
     * detached virtual thread), until {@link #stop()}.
     *
     * @param expression the parsed schedule
     * @param zone       the zone whose wall clock the schedule reads
     * @return the runner task; it ends at {@link #stop()}
     * @throws NullPointerException  if {@code expression} or {@code zone} is null
     * @throws IllegalStateException if already running
     */
    public Task<Void> start(CronExpression expression, ZoneId zone) {
        Objects.requireNonNull(expression, "expression");
        Objects.requireNonNull(zone, "zone");
        ZonedDateTime[] last = {null};
        return start(() -> {
            ZonedDateTime now = ZonedDateTime.ofInstant(time().now(), zone);
            ZonedDateTime from = last[0] != null && last[0].isAfter(now) ? last[0] : now;
            ZonedDateTime fire = expression.next(from);
            last[0] = fire;
            return Duration.between(now.toInstant(), fire.toInstant());
        });
    }
}
