package io.aiomisc.stats;

/** {@link BackoffStatistic} of a backoff made by {@code Backoff.asyncretry}, as aiomisc reports it. */
public final class RetryStatistic extends BackoffStatistic {
    /**
     * The statistic of one {@code asyncretry} backoff; registered with {@link Statistics}.
     *
     * @param name the instance's name in reports, or null
     */
    public RetryStatistic(String name) {
        super(name);
    }
}
