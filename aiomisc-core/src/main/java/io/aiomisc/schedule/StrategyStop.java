package io.aiomisc.schedule;

/** Thrown by a {@link Strategy}: stop the recurrence (normally, not as a failure). */
public final class StrategyStop extends RuntimeException {
    /** A stop; carries no stack trace: it is control flow, not a failure. */
    public StrategyStop() {
        super("stop", null, false, false);
    }
}
