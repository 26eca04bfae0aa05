package io.aiomisc.net;

import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Lets one warning of a kind through per interval and counts the ones held back, so that a peer
 * or a failing resource cannot flood the log. Thread-safe; never blocks beyond a short lock.
 */
final class WarningLimiter {
    private final Duration interval;
    private final ReentrantLock lock = new ReentrantLock();
    private boolean started; // guarded by lock
    private long nextAllowed; // guarded by lock; a nanoTime reading
    private long suppressed; // guarded by lock

    WarningLimiter(Duration interval) {
        this.interval = interval;
    }

    /**
     * Whether a warning may be logged now.
     *
     * @param now the current {@code nanoTime} of the caller's time source
     * @return -1 if the warning is to be dropped (it is counted); else how many were dropped since
     *     the last one let through
     */
    long tryAcquire(long now) {
        lock.lock();
        try {
            if (started && now - nextAllowed < 0) {
                suppressed++;
                return -1;
            }
            started = true;
            nextAllowed = now + interval.toNanos();
            long dropped = suppressed;
            suppressed = 0;
            return dropped;
        } finally {
            lock.unlock();
        }
    }

    /** The interval. */
    Duration interval() {
        return interval;
    }
}
