package io.aiomisc.stats;

/**
 * Counters of a {@code io.aiomisc.schedule.RecurringCallback} (named after the callback):
 * {@code call_count}, {@code done} (succeeded), {@code fail}, {@code sum_time} in seconds, and
 * {@code skipped} — ticks a fixed-rate periodic callback missed because a call was still running
 * (not in aiomisc, which has no fixed rate).
 */
public final class RecurringCallbackStatistic extends Statistic {
    public final Counter callCount = counter("call_count");
    public final Counter done = counter("done");
    public final Counter fail = counter("fail");
    public final TimeCounter sumTime = timeCounter("sum_time");
    public final Counter skipped = counter("skipped");

    public RecurringCallbackStatistic(String name) {
        super(name);
    }
}
