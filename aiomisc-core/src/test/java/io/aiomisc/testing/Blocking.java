package io.aiomisc.testing;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** Work for tests that must be running, and then be interrupted. */
public final class Blocking {
    private Blocking() {
    }

    /**
     * Work that counts {@code running} down, sleeps until interrupted, counts {@code interrupted}
     * down and rethrows the {@link InterruptedException}.
     */
    public static <T> Callable<T> untilInterrupted(CountDownLatch running, CountDownLatch interrupted) {
        return () -> {
            running.countDown();
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                interrupted.countDown();
                throw e;
            }
            throw new AssertionError("unreachable");
        };
    }
}
