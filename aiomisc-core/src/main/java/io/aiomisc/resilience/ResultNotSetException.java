package io.aiomisc.resilience;

/**
 * Thrown to a caller of an {@link Aggregator} whose argument got no result from the batch: the
 * batch function returned fewer results than arguments, or the asynchronous one left its future
 * incomplete. aiomisc's {@code ResultNotSetError}.
 */
public final class ResultNotSetException extends RuntimeException {
    public ResultNotSetException(String message) {
        super(message);
    }
}
