package io.aiomisc.testing;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** Work for tests that must be running, and then be interrupted. */
public final class Blocking {
    private Blocking() {}

    /**
     * Work that counts {@code running} down, sleeps until interrupted, counts {@code interrupted}
     * down and rethrows the {@link InterruptedException}.
     */
    public static <T> Callable<T> untilInterrupted(CountDownLatch running, CountDownLatch interrupted) {
        return untilInterrupted(running, interrupted::countDown);
    }

    /**
     * Work that counts {@code running} down, sleeps until interrupted, runs {@code onInterrupt}
     * and rethrows the {@link InterruptedException}.
     */
    public static <T> Callable<T> untilInterrupted(CountDownLatch running, Runnable onInterrupt) {
        return () -> {
            running.countDown();
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                onInterrupt.run();
                throw e;
            }
            throw new AssertionError("unreachable");
        };
    }
}
