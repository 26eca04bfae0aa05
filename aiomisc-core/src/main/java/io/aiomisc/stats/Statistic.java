package io.aiomisc.stats;

import java.util.List;
import java.util.Objects;
import java.util.function.DoubleSupplier;
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
 * <p>Every instance is reported by {@link Statistics} from its construction until it is garbage
 * collected. The constructor does not hand {@code this} to the registry (no {@code this} escape):
 * it registers the instance's metric table, which the instance holds and the registry holds weakly,
 * so the table lives exactly as long as the instance. The report's {@code kind} is the subclass's
 * simple name. Thread-safe.
 */
public abstract class Statistic {
    private final Statistics.Table table;

    /**
     * Registers this instance with {@link Statistics}; it is reported from now on, with no metrics
     * until the subclass's field initializers declare them.
     *
     * @param name the instance's name in reports; may be null (aiomisc's {@code None})
     */
    protected Statistic(String name) {
        this.table = Statistics.register(name, getClass());
    }

    /**
     * The instance's name in reports.
     *
     * @return the name given at construction, or null
     */
    public final String name() {
        return table.name();
    }

    /**
     * The name reports use for this kind of statistic.
     *
     * @return the class's simple name, e.g. {@code ThreadPoolStatistic}
     */
    public final String kind() {
        return table.kind();
    }

    /**
     * The current values of this instance's metrics, in declaration order. Each value is read
     * separately: the list is not an atomic snapshot.
     *
     * @return a new list, one {@link Metric} per declared metric
     */
    public final List<Metric> metrics() {
        return table.metrics();
    }

    /**
     * Declares a counter metric named {@code metric}.
     *
     * @param metric the metric's name in reports; unique within this instance
     * @return the new counter, starting at 0
     * @throws NullPointerException     if {@code metric} is null
     * @throws IllegalArgumentException if this instance already declared {@code metric}
     */
    protected final Counter counter(String metric) {
        Counter counter = new Counter();
        declare(metric, counter::value, counter::value);
        return counter;
    }

    /**
     * Declares a gauge metric named {@code metric}.
     *
     * @param metric the metric's name in reports; unique within this instance
     * @return the new gauge, starting at 0
     * @throws NullPointerException     if {@code metric} is null
     * @throws IllegalArgumentException if this instance already declared {@code metric}
     */
    protected final Gauge gauge(String metric) {
        Gauge gauge = new Gauge();
        declare(metric, gauge::value, () -> gauge.value().doubleValue());
        return gauge;
    }

    /**
     * Declares a duration-sum metric named {@code metric}, reported in seconds.
     *
     * @param metric the metric's name in reports; unique within this instance
     * @return the new time counter, starting at zero
     * @throws NullPointerException     if {@code metric} is null
     * @throws IllegalArgumentException if this instance already declared {@code metric}
     */
    protected final TimeCounter timeCounter(String metric) {
        TimeCounter counter = new TimeCounter();
        declare(metric, counter::seconds, counter::seconds);
        return counter;
    }

    /**
     * Declares a metric computed from others when reported (e.g. {@code done = success + error}),
     * so the hot path updates one counter less.
     *
     * @param metric the metric's name in reports; unique within this instance
     * @param value  computes the value on every report, on the reporting thread; must be cheap and
     *               must not block
     * @throws NullPointerException     if {@code metric} or {@code value} is null
     * @throws IllegalArgumentException if this instance already declared {@code metric}
     */
    protected final void derived(String metric, Supplier<Number> value) {
        Objects.requireNonNull(value, "value");
        declare(metric, value, () -> value.get().doubleValue());
    }

    private void declare(String metric, Supplier<Number> value, DoubleSupplier asDouble) {
        table.declare(metric, value, asDouble);
    }

    @Override
    public String toString() {
        return kind() + "[" + (name() == null ? "" : name()) + "]" + metrics();
    }
}
