package io.aiomisc.stats;

/**
 * Counters of a {@code io.aiomisc.resilience.Backoff}: calls {@code done}, {@code attempts},
 * {@code cancels} (calls interrupted from outside), retriable {@code errors} and {@code sum_time}
 * spent in calls, in seconds. Sealed: {@link RetryStatistic} is the one variant (aiomisc's).
 */
public sealed class BackoffStatistic extends Statistic permits RetryStatistic {
    /** {@code done}: calls that finished, successfully or not. */
    public final Counter done = counter("done");
    /** Attempts after the first of a call; {@code attempts} is reported as {@code done + retries}. */
    public final Counter retries = new Counter();
    /** {@code cancels}: calls interrupted from outside. */
    public final Counter cancels;
    /** {@code errors}: attempts that failed with a retriable failure (a timeout, a listed exception). */
    public final Counter errors;
    /** {@code sum_time}: the time spent in calls, in seconds. */
    public final TimeCounter sumTime;

    /**
     * The statistic of one backoff; registered with {@link Statistics}.
     *
     * @param name the instance's name in reports, or null
     */
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
     *
     * @return {@code done + retries}
     */
    public long attempts() {
        return done.value() + retries.value();
    }
}
