package io.aiomisc.io;

import java.io.Closeable;
import java.io.IOException;

/** What {@link AsyncFile} reads and writes through: a plain file or a (de)compressing stream. */
interface FileBackend extends Closeable {
    /** Up to {@code len} bytes at the position; -1 at the end. */
    int read(byte[] buffer, int offset, int length) throws IOException;

    void write(byte[] buffer, int offset, int length) throws IOException;

    /** The position in the (uncompressed) content. */
    long position() throws IOException;

    /** Moves to {@code position} of the (uncompressed) content; returns where it ended up. */
    long seek(long position) throws IOException;

    void truncate(long size) throws IOException;

    void flush() throws IOException;
}
