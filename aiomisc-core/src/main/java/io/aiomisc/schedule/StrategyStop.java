package io.aiomisc.schedule;

/** Thrown by a {@link Strategy}: stop the recurrence (normally, not as a failure). */
public final class StrategyStop extends RuntimeException {
    public StrategyStop() {
        super("stop", null, false, false);
    }
}
