package io.aiomisc.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.Set;

/**
 * A compressed file written through its codec: only forward (seeking ahead writes zeros, as
 * Python's gzip module does; back fails). Appending starts a new member/stream/frame after the
 * existing ones, which every codec reads as one content.
 */
final class CompressedWriter implements FileBackend {
    private static final int BUFFER = 64 * 1024;

    private final Path path;
    private final OutputStream out;
    private long position;

    CompressedWriter(Path path, CompressionProvider codec, Set<OpenOption> options) throws IOException {
        this.path = path;
        Set<OpenOption> writeOnly = new java.util.LinkedHashSet<>(options);
        writeOnly.remove(java.nio.file.StandardOpenOption.READ);
        if (options.contains(java.nio.file.StandardOpenOption.CREATE)
                && !options.contains(java.nio.file.StandardOpenOption.TRUNCATE_EXISTING)) {
            writeOnly.add(java.nio.file.StandardOpenOption.APPEND); // 'a'
        }
        OutputStream raw = Files.newOutputStream(path, writeOnly.toArray(new OpenOption[0]));
        try {
            this.out = new BufferedOutputStream(codec.compress(raw), BUFFER);
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
        throw new IllegalStateException("file is not open for reading: " + path);
    }

    @Override
    public void write(byte[] buffer, int offset, int length) throws IOException {
        out.write(buffer, offset, length);
        position += length;
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    public long seek(long target) throws IOException {
        if (target < position) {
            throw new IOException("cannot seek back in a compressed file open for writing: " + path + " is at "
                    + position + ", asked " + target);
        }
        byte[] zeros = new byte[(int) Math.min(BUFFER, Math.max(1, target - position))];
        while (position < target) {
            write(zeros, 0, (int) Math.min(zeros.length, target - position));
        }
        return position;
    }

    @Override
    public void truncate(long size) {
        throw new IllegalStateException("truncate is not supported on a compressed file: " + path);
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
