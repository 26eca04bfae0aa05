package io.aiomisc.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * Base class of a component's statistics: subclasses declare their metrics as final fields made
 * with {@link #counter}, {@link #gauge} and {@link #timeCounter}, in the order they are reported.
 *
 * <pre>{@code
 * public final class ContextStatistic extends Statistic {
 *     public final Counter get = counter("get");
 *     public final Counter set = counter("set");
 *     public ContextStatistic(String name) { super(name); }
 * }
 * }</pre>
 *
 * <p>Every instance registers itself with {@link Statistics} when constructed and is held weakly
 * there. The report's {@code kind} is the subclass's simple name. Thread-safe.
 */
public abstract class Statistic {
    private final String name;
    private final List<Cell> cells = new CopyOnWriteArrayList<>();

    /** @param name the instance's name in reports; may be null (aiomisc's {@code None}) */
    protected Statistic(String name) {
        this.name = name;
        Statistics.register(this);
    }

    /** The instance's name, or null. */
    public final String name() {
        return name;
    }

    /** The name reports use for this kind of statistic: the class's simple name. */
    public String kind() {
        return getClass().getSimpleName();
    }

    /** The current values of this instance's metrics, in declaration order. */
    public final List<Metric> metrics() {
        List<Metric> result = new ArrayList<>(cells.size());
        for (Cell cell : cells) {
            result.add(new Metric(kind(), name, cell.metric, cell.value.get()));
        }
        return result;
    }

    /** Declares a counter metric named {@code metric}. */
    protected final Counter counter(String metric) {
        Counter counter = new Counter();
        declare(metric, counter::value);
        return counter;
    }

    /** Declares a gauge metric named {@code metric}. */
    protected final Gauge gauge(String metric) {
        Gauge gauge = new Gauge();
        declare(metric, gauge::value);
        return gauge;
    }

    /** Declares a duration-sum metric named {@code metric}, reported in seconds. */
    protected final TimeCounter timeCounter(String metric) {
        TimeCounter counter = new TimeCounter();
        declare(metric, counter::seconds);
        return counter;
    }

    /**
     * Declares a metric computed from others when reported (e.g. {@code done = success + error}),
     * so the hot path updates one counter less.
     */
    protected final void derived(String metric, Supplier<Number> value) {
        declare(metric, Objects.requireNonNull(value, "value"));
    }

    private void declare(String metric, Supplier<Number> value) {
        Objects.requireNonNull(metric, "metric");
        for (Cell cell : cells) {
            if (cell.metric.equals(metric)) {
                throw new IllegalArgumentException("metric declared twice in " + kind() + ": " + metric);
            }
        }
        cells.add(new Cell(metric, value));
    }

    @Override
    public String toString() {
        return kind() + "[" + (name == null ? "" : name) + "]" + metrics();
    }

    private record Cell(String metric, Supplier<Number> value) {
    }
}
