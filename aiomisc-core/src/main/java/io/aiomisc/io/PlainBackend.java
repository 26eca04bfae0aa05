package io.aiomisc.io;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Path;

/**
 * An uncompressed file with a write buffer (reads are buffered by AsyncFile). On the default file
 * system the IO goes through a {@link RandomAccessFile}, not a {@link FileChannel}: an interrupt
 * during a channel's IO closes the channel ({@code ClosedByInterruptException}) and so breaks the
 * file for every later call, while AsyncFile promises that an interrupt does not stop a call.
 */
final class PlainBackend implements FileBackend {
    private static final int BUFFER = 64 * 1024;

    private final Raw raw;
    private final boolean append;
    private final ByteBuffer pending = ByteBuffer.allocate(BUFFER);

    private PlainBackend(Raw raw, boolean append) throws IOException {
        this.raw = raw;
        this.append = append;
        if (append) {
            raw.position(raw.size()); // Python's 'a': tell() starts at the end
        }
    }

    /** Opens {@code path} as {@code mode} says, with NIO's exceptions (NoSuchFile, FileAlreadyExists). */
    static PlainBackend open(Path path, Mode mode) throws IOException {
        FileChannel channel = FileChannel.open(path, mode.options()); // creates, truncates, checks
        Raw raw;
        if (path.getFileSystem() == FileSystems.getDefault()) {
            // The channel only did the open's semantics; plain IO cannot be closed by an interrupt.
            channel.close();
            raw = new FileRaw(new RandomAccessFile(path.toFile(), mode.writable() ? "rw" : "r"));
        } else {
            raw = new ChannelRaw(channel);
        }
        try {
            return new PlainBackend(raw, mode.append());
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        drain();
        return raw.read(buffer, offset, length);
    }

    @Override
    public void write(byte[] buffer, int offset, int length) throws IOException {
        if (append && pending.position() == 0) {
            raw.position(raw.size()); // every write of an 'a' file goes to the end
        }
        if (length > pending.remaining()) {
            drain();
            if (length >= BUFFER) {
                raw.write(buffer, offset, length);
                return;
            }
        }
        pending.put(buffer, offset, length);
    }

    @Override
    public long position() throws IOException {
        return raw.position() + pending.position();
    }

    @Override
    public long seek(long position) throws IOException {
        drain();
        raw.position(position);
        return position;
    }

    @Override
    public void truncate(long size) throws IOException {
        drain();
        long at = raw.position();
        raw.setSize(size);
        raw.position(at); // Python's truncate leaves the position alone
    }

    @Override
    public void flush() throws IOException {
        drain();
    }

    @Override
    public void close() throws IOException {
        try {
            drain();
        } finally {
            raw.close();
        }
    }

    private void drain() throws IOException {
        if (pending.position() == 0) {
            return;
        }
        raw.write(pending.array(), 0, pending.position());
        pending.clear();
    }

    /** The file's bytes: positioned reads and writes, size, close. */
    private interface Raw {
        int read(byte[] buffer, int offset, int length) throws IOException;

        void write(byte[] buffer, int offset, int length) throws IOException;

        long position() throws IOException;

        void position(long position) throws IOException;

        long size() throws IOException;

        /** Cuts or extends (zeros) the file to {@code size}; the position is then undefined. */
        void setSize(long size) throws IOException;

        void close() throws IOException;
    }

    private record FileRaw(RandomAccessFile file) implements Raw {
        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            return file.read(buffer, offset, length);
        }

        @Override
        public void write(byte[] buffer, int offset, int length) throws IOException {
            file.write(buffer, offset, length);
        }

        @Override
        public long position() throws IOException {
            return file.getFilePointer();
        }

        @Override
        public void position(long position) throws IOException {
            file.seek(position);
        }

        @Override
        public long size() throws IOException {
            return file.length();
        }

        @Override
        public void setSize(long size) throws IOException {
            file.setLength(size);
        }

        @Override
        public void close() throws IOException {
            file.close();
        }
    }

    /** Other file systems (no {@link File}): their channel, interruptible as it is. */
    private record ChannelRaw(FileChannel channel) implements Raw {
        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            return channel.read(ByteBuffer.wrap(buffer, offset, length));
        }

        @Override
        public void write(byte[] buffer, int offset, int length) throws IOException {
            ByteBuffer data = ByteBuffer.wrap(buffer, offset, length);
            while (data.hasRemaining()) {
                channel.write(data);
            }
        }

        @Override
        public long position() throws IOException {
            return channel.position();
        }

        @Override
        public void position(long position) throws IOException {
            channel.position(position);
        }

        @Override
        public long size() throws IOException {
            return channel.size();
        }

        @Override
        public void setSize(long size) throws IOException {
            long current = channel.size();
            if (size < current) {
                channel.truncate(size);
            } else if (size > current) {
                channel.write(ByteBuffer.allocate(1), size - 1); // a channel only cuts; extend with a zero
            }
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
