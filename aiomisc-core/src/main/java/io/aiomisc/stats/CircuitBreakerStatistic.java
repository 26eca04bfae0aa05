package io.aiomisc.stats;

import java.util.function.DoubleSupplier;

/**
 * Counters of a {@code io.aiomisc.resilience.CircuitBreaker}: {@code call_count} (all calls),
 * {@code error_ratio} (its current ratio of bad time slices), {@code error_ratio_threshold} (its
 * configured error ratio), and the calls made while {@code call_passing}, {@code call_broken} and
 * {@code call_recovering}, the latter split into {@code call_recovering_ok} (admitted) and
 * {@code call_recovering_failed} (rejected).
 */
public final class CircuitBreakerStatistic extends Statistic {
    /** {@code error_ratio_threshold}: the configured error ratio at which the breaker breaks. */
    public final Gauge errorRatioThreshold;
    /** {@code call_passing}: calls made while the breaker was passing. */
    public final Counter callPassing;
    /** {@code call_broken}: calls made while the breaker was broken (all rejected). */
    public final Counter callBroken;
    /** {@code call_recovering}: calls made while the breaker was recovering. */
    public final Counter callRecovering;
    /** {@code call_recovering_ok}: calls admitted while recovering. */
    public final Counter callRecoveringOk;
    /** {@code call_recovering_failed}: calls rejected while recovering. */
    public final Counter callRecoveringFailed;

    /**
     * The statistic of one circuit breaker; registered with {@link Statistics}.
     *
     * @param name       the instance name, or null
     * @param errorRatio reads the breaker's current error ratio when the statistic is reported
     */
    public CircuitBreakerStatistic(String name, DoubleSupplier errorRatio) {
        super(name);
        derived("call_count", this::callCount);
        derived("error_ratio", errorRatio::getAsDouble);
        errorRatioThreshold = gauge("error_ratio_threshold");
        callPassing = counter("call_passing");
        callBroken = counter("call_broken");
        callRecovering = counter("call_recovering");
        callRecoveringOk = counter("call_recovering_ok");
        callRecoveringFailed = counter("call_recovering_failed");
    }

    /**
     * All calls: passing, broken and recovering.
     *
     * @return {@code call_count}
     */
    public long callCount() {
        return callPassing.value() + callBroken.value() + callRecovering.value();
    }
}
