package io.aiomisc.net;

import java.io.IOException;

/**
 * A separator search of {@link StreamReader#readLine()} or {@link StreamReader#readUntil} went past
 * the reader's limit: asyncio's {@code LimitOverrunError}. An {@link IOException}, so handlers that
 * catch I/O errors keep working; catch this type to tell an oversized line from a failing
 * connection. The reader stays usable: see {@link StreamReader} for what it discarded.
 */
public final class LimitOverrunException extends IOException {
    /** The limit that was exceeded, in bytes. */
    private final int limit;

    /**
     * An exception whose message names the limit.
     *
     * @param limit the reader's limit in bytes
     */
    public LimitOverrunException(int limit) {
        super("separator not found within the limit of " + limit + " bytes");
        this.limit = limit;
    }

    /**
     * The limit that was exceeded.
     *
     * @return the reader's limit in bytes: the most a line, separator included, may take
     */
    public int limit() {
        return limit;
    }
}
