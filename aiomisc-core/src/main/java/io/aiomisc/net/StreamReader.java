package io.aiomisc.net;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Objects;

/**
 * Reads a connection's bytes, with asyncio's {@code StreamReader} behaviour: {@link #readLine()}
 * keeps the newline, {@link #readExactly} throws {@link IncompleteReadException} carrying the
 * partial bytes, {@link #readUntil} finds a separator, and {@link #read(int)} and
 * {@link #readLine()} return an empty array at the end of the stream.
 *
 * <p>Reads block the calling thread until data arrives. <b>Interrupts</b> (every read method): on a
 * virtual thread, an interrupt closes the connection and the blocked read throws a
 * {@link java.net.SocketException} ("Closed by interrupt") with the interrupt flag still set (the
 * JDK socket's behaviour); on a platform thread the read does not notice the interrupt, which stays
 * set, and goes on until data arrives or the socket is closed. Reads that find their bytes buffered
 * never block. Buffered: one read of the socket fetches everything
 * available, up to the buffer's size. The buffer adapts to the traffic, as Netty's receive buffers
 * do: it starts small (2 KiB by default, so that ten thousand idle connections cost little), doubles
 * after a read that filled it, up to 64 KiB, and halves again, down to its initial size, after a
 * read that used at most a quarter of it. A separator search looks at most {@link #DEFAULT_LIMIT} bytes
 * ahead ({@code readLine}/{@code readUntil} then throw an {@link IOException}). Not thread-safe: one
 * reader at a time.
 */
public final class StreamReader {
    /** The most bytes {@link #readLine()} and {@link #readUntil} buffer while looking for a separator. */
    public static final int DEFAULT_LIMIT = 64 * 1024;

    /** The initial buffer size of {@link #StreamReader(InputStream)}. */
    public static final int DEFAULT_BUFFER_SIZE = 2 * 1024;

    /** The size the buffer grows to at most for plain reads (a separator search may need more). */
    static final int MAX_ADAPTIVE_SIZE = 64 * 1024;

    private static final byte[] EMPTY = new byte[0];
    private static final byte[] NEWLINE = {'\n'};

    private final InputStream in;
    private final int limit;
    private final int initialSize;
    private byte[] buffer;
    private int lastRequested; // what the last read of the stream asked for
    private int lastCount; // and what it returned
    private int start; // first unread byte
    private int end; // one after the last buffered byte
    private boolean eof;

    /**
     * A reader over {@code in} with a 2 KiB initial buffer and the default limit.
     *
     * @param in the connection's input stream
     */
    public StreamReader(InputStream in) {
        this(in, DEFAULT_BUFFER_SIZE, DEFAULT_LIMIT);
    }

    /**
     * A reader with the buffer size and separator search limit given.
     *
     * @param in         the connection's input stream
     * @param bufferSize the initial (and smallest) buffer size in bytes, positive
     * @param limit      the separator search limit, positive
     * @throws IllegalArgumentException if {@code bufferSize} or {@code limit} is not positive
     */
    public StreamReader(InputStream in, int bufferSize, int limit) {
        this.in = Objects.requireNonNull(in, "in");
        if (bufferSize < 1) {
            throw new IllegalArgumentException("bufferSize must be positive: " + bufferSize);
        }
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        this.buffer = new byte[bufferSize];
        this.initialSize = bufferSize;
        this.limit = limit;
    }

    /**
     * Up to {@code n} bytes: what is buffered, or else what one read of the connection returns;
     * blocks only when nothing is buffered. Empty at the end of the stream (and for {@code n == 0}).
     * Interrupts: see the class description.
     *
     * @param n the most bytes to return
     * @return between 1 and {@code n} bytes, or an empty array at the end of the stream
     * @throws IOException              if reading the connection fails
     * @throws IllegalArgumentException if {@code n} is negative
     */
    public byte[] read(int n) throws IOException {
        if (n < 0) {
            throw new IllegalArgumentException("n must not be negative: " + n);
        }
        if (n == 0) {
            return EMPTY;
        }
        if (start == end && !fill()) {
            return EMPTY;
        }
        int count = Math.min(n, end - start);
        byte[] result = Arrays.copyOfRange(buffer, start, start + count);
        start += count;
        return result;
    }

    /**
     * Reads everything until the end of the stream; blocks until the peer closes its side.
     * Interrupts: see the class description.
     *
     * @return every byte not yet read, possibly none
     * @throws IOException if reading the connection fails
     */
    public byte[] readAll() throws IOException {
        while (fill()) {
            // keep buffering
        }
        byte[] result = Arrays.copyOfRange(buffer, start, end);
        start = end;
        return result;
    }

    /**
     * Exactly {@code n} bytes; blocks until they have arrived. Interrupts: see the class description.
     *
     * @param n the number of bytes to read, not negative
     * @return {@code n} bytes
     * @throws IncompleteReadException  if the stream ends first (with the bytes read so far)
     * @throws IOException              if reading the connection fails
     * @throws IllegalArgumentException if {@code n} is negative
     */
    public byte[] readExactly(int n) throws IOException {
        if (n < 0) {
            throw new IllegalArgumentException("n must not be negative: " + n);
        }
        while (end - start < n) {
            if (!fill(n)) {
                throw incomplete(n);
            }
        }
        byte[] result = Arrays.copyOfRange(buffer, start, start + n);
        start += n;
        return result;
    }

    /**
     * The bytes up to and including the next {@code '\n'}; at the end of the stream, what remains
     * (possibly without a newline), or an empty array. Blocks until a newline or the end arrives.
     * Interrupts: see the class description.
     *
     * @return the line with its newline; an empty array only at the end of the stream
     * @throws IOException if no newline appears within the limit, or reading the connection fails
     */
    public byte[] readLine() throws IOException {
        try {
            return readUntil(NEWLINE);
        } catch (IncompleteReadException e) {
            return e.partial();
        }
    }

    /**
     * The bytes up to and including the next occurrence of {@code separator}; blocks until it or
     * the end arrives. Interrupts: see the class description.
     *
     * @param separator the bytes to look for, not empty
     * @return the bytes read, ending with {@code separator}
     * @throws IncompleteReadException  if the stream ends first (with the bytes read so far)
     * @throws IOException              if the separator does not appear within the limit, or
     *                                  reading the connection fails
     * @throws IllegalArgumentException if {@code separator} is empty
     */
    public byte[] readUntil(byte[] separator) throws IOException {
        Objects.requireNonNull(separator, "separator");
        if (separator.length == 0) {
            throw new IllegalArgumentException("separator must not be empty");
        }
        int searched = 0;
        while (true) {
            int found = indexOf(separator, start + searched);
            if (found >= 0) {
                int stop = found + separator.length;
                byte[] result = Arrays.copyOfRange(buffer, start, stop);
                start = stop;
                return result;
            }
            searched = Math.max(0, end - start - separator.length + 1);
            if (end - start > limit) {
                throw new IOException("separator not found within " + limit + " bytes");
            }
            if (!fill(end - start + 1)) {
                throw incomplete(-1);
            }
        }
    }

    /** The stream ended: consumes what is buffered and returns it in the exception to throw. */
    private IncompleteReadException incomplete(int expected) {
        byte[] partial = Arrays.copyOfRange(buffer, start, end);
        start = end;
        return new IncompleteReadException(partial, expected);
    }

    /**
     * Tells whether everything has been read and the peer has closed its side. Never blocks: data
     * not yet read from the connection is not seen.
     *
     * @return true once a read has met the end of the stream and nothing is left buffered
     */
    public boolean atEof() {
        return eof && start == end;
    }

    /**
     * The number of bytes buffered and not yet read. Never blocks.
     *
     * @return the bytes the next read can return without waiting
     */
    public int buffered() {
        return end - start;
    }

    /**
     * This reader as an {@link InputStream}, sharing its buffer: reads through either take the
     * bytes in order.
     *
     * @return a view of this reader; closing it does nothing to the connection
     */
    public InputStream inputStream() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                if (start == end && !fill()) {
                    return -1;
                }
                return buffer[start++] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                Objects.checkFromIndexSize(off, len, b.length);
                if (len == 0) {
                    return 0;
                }
                if (start == end && !fill()) {
                    return -1;
                }
                int count = Math.min(len, end - start);
                System.arraycopy(buffer, start, b, off, count);
                start += count;
                return count;
            }

            @Override
            public int available() {
                return end - start;
            }
        };
    }

    private int indexOf(byte[] separator, int from) {
        outer:
        for (int i = Math.max(from, start); i <= end - separator.length; i++) {
            for (int j = 0; j < separator.length; j++) {
                if (buffer[i + j] != separator[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private boolean fill() throws IOException {
        return fill(1);
    }

    /** Reads more from the stream, making room for at least {@code needed} buffered bytes; false at EOF. */
    private boolean fill(int needed) throws IOException {
        if (eof) {
            return false;
        }
        if (start == end) {
            start = 0;
            end = 0;
            adapt();
        }
        if (buffer.length - start < needed || end == buffer.length) {
            int size = end - start;
            byte[] target = buffer.length >= Math.max(needed, size + 1)
                    ? buffer
                    : new byte[Math.max(buffer.length * 2, needed)];
            System.arraycopy(buffer, start, target, 0, size);
            buffer = target;
            start = 0;
            end = size;
        }
        int requested = buffer.length - end;
        int count = in.read(buffer, end, requested);
        if (count < 0) {
            eof = true;
            return false;
        }
        lastRequested = requested;
        lastCount = count;
        end += count;
        return true;
    }

    /** Resizes the empty buffer after the last read: doubles it if that read filled it, halves it if it used a quarter. */
    private void adapt() {
        int size = buffer.length;
        if (lastCount == lastRequested && lastCount > 0 && size < MAX_ADAPTIVE_SIZE) {
            buffer = new byte[Math.min(MAX_ADAPTIVE_SIZE, size * 2)];
        } else if (lastCount <= size / 4 && size > initialSize) {
            buffer = new byte[Math.max(initialSize, size / 2)];
        }
        lastRequested = 0;
        lastCount = 0;
    }

    /** The current buffer size in bytes (for tests and diagnostics). */
    int capacity() {
        return buffer.length;
    }
}
