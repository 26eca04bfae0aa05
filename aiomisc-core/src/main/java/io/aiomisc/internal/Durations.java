package io.aiomisc.internal;

import java.time.Duration;
import java.util.Objects;

/** Validation and conversion of {@link Duration} arguments, with messages that name the parameter. */
public final class Durations {
    private Durations() {}

    /** {@code duration} in nanoseconds, saturated at {@code Long.MIN_VALUE}/{@code Long.MAX_VALUE}. */
    public static long toNanos(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException e) {
            return duration.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    /**
     * Returns {@code duration}.
     *
     * @throws NullPointerException     naming {@code parameter} if it is null
     * @throws IllegalArgumentException naming {@code parameter} and the value if it is zero or negative
     */
    public static Duration requirePositive(String parameter, Duration duration) {
        Objects.requireNonNull(duration, parameter);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(parameter + " must be positive: " + duration);
        }
        return duration;
    }

    /**
     * Returns {@code duration}.
     *
     * @throws NullPointerException     naming {@code parameter} if it is null
     * @throws IllegalArgumentException naming {@code parameter} and the value if it is negative
     */
    public static Duration requireNonNegative(String parameter, Duration duration) {
        Objects.requireNonNull(duration, parameter);
        if (duration.isNegative()) {
            throw new IllegalArgumentException(parameter + " must not be negative: " + duration);
        }
        return duration;
    }

    /**
     * Returns {@code duration}.
     *
     * @throws NullPointerException     naming {@code parameter} if it is null
     * @throws IllegalArgumentException naming {@code parameter}, the value and the bounds unless
     *                                  {@code min <= duration <= max}
     */
    public static Duration requireBetween(String parameter, Duration duration, Duration min, Duration max) {
        Objects.requireNonNull(duration, parameter);
        if (duration.compareTo(min) < 0 || duration.compareTo(max) > 0) {
            throw new IllegalArgumentException(parameter + " must be between " + min + " and " + max + ": " + duration);
        }
        return duration;
    }

    /** A deadline {@code duration} from now on the {@link System#nanoTime()} scale, saturated. */
    public static long deadline(Duration duration) {
        return saturatedAdd(System.nanoTime(), toNanos(duration));
    }

    /** {@code a + b}, saturated at {@code Long.MAX_VALUE}/{@code Long.MIN_VALUE} instead of overflowing. */
    public static long saturatedAdd(long a, long b) {
        long sum = a + b;
        if (((a ^ sum) & (b ^ sum)) < 0) {
            return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return sum;
    }

    /** Nanoseconds left until {@code deadline} (never negative). */
    public static long remaining(long deadline) {
        if (deadline == Long.MAX_VALUE) {
            return Long.MAX_VALUE;
        }
        return Math.max(0, deadline - System.nanoTime());
    }
}
