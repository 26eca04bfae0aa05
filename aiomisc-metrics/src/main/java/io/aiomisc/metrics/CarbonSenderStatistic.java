package io.aiomisc.metrics;

import io.aiomisc.stats.Counter;
import io.aiomisc.stats.Statistic;

/**
 * Counters of a {@link CarbonSender} (named {@code carbon-sender}): {@code sends} that delivered
 * every line, {@code lines} delivered, and {@code failures}: sends that did not (Graphite down or
 * slow, its host unresolvable), each dropped whole.
 */
public final class CarbonSenderStatistic extends Statistic {
    /** {@code sends}: sends that delivered every line. */
    public final Counter sends = counter("sends");
    /** {@code lines}: metric lines delivered. */
    public final Counter lines = counter("lines");
    /** {@code failures}: sends that failed and were dropped. */
    public final Counter failures = counter("failures");

    /**
     * The statistic of one sender; registered with {@link io.aiomisc.stats.Statistics}.
     *
     * @param name the sender's name in reports, or null
     */
    public CarbonSenderStatistic(String name) {
        super(name);
    }
}
