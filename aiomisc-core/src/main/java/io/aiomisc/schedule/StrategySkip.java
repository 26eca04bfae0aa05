package io.aiomisc.schedule;

import java.time.Duration;
import java.util.Objects;

/** Thrown by a {@link Strategy}: wait {@link #delay()}, then ask the strategy again, without calling. */
public final class StrategySkip extends RuntimeException {
    private final Duration delay;

    public StrategySkip(Duration delay) {
        super("skip for " + delay, null, false, false);
        this.delay = Objects.requireNonNull(delay, "delay");
    }

    public Duration delay() {
        return delay;
    }
}
