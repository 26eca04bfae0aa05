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

    /**
     * Waits until {@code release} reaches zero, deaf to interrupts (each one is swallowed and the
     * wait goes on): what a {@code stop()} that ignores cancellation looks like.
     */
    public static void deafUntil(CountDownLatch release) {
        while (release.getCount() > 0) {
            try {
                release.await();
            } catch (InterruptedException ignored) {
                // deaf to interrupts on purpose
            }
        }
    }
}
