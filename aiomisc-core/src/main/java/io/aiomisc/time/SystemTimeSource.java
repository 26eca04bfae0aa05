package io.aiomisc.time;

import io.aiomisc.internal.Durations;
import io.aiomisc.internal.SharedTimer;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;

/** {@link TimeSource#system()}. */
final class SystemTimeSource implements TimeSource {
    static final SystemTimeSource INSTANCE = new SystemTimeSource();

    private SystemTimeSource() {}

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public Instant now() {
        return Instant.now();
    }

    @Override
    public void sleep(Duration duration) throws InterruptedException {
        if (duration.isNegative() || duration.isZero()) {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            return;
        }
        Thread.sleep(duration);
    }

    @Override
    public Scheduled schedule(Duration delay, Runnable action) {
        ScheduledFuture<?> future = SharedTimer.schedule(action, Math.max(0, Durations.toNanos(delay)));
        return () -> future.cancel(false);
    }

    @Override
    public String toString() {
        return "TimeSource.system()";
    }
}
