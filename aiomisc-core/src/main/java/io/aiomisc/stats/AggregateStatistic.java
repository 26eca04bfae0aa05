package io.aiomisc.stats;

/**
 * Counters of an {@code io.aiomisc.resilience.Aggregator}: its configured {@code leeway_ms} and
 * {@code max_count} (0 = unbounded), and its batches: {@code success}, {@code error}, {@code done}.
 */
public final class AggregateStatistic extends Statistic {
    /** {@code leeway_ms}: how long the aggregator waits to fill a batch, in milliseconds. */
    public final Gauge leewayMs = gauge("leeway_ms");
    /** {@code max_count}: the most calls in one batch; 0 for no limit. */
    public final Gauge maxCount = gauge("max_count");
    /** {@code success}: batches whose function returned. */
    public final Counter success = counter("success");
    /** {@code error}: batches whose function threw. */
    public final Counter error = counter("error");
    /** {@code done}: batches finished either way. */
    public final Counter done = counter("done");

    /**
     * The statistic of one aggregator; registered with {@link Statistics}.
     *
     * @param name the instance's name in reports, or null
     */
    public AggregateStatistic(String name) {
        super(name);
    }
}
