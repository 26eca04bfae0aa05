package io.aiomisc.stats;

import java.util.Objects;

/**
 * One reported value: aiomisc's {@code StatisticResult}.
 *
 * @param kind   the statistic's class name, as aiomisc prints it ({@code "ThreadPoolStatistic"})
 * @param name   the instance's name ({@code "default"} for the entrypoint's pool), or null
 * @param metric the metric's name ({@code "submitted"}, {@code "sum_time"}, ...)
 * @param value  the value when the report was taken
 */
public record Metric(String kind, String name, String metric, Number value) {
    /**
     * Checks the components.
     *
     * @throws NullPointerException if {@code kind}, {@code metric} or {@code value} is null
     */
    public Metric {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(value, "value");
    }
}
