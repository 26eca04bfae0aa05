package io.aiomisc.net;

import java.io.EOFException;

/**
 * The stream ended before a {@link StreamReader#readExactly} or {@link StreamReader#readUntil} was
 * satisfied: asyncio's {@code IncompleteReadError}. {@link #partial()} holds the bytes read before
 * the end.
 */
public final class IncompleteReadException extends EOFException {
    private final byte[] partial;
    private final int expected;

    public IncompleteReadException(byte[] partial, int expected) {
        super(partial.length + " bytes read before the end of the stream"
                + (expected >= 0 ? "; " + expected + " expected" : "; the separator was not found"));
        this.partial = partial.clone();
        this.expected = expected;
    }

    /** The bytes read before the end of the stream. */
    public byte[] partial() {
        return partial.clone();
    }

    /** The number of bytes expected, or -1 when a separator was expected. */
    public int expected() {
        return expected;
    }
}
