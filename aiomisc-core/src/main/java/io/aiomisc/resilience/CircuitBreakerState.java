package io.aiomisc.resilience;

/** The states of a {@link CircuitBreaker}. */
public enum CircuitBreakerState {
    /** Calls pass through; failures are counted. */
    PASSING,
    /** Calls are rejected with {@link CircuitBroken} without being made. */
    BROKEN,
    /** A growing share of calls is let through, to see whether the failures are over. */
    RECOVERING
}
