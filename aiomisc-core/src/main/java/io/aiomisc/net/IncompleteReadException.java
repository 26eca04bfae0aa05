package io.aiomisc.net;

import java.io.EOFException;

/**
 * The stream ended before a {@link StreamReader#readExactly} or {@link StreamReader#readUntil} was
 * satisfied: asyncio's {@code IncompleteReadError}. {@link #partial()} holds the bytes read before
 * the end.
 */
public final class IncompleteReadException extends EOFException {
    /** The bytes read before the end (a copy of its own). */
    private final byte[] partial;
    /** The number of bytes expected, or -1 when a separator was. */
    private final int expected;

    /**
     * An exception whose message says how much was read and what was expected.
     *
     * @param partial  the bytes read before the end of the stream; copied
     * @param expected the number of bytes expected, or -1 when a separator was expected
     * @throws NullPointerException if {@code partial} is null
     */
    public IncompleteReadException(byte[] partial, int expected) {
        super(partial.length + " bytes read before the end of the stream"
                + (expected >= 0 ? "; " + expected + " expected" : "; the separator was not found"));
        this.partial = partial.clone();
        this.expected = expected;
    }

    /**
     * The bytes read before the end of the stream.
     *
     * @return a new copy of them, possibly empty
     */
    public byte[] partial() {
        return partial.clone();
    }

    /**
     * What the read waited for.
     *
     * @return the number of bytes expected, or -1 when a separator was expected
     */
    public int expected() {
        return expected;
    }
}
