package io.aiomisc.stats;

import java.util.Objects;

/** A metric that holds the value last set (a ratio, a configured limit). Thread-safe. */
public final class Gauge {
    private volatile Number value = 0L;

    Gauge() {}

    /**
     * Sets the value, reported as a {@code Long}.
     *
     * @param value the new value
     */
    public void set(long value) {
        this.value = value;
    }

    /**
     * Sets the value, reported as a {@code Double}.
     *
     * @param value the new value
     */
    public void set(double value) {
        this.value = value;
    }

    /**
     * Sets the value; integral numbers are reported as {@code Long}, others as {@code Double}.
     *
     * @param value the new value
     * @throws NullPointerException if {@code value} is null
     */
    public void set(Number value) {
        Objects.requireNonNull(value, "value");
        if (value instanceof Double || value instanceof Float) {
            this.value = value.doubleValue();
        } else {
            this.value = value.longValue();
        }
    }

    /**
     * The value last set; {@code 0L} before the first.
     *
     * @return a {@code Long} or a {@code Double}
     */
    public Number value() {
        return value;
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
