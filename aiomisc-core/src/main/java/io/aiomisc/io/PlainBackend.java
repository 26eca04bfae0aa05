package io.aiomisc.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** An uncompressed file: a FileChannel with a write buffer (reads are buffered by AsyncFile). */
final class PlainBackend implements FileBackend {
    private static final int BUFFER = 64 * 1024;

    private final FileChannel channel;
    private final boolean append;
    private final ByteBuffer pending = ByteBuffer.allocate(BUFFER);

    PlainBackend(FileChannel channel, boolean append) throws IOException {
        this.channel = channel;
        this.append = append;
        if (append) {
            channel.position(channel.size()); // Python's 'a': tell() starts at the end
        }
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        drain();
        return channel.read(ByteBuffer.wrap(buffer, offset, length));
    }

    @Override
    public void write(byte[] buffer, int offset, int length) throws IOException {
        if (append && pending.position() == 0) {
            channel.position(channel.size()); // every write of an 'a' file goes to the end
        }
        if (length > pending.remaining()) {
            drain();
            if (length >= BUFFER) {
                ByteBuffer direct = ByteBuffer.wrap(buffer, offset, length);
                while (direct.hasRemaining()) {
                    channel.write(direct);
                }
                return;
            }
        }
        pending.put(buffer, offset, length);
    }

    @Override
    public long position() throws IOException {
        return channel.position() + pending.position();
    }

    @Override
    public long seek(long position) throws IOException {
        drain();
        channel.position(position);
        return position;
    }

    @Override
    public void truncate(long size) throws IOException {
        drain();
        long at = channel.position();
        channel.truncate(size);
        channel.position(at); // Python's truncate leaves the position alone
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
            channel.close();
        }
    }

    private void drain() throws IOException {
        if (pending.position() == 0) {
            return;
        }
        pending.flip();
        while (pending.hasRemaining()) {
            channel.write(pending);
        }
        pending.clear();
    }
}
