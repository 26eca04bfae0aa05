package io.aiomisc;

/**
 * Thrown by {@link Entrypoint#close()} when the shutdown met a checked exception: a service's
 * {@code stop()} or a stop receiver threw one, or something did not stop within
 * {@code shutdownTimeout} (a {@link java.util.concurrent.TimeoutException} naming what did not
 * stop). The {@linkplain #getCause() cause} is the first such failure, with the others attached
 * to it as suppressed. Unchecked failures ({@link RuntimeException}s, {@link Error}s) are thrown
 * by {@code close()} as they are, without this wrapper.
 */
public final class ShutdownException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Wraps the first checked failure of a shutdown.
     *
     * @param cause the first checked failure of the shutdown, the others suppressed in it
     */
    public ShutdownException(Throwable cause) {
        super("the entrypoint did not shut down cleanly: " + cause, cause);
    }
}
