package io.aiomisc;

/**
 * What ended the run when the process received SIGINT or SIGTERM: the exception every service's
 * {@link Service#stop(Throwable)} receives in that case (aiomisc's
 * {@code RuntimeError("Interrupt signal received")}).
 */
public final class InterruptSignalException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String signal;

    public InterruptSignalException(String signal) {
        super("Interrupt signal received: SIG" + signal);
        this.signal = signal;
    }

    /** The signal's name without the {@code SIG} prefix: {@code INT} or {@code TERM}. */
    public String signal() {
        return signal;
    }
}
