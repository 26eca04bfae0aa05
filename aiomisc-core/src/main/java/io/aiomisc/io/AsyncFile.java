package io.aiomisc.io;

import io.aiomisc.task.Task;
import io.aiomisc.thread.Threaded;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A file opened as Python's {@code open()} opens it, optionally compressed on the fly: aiomisc's
 * {@code async_open}.
 *
 * <pre>{@code
 * try (AsyncFile log = AsyncFile.open(Path.of("events.log.gz"), "a", Compression.GZIP)) {
 *     log.write("started\n");
 * }
 * try (AsyncFile in = AsyncFile.open(Path.of("events.log.gz"), "r", Compression.GZIP)) {
 *     in.lines().forEach(System.out::println);
 * }
 * }</pre>
 *
 * <p><b>Modes</b> are Python's: one of {@code r} (read; the file must exist), {@code w} (write,
 * truncated or created), {@code a} (append: every write goes to the end; created if missing),
 * {@code x} (write a file that must not exist), then {@code b} for binary or {@code t} (the
 * default) for text, then {@code +} for reading and writing. Text is UTF-8; a binary file has
 * {@link #read(int)}, {@link #readAll()} and {@link #write(byte[])}, a text file
 * {@link #readLine()}, {@link #lines()}, {@link #readText()} and {@link #write(String)}; calling one
 * kind on the other kind of file is an {@link IllegalStateException}, as is reading a file not
 * open for reading, writing one not open for writing, and any call after {@link #close()}.
 *
 * <p><b>Compression.</b> With a {@link Compression} other than {@code NONE} the content is
 * (de)compressed on the fly and positions are in the uncompressed content. Only {@code r}, {@code w},
 * {@code a} and {@code x} are allowed (no {@code +}: a compressed stream is read or written, not both; Python's bz2 and
 * lzma refuse it too, its gzip ignores it); appending adds a
 * member that reading joins seamlessly; seeking forward skips (reading) or writes zeros (writing),
 * seeking back re-reads from the start (reading) or fails (writing); {@link #truncate(long)} is not
 * supported. Data that is not in the codec's format, or is cut short, fails the read with an
 * {@link IOException} whose message names the file.
 *
 * <p><b>Blocking and threads.</b> Every method blocks the calling thread for the file IO, which on
 * a virtual thread is cheap; an interrupt does not stop a call (the file IO completes), and the
 * interrupt flag is left set for the caller. The {@code *Async} variants run the same call on the
 * entrypoint's thread pool ({@link Threaded#threaded}) and return its {@link Task}. All methods are
 * thread-safe: calls are serialised by a lock, so concurrent {@link #readLine()}s each get a
 * different line.
 */
public final class AsyncFile implements AutoCloseable {
    private static final int READ_AHEAD = 64 * 1024;

    private final Path path;
    private final Mode mode;
    private final Compression compression;
    private final FileBackend backend;
    private final ReentrantLock lock = new ReentrantLock();
    private final byte[] buffer = new byte[READ_AHEAD]; // guarded by lock: read-ahead
    private int start; // guarded by lock
    private int end; // guarded by lock
    private boolean closed; // guarded by lock

    private AsyncFile(Path path, Mode mode, Compression compression, FileBackend backend) {
        this.path = path;
        this.mode = mode;
        this.compression = compression;
        this.backend = backend;
    }

    /**
     * Opens {@code path} uncompressed. Blocks for the open.
     *
     * @param path the file
     * @param mode Python's mode: {@code r w a x}, then {@code b} or {@code t}, then {@code +}
     * @return the open file; close it
     * @throws IllegalArgumentException naming the mode if it is not a valid one
     * @throws java.nio.file.NoSuchFileException if {@code r} and the file does not exist
     * @throws java.nio.file.FileAlreadyExistsException if {@code x} and the file exists
     * @throws IOException if the file cannot be opened
     * @throws NullPointerException if an argument is null
     */
    public static AsyncFile open(Path path, String mode) throws IOException {
        return open(path, mode, Compression.NONE);
    }

    /**
     * Opens {@code path}, compressed on the fly with {@code compression}. Blocks for the open.
     *
     * @param path        the file
     * @param mode        Python's mode; with a compression other than {@code NONE} no {@code +}
     * @param compression how the content is compressed
     * @return the open file; close it
     * @throws IllegalArgumentException naming the mode if it is not a valid one or has {@code +}
     *                                  with a compression
     * @throws IllegalStateException    if {@code compression} needs {@code io.aiomisc:aiomisc-compress}
     *                                  and that module is missing (the message names it)
     * @throws java.nio.file.NoSuchFileException if {@code r} and the file does not exist
     * @throws java.nio.file.FileAlreadyExistsException if {@code x} and the file exists
     * @throws IOException if the file cannot be opened, or (reading) does not start as the codec's
     *                     format (the message names the file)
     * @throws NullPointerException if an argument is null
     */
    public static AsyncFile open(Path path, String mode, Compression compression) throws IOException {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(compression, "compression");
        Mode parsed = Mode.parse(mode);
        CompressionProvider codec = Codecs.provider(compression);
        if (codec == null) {
            return new AsyncFile(path, parsed, compression, PlainBackend.open(path, parsed));
        }
        if (parsed.plus()) {
            throw new IllegalArgumentException("invalid mode '" + mode + "' with compression " + compression
                    + ": '+' (read and write) is only possible uncompressed");
        }
        FileBackend backend = parsed.kind() == 'r'
                ? new CompressedReader(path, codec)
                : new CompressedWriter(path, codec, parsed.options());
        return new AsyncFile(path, parsed, compression, backend);
    }

    /**
     * {@link #open(Path, String, Compression)} on the entrypoint's thread pool.
     *
     * @param path        the file
     * @param mode        Python's mode
     * @param compression how the content is compressed
     * @return the task; it fails with what {@code open} throws
     * @throws NullPointerException if an argument is null (at once, not in the task)
     */
    public static Task<AsyncFile> openAsync(Path path, String mode, Compression compression) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(compression, "compression");
        return Threaded.threaded(() -> open(path, mode, compression));
    }

    /**
     * The file's path.
     *
     * @return the path given to {@code open}
     */
    public Path path() {
        return path;
    }

    /**
     * The mode the file was opened with.
     *
     * @return the mode string given to {@code open}
     */
    public String mode() {
        return mode.text();
    }

    /**
     * The compression the file was opened with.
     *
     * @return the compression; {@code NONE} when opened without one
     */
    public Compression compression() {
        return compression;
    }

    /**
     * Reads up to {@code size} bytes; fewer only at the end of the file. Binary files only.
     *
     * @param size the number of bytes wanted; 0 or more
     * @return the bytes read; empty at the end of the file
     * @throws IllegalArgumentException if {@code size} is negative
     * @throws IllegalStateException    on a text file, a file not open for reading, or a closed one
     * @throws IOException              if reading fails (compressed: the data is not in the codec's
     *                                  format; the message names the file)
     */
    public byte[] read(int size) throws IOException {
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative: " + size + " (readAll() reads everything)");
        }
        lock.lock();
        try {
            check(true, true);
            byte[] result = new byte[size];
            int filled = 0;
            while (filled < size) {
                if (start == end && !fill()) {
                    break;
                }
                int n = Math.min(size - filled, end - start);
                System.arraycopy(buffer, start, result, filled, n);
                start += n;
                filled += n;
            }
            return filled == size ? result : Arrays.copyOf(result, filled);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Reads the rest of the file. Binary files only.
     *
     * @return the bytes from the position to the end; empty at the end of the file
     * @throws IllegalStateException on a text file, a file not open for reading, or a closed one
     * @throws IOException           if reading fails (compressed: the data is not in the codec's
     *                               format; the message names the file)
     */
    public byte[] readAll() throws IOException {
        lock.lock();
        try {
            check(true, true);
            return rest().toByteArray();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Reads the next line, without its {@code \n} or {@code \r\n}. Text files only.
     *
     * @return the line, or null at the end of the file
     * @throws IllegalStateException on a binary file, a file not open for reading, or a closed one
     * @throws IOException           if reading fails, or the line is not valid UTF-8 (the message
     *                               names the file)
     */
    public String readLine() throws IOException {
        lock.lock();
        try {
            check(false, true);
            ByteArrayOutputStream line = null;
            while (true) {
                if (start == end && !fill()) {
                    return line == null ? null : decode(trimLine(line.toByteArray(), line.size()));
                }
                int newline = indexOf((byte) '\n', start, end);
                if (newline >= 0) {
                    String result;
                    if (line == null) {
                        result = decode(Arrays.copyOfRange(buffer, start, stripCr(start, newline)));
                    } else {
                        line.write(buffer, start, newline - start);
                        result = decode(trimLine(line.toByteArray(), line.size()));
                    }
                    start = newline + 1;
                    return result;
                }
                if (line == null) {
                    line = new ByteArrayOutputStream(Math.max(64, end - start));
                }
                line.write(buffer, start, end - start);
                start = end;
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * The remaining lines, read lazily, one {@link #readLine()} per element. Text files only. Closing
     * the stream does not close the file; an {@link IOException} while reading comes out of the
     * stream's terminal operation as an {@link UncheckedIOException}.
     *
     * @return the lines, without their terminators
     * @throws IllegalStateException on a binary file, a file not open for reading, or a closed one
     */
    public Stream<String> lines() {
        lock.lock();
        try {
            check(false, true);
        } finally {
            lock.unlock();
        }
        Iterator<String> iterator = new Iterator<>() {
            private String next;

            @Override
            public boolean hasNext() {
                if (next == null) {
                    try {
                        next = readLine();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                return next != null;
            }

            @Override
            public String next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                String line = next;
                next = null;
                return line;
            }
        };
        return StreamSupport.stream(
                Spliterators.spliteratorUnknownSize(iterator, Spliterator.ORDERED | Spliterator.NONNULL), false);
    }

    /**
     * Reads the rest of the file as text. Text files only.
     *
     * @return the text from the position to the end; empty at the end of the file
     * @throws IllegalStateException on a binary file, a file not open for reading, or a closed one
     * @throws IOException           if reading fails or the text is not valid UTF-8
     */
    public String readText() throws IOException {
        lock.lock();
        try {
            check(false, true);
            ByteArrayOutputStream rest = rest();
            return decode(rest.toByteArray());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes {@code data} at the position (at the end for an {@code a} file). Binary files only.
     *
     * @param data the bytes
     * @throws IllegalStateException on a text file, a file not open for writing, or a closed one
     * @throws IOException           if writing fails
     */
    public void write(byte[] data) throws IOException {
        Objects.requireNonNull(data, "data");
        lock.lock();
        try {
            check(true, false);
            writeBytes(data);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes {@code text} in UTF-8 at the position (at the end for an {@code a} file). Text files
     * only; no newline is added.
     *
     * @param text the text
     * @throws IllegalStateException on a binary file, a file not open for writing, or a closed one
     * @throws IOException           if writing fails
     */
    public void write(String text) throws IOException {
        Objects.requireNonNull(text, "text");
        lock.lock();
        try {
            check(false, false);
            writeBytes(text.getBytes(StandardCharsets.UTF_8));
        } finally {
            lock.unlock();
        }
    }

    /**
     * Moves to byte {@code position} of the (uncompressed) content.
     *
     * @param position 0 or more; past the end is allowed (a write there fills the gap with zeros)
     * @return the new position; for a compressed file being read, the end when {@code position} is
     *         past it
     * @throws IllegalArgumentException if {@code position} is negative
     * @throws IllegalStateException    if the file is closed
     * @throws IOException              if seeking fails, or back in a compressed file being written
     */
    public long seek(long position) throws IOException {
        if (position < 0) {
            throw new IllegalArgumentException("position must not be negative: " + position);
        }
        lock.lock();
        try {
            checkOpen();
            long logical = logicalPosition();
            if (position >= logical && position - logical <= end - start) {
                start += (int) (position - logical); // within the read-ahead: no IO
                return position;
            }
            start = 0;
            end = 0;
            return backend.seek(position);
        } finally {
            lock.unlock();
        }
    }

    /**
     * The position in the (uncompressed) content.
     *
     * @return the byte position
     * @throws IllegalStateException if the file is closed
     * @throws IOException           if the position cannot be read
     */
    public long tell() throws IOException {
        lock.lock();
        try {
            checkOpen();
            return logicalPosition();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Cuts (or extends with zeros) the file to {@code size} bytes; the position does not move.
     * Uncompressed files open for writing only.
     *
     * @param size the new size; 0 or more
     * @throws IllegalArgumentException if {@code size} is negative
     * @throws IllegalStateException    on a compressed file, one not open for writing, or a closed one
     * @throws IOException              if truncating fails
     */
    public void truncate(long size) throws IOException {
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative: " + size);
        }
        lock.lock();
        try {
            checkOpen();
            if (!mode.writable()) {
                throw new IllegalStateException("file is not open for writing (mode '" + mode.text() + "'): " + path);
            }
            settleReadAhead();
            backend.truncate(size);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes buffered data to the file (compressed: as far as the codec can make it decodable).
     *
     * @throws IllegalStateException if the file is closed
     * @throws IOException           if writing fails
     */
    public void flush() throws IOException {
        lock.lock();
        try {
            checkOpen();
            backend.flush();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Flushes and closes the file (a compressed one: finishes the compressed stream). Idempotent.
     *
     * @throws IOException if the last write fails; the file is closed either way
     */
    @Override
    public void close() throws IOException {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            backend.close();
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@link #read(int)} on the entrypoint's thread pool.
     *
     * @param size the number of bytes wanted
     * @return the task
     */
    public Task<byte[]> readAsync(int size) {
        return Threaded.threaded(() -> read(size));
    }

    /**
     * {@link #readAll()} on the entrypoint's thread pool.
     *
     * @return the task
     */
    public Task<byte[]> readAllAsync() {
        return Threaded.threaded(this::readAll);
    }

    /**
     * {@link #readLine()} on the entrypoint's thread pool.
     *
     * @return the task; its result is null at the end of the file
     */
    public Task<String> readLineAsync() {
        return Threaded.threaded(this::readLine);
    }

    /**
     * {@link #write(byte[])} on the entrypoint's thread pool.
     *
     * @param data the bytes
     * @return the task
     */
    public Task<Void> writeAsync(byte[] data) {
        Objects.requireNonNull(data, "data");
        return Threaded.threaded(() -> {
            write(data);
            return null;
        });
    }

    /**
     * {@link #write(String)} on the entrypoint's thread pool.
     *
     * @param text the text
     * @return the task
     */
    public Task<Void> writeAsync(String text) {
        Objects.requireNonNull(text, "text");
        return Threaded.threaded(() -> {
            write(text);
            return null;
        });
    }

    /**
     * {@link #flush()} on the entrypoint's thread pool.
     *
     * @return the task
     */
    public Task<Void> flushAsync() {
        return Threaded.threaded(() -> {
            flush();
            return null;
        });
    }

    /**
     * {@link #close()} on the entrypoint's thread pool.
     *
     * @return the task
     */
    public Task<Void> closeAsync() {
        return Threaded.threaded(() -> {
            close();
            return null;
        });
    }

    @Override
    public String toString() {
        return "AsyncFile[" + path + ", mode '" + mode.text() + "', " + compression + "]";
    }

    // --- internals, called with the lock held

    private void check(boolean binary, boolean reading) {
        checkOpen();
        if (binary != mode.binary()) {
            throw new IllegalStateException((binary ? "a binary" : "a text") + " method on a "
                    + (mode.binary() ? "binary" : "text") + " file (mode '" + mode.text() + "'; "
                    + (mode.binary() ? "read/readAll/write(byte[])" : "readLine/lines/readText/write(String)")
                    + " fit it): " + path);
        }
        if (reading && !mode.readable()) {
            throw new IllegalStateException("file is not open for reading (mode '" + mode.text() + "'): " + path);
        }
        if (!reading && !mode.writable()) {
            throw new IllegalStateException("file is not open for writing (mode '" + mode.text() + "'): " + path);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("file is closed: " + path);
        }
    }

    /** Refills the read-ahead; false at the end of the file. */
    private boolean fill() throws IOException {
        start = 0;
        end = 0;
        int n = backend.read(buffer, 0, buffer.length);
        if (n <= 0) {
            return false;
        }
        end = n;
        return true;
    }

    private ByteArrayOutputStream rest() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(256, end - start));
        out.write(buffer, start, end - start);
        start = end;
        while (fill()) {
            out.write(buffer, 0, end);
            start = end;
        }
        return out;
    }

    private long logicalPosition() throws IOException {
        return backend.position() - (end - start);
    }

    /** Before a write or truncate: the backend must stand where the reader stands. */
    private void settleReadAhead() throws IOException {
        if (end > start) {
            long logical = logicalPosition();
            start = 0;
            end = 0;
            backend.seek(logical);
        } else {
            start = 0;
            end = 0;
        }
    }

    private void writeBytes(byte[] data) throws IOException {
        settleReadAhead();
        backend.write(data, 0, data.length);
    }

    private int indexOf(byte value, int from, int to) {
        for (int i = from; i < to; i++) {
            if (buffer[i] == value) {
                return i;
            }
        }
        return -1;
    }

    private int stripCr(int from, int newline) {
        return newline > from && buffer[newline - 1] == '\r' ? newline - 1 : newline;
    }

    private static byte[] trimLine(byte[] bytes, int length) {
        int cut = length;
        if (cut > 0 && bytes[cut - 1] == '\r') {
            cut--;
        }
        return cut == bytes.length ? bytes : Arrays.copyOf(bytes, cut);
    }

    private String decode(byte[] bytes) throws IOException {
        try {
            CharBuffer chars = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new IOException(path + ": not valid UTF-8 text: " + e, e);
        }
    }
}
