package io.aiomisc.stats;

import java.lang.ref.WeakReference;

/**
 * A live reader of one metric of one statistic instance, from {@link Statistics#sources()}: each
 * {@link #value()} reads the metric now, without allocating. It holds its metric weakly: once the
 * instance is garbage collected, {@link #live()} is false and {@link #value()} is 0, so a sum over
 * sources counts only live instances, as aiomisc's reports do. Thread-safe; reading never blocks.
 */
public final class MetricSource {
    private final WeakReference<Statistics.Cell> cell;
    private final String kind;
    private final String name;
    private final String metric;

    MetricSource(Statistics.Cell cell, String kind, String name) {
        this.cell = new WeakReference<>(cell);
        this.kind = kind;
        this.name = name;
        this.metric = cell.metric();
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
        return cell.get() != null;
    }

    /**
     * The metric's current value (seconds for a time counter), read without allocating.
     *
     * @return the value, or 0 once the instance was garbage collected
     */
    public double value() {
        Statistics.Cell current = cell.get();
        return current == null ? 0 : current.asDouble().getAsDouble();
    }

    /**
     * The metric's current value with its own type: a {@code Long} for counters and gauges set to
     * whole numbers, a {@code Double} for time counters and decimal gauges.
     *
     * @return the value, or null once the instance was garbage collected
     */
    public Number number() {
        Statistics.Cell current = cell.get();
        return current == null ? null : current.value().get();
    }

    @Override
    public String toString() {
        return kind + "[" + (name == null ? "" : name) + "]." + metric;
    }
}
