package io.aiomisc.io;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A compressed file read through its codec. Seeking forward skips; seeking backward starts the
 * decompression again from the beginning (as Python's gzip module does). The codec's failures on
 * data that is not in its format come out as {@link IOException}s naming the file.
 */
final class CompressedReader implements FileBackend {
    private static final int BUFFER = 64 * 1024;

    private final Path path;
    private final CompressionProvider codec;
    private InputStream in;
    private long position;

    CompressedReader(Path path, CompressionProvider codec) throws IOException {
        this.path = path;
        this.codec = codec;
        this.in = open();
    }

    private InputStream open() throws IOException {
        InputStream raw = Files.newInputStream(path);
        if (Files.size(path) == 0) {
            return raw; // an empty file is empty content, as Python's gzip, bz2 and lzma read it
        }
        try {
            return codec.decompress(new BufferedInputStream(raw, BUFFER));
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw corrupt(e);
        }
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n;
        try {
            n = in.read(buffer, offset, length);
        } catch (IOException | RuntimeException e) {
            throw corrupt(e);
        }
        if (n > 0) {
            position += n;
        }
        return n;
    }

    @Override
    public void write(byte[] buffer, int offset, int length) {
        throw new IllegalStateException("file is not open for writing: " + path);
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    public long seek(long target) throws IOException {
        if (target < position) {
            in.close();
            in = open();
            position = 0;
        }
        byte[] skip = new byte[(int) Math.min(BUFFER, Math.max(1, target - position))];
        while (position < target) {
            int n = read(skip, 0, (int) Math.min(skip.length, target - position));
            if (n < 0) {
                break; // past the end: stays at the end
            }
        }
        return position;
    }

    @Override
    public void truncate(long size) {
        throw new IllegalStateException("truncate is not supported on a compressed file: " + path);
    }

    @Override
    public void flush() {}

    @Override
    public void close() throws IOException {
        in.close();
    }

    private IOException corrupt(Exception e) {
        if (e instanceof java.nio.file.NoSuchFileException || e instanceof java.nio.file.AccessDeniedException) {
            return (IOException) e;
        }
        return new IOException(path + ": not valid " + codec.compression() + " data or truncated: " + e, e);
    }
}
