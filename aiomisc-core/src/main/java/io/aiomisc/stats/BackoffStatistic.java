package io.aiomisc.stats;

/**
 * Counters of a {@code io.aiomisc.resilience.Backoff}: calls {@code done}, {@code attempts},
 * {@code cancels} (calls interrupted from outside), retriable {@code errors} and {@code sum_time}
 * spent in calls, in seconds. Sealed: {@link RetryStatistic} is the one variant (aiomisc's).
 */
public sealed class BackoffStatistic extends Statistic permits RetryStatistic {
    public final Counter done = counter("done");
    /** Attempts after the first of a call; {@code attempts} is reported as {@code done + retries}. */
    public final Counter retries = new Counter();
    public final Counter cancels;
    public final Counter errors;
    public final TimeCounter sumTime;

    public BackoffStatistic(String name) {
        super(name);
        derived("attempts", this::attempts);
        cancels = counter("cancels");
        errors = counter("errors");
        sumTime = timeCounter("sum_time");
    }

    /**
     * Attempts made by finished calls and retries of running ones: the first attempt of each call
     * is counted when the call finishes, so the success path updates one counter.
     */
    public long attempts() {
        return done.value() + retries.value();
    }
}
