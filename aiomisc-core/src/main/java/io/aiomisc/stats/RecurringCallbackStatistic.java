package io.aiomisc.stats;

/**
 * Counters of a {@code io.aiomisc.schedule.RecurringCallback} (named after the callback):
 * {@code call_count}, {@code done} (succeeded), {@code fail}, {@code sum_time} in seconds, and
 * {@code skipped} — ticks a fixed-rate periodic callback missed because a call was still running
 * (not in aiomisc, which has no fixed rate).
 */
public final class RecurringCallbackStatistic extends Statistic {
    /** {@code call_count}: calls of the callback. */
    public final Counter callCount = counter("call_count");
    /** {@code done}: calls that returned. */
    public final Counter done = counter("done");
    /** {@code fail}: calls that threw. */
    public final Counter fail = counter("fail");
    /** {@code sum_time}: the time spent in calls, in seconds. */
    public final TimeCounter sumTime = timeCounter("sum_time");
    /** {@code skipped}: ticks missed because a call was still running. */
    public final Counter skipped = counter("skipped");

    /**
     * The statistic of one recurring callback; registered with {@link Statistics}.
     *
     * @param name the instance's name in reports, or null
     */
    public RecurringCallbackStatistic(String name) {
        super(name);
    }
}
