package io.aiomisc.internal;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One JVM-wide daemon thread for short, non-blocking timer actions (a timeout's interrupt).
 * User code never runs on it.
 */
public final class SharedTimer {
    private SharedTimer() {}

    private static final class Holder {
        static final ScheduledThreadPoolExecutor TIMER = create();

        private static ScheduledThreadPoolExecutor create() {
            ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, Threads.globalFactory("timer"));
            timer.setRemoveOnCancelPolicy(true);
            return timer;
        }
    }

    /** Runs {@code action} once after {@code delayNanos}. */
    public static ScheduledFuture<?> schedule(Runnable action, long delayNanos) {
        return Holder.TIMER.schedule(action, delayNanos, TimeUnit.NANOSECONDS);
    }
}
