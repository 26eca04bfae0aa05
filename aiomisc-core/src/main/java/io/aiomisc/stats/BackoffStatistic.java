package io.aiomisc.stats;

/**
 * Counters of a {@code io.aiomisc.resilience.Backoff}: calls {@code done}, {@code attempts},
 * {@code cancels} (calls interrupted from outside), retriable {@code errors} and {@code sum_time}
 * spent in calls, in seconds.
 */
public class BackoffStatistic extends Statistic {
    public final Counter done = counter("done");
    public final Counter attempts = counter("attempts");
    public final Counter cancels = counter("cancels");
    public final Counter errors = counter("errors");
    public final TimeCounter sumTime = timeCounter("sum_time");

    public BackoffStatistic(String name) {
        super(name);
    }
}
