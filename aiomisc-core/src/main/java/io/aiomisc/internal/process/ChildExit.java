package io.aiomisc.internal.process;

import io.aiomisc.internal.Durations;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Waiting for a child process to exit, as shutdown code must: without giving up on an interrupt. */
public final class ChildExit {
    /** How long a child gets after SIGKILL before it counts as stuck in the kernel. */
    private static final Duration AFTER_KILL = Duration.ofSeconds(5);

    private ChildExit() {}

    /**
     * Waits up to {@code timeout} for {@code child} to exit. An interrupt does not end the wait; the
     * thread's interrupt status is set again before returning.
     *
     * @return true if it exited
     */
    public static boolean await(Process child, Duration timeout) {
        long deadline = Durations.deadline(timeout);
        boolean interrupted = false;
        try {
            while (child.isAlive()) {
                long left = Durations.remaining(deadline);
                if (left <= 0) {
                    return false;
                }
                try {
                    child.waitFor(left, TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            return true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Waits up to {@code grace} for {@code child} to exit (it was told to), then kills it with SIGKILL
     * and waits a little more. Not interruptible, as {@link #await}.
     *
     * @return its exit status, or -1 if it is still there (stuck in the kernel)
     */
    public static int reap(Process child, Duration grace) {
        if (!await(child, grace)) {
            child.destroyForcibly();
            if (!await(child, AFTER_KILL)) {
                return -1;
            }
        }
        return child.exitValue();
    }
}
