package io.aiomisc.resilience;

/**
 * Thrown to a caller of an {@link Aggregator} whose argument got no result from the batch: the
 * batch function returned fewer results than arguments, or the asynchronous one left its future
 * incomplete. aiomisc's {@code ResultNotSetError}.
 */
public final class ResultNotSetException extends RuntimeException {
    /**
     * An exception with the given message.
     *
     * @param message which argument got no result, and why
     */
    public ResultNotSetException(String message) {
        super(message);
    }
}
