package io.aiomisc.resilience;

import java.time.Duration;

/**
 * aiomisc's {@code @cutout(ratio, response_time, *exceptions)}: a {@link CircuitBreaker} for one
 * function.
 *
 * <pre>{@code
 * // When 20 % of 30 s are bad, break for 30 s
 * private final CircuitBreaker fetchBreaker = Cutout.cutout(0.2, Duration.ofSeconds(30), IOException.class);
 * String fetch(String url) throws Exception { return fetchBreaker.call(() -> http.get(url)); }
 * }</pre>
 *
 * <p><i>Difference from aiomisc:</i> with no exception types every {@link Exception} counts
 * (aiomisc's cutout then counts nothing and never opens).
 */
public final class Cutout {
    private Cutout() {}

    /**
     * A breaker with aiomisc's cutout settings: {@code ratio} as the error ratio, every other
     * duration equal to {@code responseTime}, the system clock.
     *
     * @param ratio        the share of failed calls that makes a time slice bad (the breaker's
     *                     {@code errorRatio}); in (0, 1]
     * @param responseTime the window the ratio is measured over, and also the passing, broken and
     *                     recovery times; positive
     * @param exceptions   the exception types counted as failures (subclasses included); none for
     *                     every {@link Exception}
     * @return a new breaker, passing
     * @throws IllegalArgumentException if {@code ratio} is not in (0, 1] or {@code responseTime} is
     *                                  not positive
     * @throws NullPointerException     if {@code responseTime}, {@code exceptions} or one of its
     *                                  elements is null
     */
    @SafeVarargs
    public static CircuitBreaker cutout(double ratio, Duration responseTime, Class<? extends Throwable>... exceptions) {
        return settings(ratio, responseTime, exceptions).build();
    }

    /** The builder {@link #cutout} builds: tests add a manual time source to it. */
    @SafeVarargs
    static CircuitBreaker.Builder settings(
            double ratio, Duration responseTime, Class<? extends Throwable>... exceptions) {
        return CircuitBreaker.builder()
                .errorRatio(ratio)
                .responseTime(responseTime)
                .exceptions(exceptions);
    }
}
