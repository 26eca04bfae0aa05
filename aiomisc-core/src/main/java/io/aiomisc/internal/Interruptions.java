package io.aiomisc.internal;

import java.nio.channels.ClosedByInterruptException;
import java.util.concurrent.CancellationException;

/** Telling cancellation (an interrupt, in this library) apart from failure. */
public final class Interruptions {
    private Interruptions() {}

    /**
     * True if {@code failure} is how cancellation surfaces: an {@link InterruptedException}, a
     * {@link ClosedByInterruptException}, or a {@link CancellationException}.
     */
    public static boolean isCancellation(Throwable failure) {
        return failure instanceof InterruptedException
                || failure instanceof ClosedByInterruptException
                || failure instanceof CancellationException;
    }
}
