package io.aiomisc.schedule;

import java.time.Duration;
import java.util.Objects;

/** Thrown by a {@link Strategy}: wait {@link #delay()}, then ask the strategy again, without calling. */
public final class StrategySkip extends RuntimeException {
    /** How long to wait before asking the strategy again (part of the serialized form). */
    private final Duration delay;

    /**
     * A skip of {@code delay}. Carries no stack trace: it is control flow, not a failure.
     *
     * @param delay how long to wait before asking the strategy again
     * @throws NullPointerException if {@code delay} is null
     */
    public StrategySkip(Duration delay) {
        super("skip for " + delay, null, false, false);
        this.delay = Objects.requireNonNull(delay, "delay");
    }

    /**
     * How long the recurring callback waits before asking the strategy again.
     *
     * @return the delay given at construction
     */
    public Duration delay() {
        return delay;
    }
}
