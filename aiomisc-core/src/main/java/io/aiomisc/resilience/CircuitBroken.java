package io.aiomisc.resilience;

/**
 * Thrown instead of making a call that a {@link CircuitBreaker} rejects (it is broken, or
 * recovering and the call was not admitted). {@link #getCause()} is the breaker's last counted
 * failure, or null.
 *
 * <p>Rejections are frequent while a breaker is broken, so this exception carries no stack trace
 * of its own (the cause keeps its own). Its message describes the cause without calling the
 * cause's {@code toString()}, so it can never recurse.
 */
public final class CircuitBroken extends RuntimeException {
    /**
     * A rejection without a stack trace of its own.
     *
     * @param lastFailure the breaker's last counted failure, kept as the cause; null if none
     */
    public CircuitBroken(Throwable lastFailure) {
        super(describe(lastFailure), lastFailure, false, false);
    }

    /**
     * The last failure the breaker counted before rejecting this call; the same as
     * {@link #getCause()}.
     *
     * @return that failure, or null if the breaker counted none
     */
    public Throwable lastFailure() {
        return getCause();
    }

    private static String describe(Throwable lastFailure) {
        if (lastFailure == null) {
            return "the circuit is broken";
        }
        String message = lastFailure.getMessage();
        return "the circuit is broken; last failure: " + lastFailure.getClass().getName()
                + (message == null ? "" : ": " + message);
    }
}
