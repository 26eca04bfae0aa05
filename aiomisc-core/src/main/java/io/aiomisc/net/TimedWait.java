package io.aiomisc.net;

import io.aiomisc.time.TimeSource;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The servers' bounded waits for their handlers, timed by the server's {@link TimeSource} (so tests
 * move the deadline with a manual clock instead of waiting for it).
 */
final class TimedWait {
    private TimedWait() {}

    /**
     * Waits until every future of {@code done} is complete or {@code timeout} has passed on
     * {@code time}.
     *
     * @param interruptible true: an interrupt ends the wait at once; false: the wait goes on to its
     *                      end. Either way the interrupt flag is set again on return.
     * @return true if everything completed
     */
    static boolean awaitAll(
            TimeSource time, Duration timeout, Collection<? extends CompletableFuture<?>> done, boolean interruptible) {
        CompletableFuture<Void> all = CompletableFuture.allOf(done.toArray(CompletableFuture[]::new));
        if (all.isDone()) {
            return true;
        }
        CompletableFuture<Void> expired = new CompletableFuture<>();
        TimeSource.Scheduled timer = time.schedule(timeout, () -> expired.complete(null));
        CompletableFuture<Object> either = CompletableFuture.anyOf(all, expired);
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    either.get();
                    return all.isDone();
                } catch (InterruptedException e) {
                    interrupted = true;
                    if (interruptible) {
                        return all.isDone();
                    }
                } catch (ExecutionException e) {
                    return all.isDone(); // the futures waited for only ever complete normally
                }
            }
        } finally {
            timer.cancel();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
