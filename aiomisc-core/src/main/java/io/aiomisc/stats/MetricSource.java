package io.aiomisc.stats;

/**
 * A live reader of one metric of one statistic instance, from {@link Statistics#sources()}: each
 * {@link #value()} reads the metric now. It holds its instance weakly: once the instance is
 * garbage collected, {@link #live()} is false and {@link #value()} is 0, so a sum over sources
 * counts only live instances, as aiomisc's reports do. Thread-safe; reading never blocks.
 */
public final class MetricSource {
    private final Statistics.Entry entry;
    private final String kind;
    private final String name;
    private final String metric;
    private final int index;

    MetricSource(Statistics.Entry entry, String kind, String name, String metric, int index) {
        this.entry = entry;
        this.kind = kind;
        this.name = name;
        this.metric = metric;
        this.index = index;
    }

    /**
     * The statistic's kind, as in {@link Metric#kind()}.
     *
     * @return the statistic class's simple name, e.g. {@code ThreadPoolStatistic}
     */
    public String kind() {
        return kind;
    }

    /**
     * The instance's name, as in {@link Metric#name()}.
     *
     * @return the name, or null
     */
    public String name() {
        return name;
    }

    /**
     * The metric's name, as in {@link Metric#metric()}.
     *
     * @return e.g. {@code submitted} or {@code sum_time}
     */
    public String metric() {
        return metric;
    }

    /**
     * Whether the instance is still reachable.
     *
     * @return false once it was garbage collected
     */
    public boolean live() {
        return entry.get() != null;
    }

    /**
     * The metric's current value (seconds for a time counter).
     *
     * @return the value, or 0 once the instance was garbage collected
     */
    public double value() {
        Statistics.Table table = entry.get();
        return table == null ? 0 : table.value(index).doubleValue();
    }

    /**
     * The metric's current value with its own type: a {@code Long} for counters and gauges, a
     * {@code Double} for time counters.
     *
     * @return the value, or null once the instance was garbage collected
     */
    public Number number() {
        Statistics.Table table = entry.get();
        return table == null ? null : table.value(index);
    }

    @Override
    public String toString() {
        return kind + "[" + (name == null ? "" : name) + "]." + metric;
    }
}
