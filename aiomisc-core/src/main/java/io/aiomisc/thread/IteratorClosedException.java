package io.aiomisc.thread;

import java.util.concurrent.CancellationException;

/**
 * Thrown by {@link Emitter#emit} once the consumer has closed the {@link IteratorWrapper}: the
 * producer should stop (aiomisc's {@code ChannelClosed}, thrown into the generator). Let it
 * propagate; the wrapper does not report it as a failure.
 */
public final class IteratorClosedException extends CancellationException {
    private static final long serialVersionUID = 1L;

    /** The exception {@code emit} throws after the consumer closed the iterator. */
    public IteratorClosedException() {
        super("the iterator was closed by its consumer");
    }
}
