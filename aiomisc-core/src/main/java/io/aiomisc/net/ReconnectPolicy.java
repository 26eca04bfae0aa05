package io.aiomisc.net;

import io.aiomisc.internal.Durations;
import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How a {@link RobustTcpClient} waits before reconnecting: after the n-th failure or disconnect in a
 * row, {@code minDelay × multiplier^(n-1)}, capped at {@code maxDelay}, randomized by ±{@code jitter};
 * never less than {@code minDelay}. Also the optional limit on how long the first connection may
 * take before the client's start fails.
 *
 * <p><b>What counts as "in a row".</b> A failed connection attempt, and the end of a connection that
 * lived less than {@link #minConnectionLifetime()} (default: {@code maxDelay}, 5 s), each add one to
 * the streak, so a server that accepts and at once drops every connection is reconnected to less and
 * less often, as one that refuses them. The end of a connection that lived at least that long starts
 * a new streak: the wait after it is the first one, {@code minDelay}.
 *
 * <p>Defaults: minDelay 100 ms, maxDelay 5 s (aiomisc's reconnect timeout), multiplier 2, jitter
 * 0.2, minConnectionLifetime = maxDelay, no start timeout. Immutable; each {@code with...} method
 * returns a new policy.
 */
public final class ReconnectPolicy {
    private static final ReconnectPolicy DEFAULTS =
            new ReconnectPolicy(Duration.ofMillis(100), Duration.ofSeconds(5), 2.0, 0.2, null, null);

    private final Duration minDelay;
    private final Duration maxDelay;
    private final double multiplier;
    private final double jitter;
    private final Duration startTimeout;
    /** Null: follows {@link #maxDelay}. */
    private final Duration minConnectionLifetime;

    private ReconnectPolicy(
            Duration minDelay,
            Duration maxDelay,
            double multiplier,
            double jitter,
            Duration startTimeout,
            Duration minConnectionLifetime) {
        this.minDelay = minDelay;
        this.maxDelay = maxDelay;
        this.multiplier = multiplier;
        this.jitter = jitter;
        this.startTimeout = startTimeout;
        this.minConnectionLifetime = minConnectionLifetime;
    }

    /**
     * The default policy: minDelay 100 ms, maxDelay 5 s, multiplier 2, jitter 0.2, no start timeout.
     *
     * @return the shared default policy
     */
    public static ReconnectPolicy defaults() {
        return DEFAULTS;
    }

    /**
     * The shortest wait between connections.
     *
     * @param minDelay not negative
     * @return a new policy with that minimum, the rest unchanged
     * @throws IllegalArgumentException if {@code minDelay} is negative
     */
    public ReconnectPolicy withMinDelay(Duration minDelay) {
        Durations.requireNonNegative("minDelay", minDelay);
        return new ReconnectPolicy(minDelay, maxDelay, multiplier, jitter, startTimeout, minConnectionLifetime);
    }

    /**
     * The longest wait between connections, before the jitter.
     *
     * @param maxDelay not negative
     * @return a new policy with that maximum, the rest unchanged
     * @throws IllegalArgumentException if {@code maxDelay} is negative
     */
    public ReconnectPolicy withMaxDelay(Duration maxDelay) {
        Durations.requireNonNegative("maxDelay", maxDelay);
        return new ReconnectPolicy(minDelay, maxDelay, multiplier, jitter, startTimeout, minConnectionLifetime);
    }

    /**
     * Growth of the wait per failure in a row.
     *
     * @param multiplier a finite number, at least 1 (1: always {@code minDelay})
     * @return a new policy with that multiplier, the rest unchanged
     * @throws IllegalArgumentException if {@code multiplier} is below 1, infinite or NaN
     */
    public ReconnectPolicy withMultiplier(double multiplier) {
        if (!(multiplier >= 1) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("multiplier must be a finite number >= 1: " + multiplier);
        }
        return new ReconnectPolicy(minDelay, maxDelay, multiplier, jitter, startTimeout, minConnectionLifetime);
    }

    /**
     * Randomization of each wait: a wait {@code d} becomes a random value in
     * {@code [d·(1-jitter), d·(1+jitter))}, never below {@code minDelay}.
     *
     * @param jitter between 0 (none) and 1
     * @return a new policy with that jitter, the rest unchanged
     * @throws IllegalArgumentException if {@code jitter} is outside 0..1 or NaN
     */
    public ReconnectPolicy withJitter(double jitter) {
        if (!(jitter >= 0 && jitter <= 1)) {
            throw new IllegalArgumentException("jitter must be between 0 and 1: " + jitter);
        }
        return new ReconnectPolicy(minDelay, maxDelay, multiplier, jitter, startTimeout, minConnectionLifetime);
    }

    /**
     * How long the first connection may take before the client's start fails with a
     * {@link java.util.concurrent.TimeoutException}; null for no limit (the default, as aiomisc).
     *
     * @param startTimeout positive, or null
     * @return a new policy with that start timeout, the rest unchanged
     * @throws IllegalArgumentException if {@code startTimeout} is zero or negative
     */
    public ReconnectPolicy withStartTimeout(Duration startTimeout) {
        if (startTimeout != null) {
            Durations.requirePositive("startTimeout", startTimeout);
        }
        return new ReconnectPolicy(minDelay, maxDelay, multiplier, jitter, startTimeout, minConnectionLifetime);
    }

    /**
     * How long a connection must live for its end to start a new streak rather than count as one
     * more failure in a row (see the class description).
     *
     * @param minConnectionLifetime not negative (zero: every connection starts a new streak, so a
     *                              server that drops every connection is reconnected to after
     *                              {@code minDelay} each time), or null to follow {@code maxDelay}
     *                              (the default)
     * @return a new policy with that lifetime, the rest unchanged
     * @throws IllegalArgumentException if {@code minConnectionLifetime} is negative
     */
    public ReconnectPolicy withMinConnectionLifetime(Duration minConnectionLifetime) {
        if (minConnectionLifetime != null) {
            Durations.requireNonNegative("minConnectionLifetime", minConnectionLifetime);
        }
        return new ReconnectPolicy(minDelay, maxDelay, multiplier, jitter, startTimeout, minConnectionLifetime);
    }

    /**
     * How long a connection must live for its end to start a new streak of waits.
     *
     * @return the lifetime set by {@link #withMinConnectionLifetime}, else {@link #maxDelay()}
     */
    public Duration minConnectionLifetime() {
        return minConnectionLifetime != null ? minConnectionLifetime : maxDelay;
    }

    /**
     * The wait after {@code failures} failures or disconnects in a row.
     *
     * @param failures the number of failures in a row; 1 (or less) for the first
     * @param random   the source of the jitter
     * @return the wait, at least {@code minDelay}
     */
    public Duration delay(int failures, RandomGenerator random) {
        Objects.requireNonNull(random, "random");
        double nanos = Durations.toNanos(minDelay) * Math.pow(multiplier, Math.max(0, failures - 1));
        nanos = Math.min(nanos, Durations.toNanos(maxDelay));
        if (jitter > 0) {
            nanos *= 1 + jitter * (2 * random.nextDouble() - 1);
        }
        nanos = Math.max(nanos, Durations.toNanos(minDelay));
        return Duration.ofNanos((long) Math.min(nanos, Long.MAX_VALUE));
    }

    /**
     * The shortest wait between connections.
     *
     * @return the minimum delay
     */
    public Duration minDelay() {
        return minDelay;
    }

    /**
     * The longest wait between connections, before the jitter.
     *
     * @return the maximum delay
     */
    public Duration maxDelay() {
        return maxDelay;
    }

    /**
     * How long the first connection may take.
     *
     * @return the start timeout, or null for no limit
     */
    public Duration startTimeout() {
        return startTimeout;
    }

    /**
     * {@code duration} as a person reads it in a log line: {@code "250 ms"}, {@code "1.5 s"},
     * {@code "2.5 min"} (not {@code PT1.5S}).
     */
    static String human(Duration duration) {
        long nanos = Durations.toNanos(duration);
        if (nanos < 1_000_000_000L) {
            return nanos / 1_000_000 + " ms";
        }
        if (nanos < 60_000_000_000L) {
            return oneDecimal(nanos / 1e9) + " s";
        }
        return oneDecimal(nanos / 60e9) + " min";
    }

    private static String oneDecimal(double value) {
        String text = String.format(java.util.Locale.ROOT, "%.1f", value);
        return text.endsWith(".0") ? text.substring(0, text.length() - 2) : text;
    }

    @Override
    public String toString() {
        return "ReconnectPolicy[minDelay=" + minDelay + ", maxDelay=" + maxDelay + ", multiplier=" + multiplier
                + ", jitter=" + jitter + ", startTimeout=" + startTimeout + ", minConnectionLifetime="
                + minConnectionLifetime() + "]";
    }
}
