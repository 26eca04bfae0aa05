package io.aiomisc.stats;

/**
 * Counters of an {@code io.aiomisc.resilience.Aggregator}: its configured {@code leeway_ms} and
 * {@code max_count} (0 = unbounded), and its batches: {@code success}, {@code error}, {@code done}.
 */
public final class AggregateStatistic extends Statistic {
    public final Gauge leewayMs = gauge("leeway_ms");
    public final Gauge maxCount = gauge("max_count");
    public final Counter success = counter("success");
    public final Counter error = counter("error");
    public final Counter done = counter("done");

    public AggregateStatistic(String name) {
        super(name);
    }
}
