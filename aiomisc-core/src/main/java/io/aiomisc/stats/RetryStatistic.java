package io.aiomisc.stats;

/** {@link BackoffStatistic} of a backoff made by {@code Backoff.asyncretry}, as aiomisc reports it. */
public final class RetryStatistic extends BackoffStatistic {
    public RetryStatistic(String name) {
        super(name);
    }
}
