package io.aiomisc;

/**
 * What ended the run when the process received SIGINT or SIGTERM (or another signal chosen with
 * {@code Entrypoint.Builder.catchSignals(String...)}): the exception every service's
 * {@link Service#stop(Throwable)} receives in that case (aiomisc's
 * {@code RuntimeError("Interrupt signal received")}).
 */
public final class InterruptSignalException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The signal's name without the {@code SIG} prefix (part of the serialized form). */
    private final String signal;

    /**
     * The exception for one received signal.
     *
     * @param signal the signal's name without the {@code SIG} prefix, e.g. {@code INT}
     */
    public InterruptSignalException(String signal) {
        super("Interrupt signal received: SIG" + signal);
        this.signal = signal;
    }

    /**
     * The signal that ended the run.
     *
     * @return its name without the {@code SIG} prefix: {@code INT} or {@code TERM} by default, or
     *         another signal chosen with {@code Entrypoint.Builder.catchSignals(String...)}
     */
    public String signal() {
        return signal;
    }
}
