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
 * read that used at most a quarter of it.
 *
 * <p><b>Bounds.</b> A line is at most {@code limit} bytes ({@link #DEFAULT_LIMIT}, 64 KiB, unless
 * given), <em>separator included</em>: {@link #readLine()} and {@link #readUntil} throw a
 * {@link LimitOverrunException} as soon as the separator cannot end within {@code limit} bytes of
 * the start of the line, whether the bytes arrived in one piece or in many (a separator search
 * grows the buffer to {@code limit} bytes at most). After an overrun the reader stays usable, as
 * asyncio's does: if the separator is among the bytes already buffered, everything up to and
 * including it is discarded (the next read starts after the oversized line); otherwise everything
 * buffered is discarded and the rest of the oversized line is still to come. {@link #readExactly}
 * does not allocate its {@code n} bytes up front: the buffer grows only once full, by doubling, so it
 * never holds more free room than the bytes already arrived or the size it had before the call
 * (the adaptive size, at most 64 KiB, unless an earlier read grew it): a peer announcing a huge
 * length costs no more until it sends the bytes (asyncio's readers too buffer what arrives, not
 * what is announced). Not thread-safe: one reader at a time.
 */
public final class StreamReader {
    /**
     * The default limit of {@link #readLine()} and {@link #readUntil}: the most bytes a line may
     * take, separator included (64 KiB, asyncio's).
     */
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
     * @param limit      the most bytes a line may take, separator included, positive (see "Bounds")
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
            if (!fill(n)) { // grows the buffer as the bytes arrive, never to n at once
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
     * @throws LimitOverrunException if the line, newline included, would be longer than the
     *                               limit (see "Bounds" in the class description)
     * @throws IOException           if reading the connection fails
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
     * @throws LimitOverrunException    if the bytes up to and including the separator would be
     *                                  more than the limit (see "Bounds" in the class description)
     * @throws IOException              if reading the connection fails
     * @throws IllegalArgumentException if {@code separator} is empty or longer than the limit
     */
    public byte[] readUntil(byte[] separator) throws IOException {
        Objects.requireNonNull(separator, "separator");
        if (separator.length == 0) {
            throw new IllegalArgumentException("separator must not be empty");
        }
        if (separator.length > limit) {
            throw new IllegalArgumentException(
                    "separator of " + separator.length + " bytes is longer than the limit: " + limit);
        }
        int searched = 0;
        while (true) {
            // a line may not end beyond start + limit: the search never looks further
            int found = indexOf(separator, start + searched, Math.min(end, start + limit));
            if (found >= 0) {
                int stop = found + separator.length;
                byte[] result = Arrays.copyOfRange(buffer, start, stop);
                start = stop;
                return result;
            }
            int size = end - start;
            if (size >= limit) {
                throw overrun(separator);
            }
            searched = Math.max(0, size - separator.length + 1);
            if (!fill(limit)) {
                throw incomplete(-1);
            }
        }
    }

    /** The line is too long: discards it as far as it is buffered (see "Bounds"). */
    private LimitOverrunException overrun(byte[] separator) {
        int found = indexOf(separator, start + limit - separator.length + 1, end);
        start = found >= 0 ? found + separator.length : end;
        return new LimitOverrunException(limit);
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

    /** Where {@code separator} starts in the buffer, wholly within {@code [from, to)}; -1 if nowhere. */
    private int indexOf(byte[] separator, int from, int to) {
        outer:
        for (int i = Math.max(from, start); i <= to - separator.length; i++) {
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
        return fill(Integer.MAX_VALUE);
    }

    /**
     * Reads more from the stream, making room for at least one more byte; false at EOF. Only a
     * full buffer grows: it doubles, but never beyond {@code ceiling} (the most the caller can
     * use), so it grows as data arrives, not as a peer announces it.
     */
    private boolean fill(int ceiling) throws IOException {
        if (eof) {
            return false;
        }
        if (start == end) {
            start = 0;
            end = 0;
            adapt();
        }
        if (end == buffer.length) {
            int size = end - start;
            byte[] target = buffer;
            if (size == buffer.length) {
                long grown = Math.min((long) size * 2, Math.max(ceiling, size + 1L));
                target = new byte[(int) Math.min(grown, Integer.MAX_VALUE - 8)];
            }
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
