package io.aiomisc.compress;

import io.aiomisc.io.Compression;
import io.aiomisc.io.CompressionProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.tukaani.xz.CorruptedInputException;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.LZMAInputStream;
import org.tukaani.xz.XZ;
import org.tukaani.xz.XZInputStream;
import org.tukaani.xz.XZOutputStream;

/**
 * {@link Compression#LZMA} as Python's {@code lzma.open}: writes the {@code .xz} container (preset
 * 6, CRC64, as Python's defaults), reads {@code .xz} (concatenated streams too) and the legacy
 * {@code .lzma} ("LZMA alone") format, told apart by the {@code .xz} magic bytes. As liblzma's
 * automatic decoder, a legacy header is only accepted with the dictionary sizes encoders write
 * (2^n or 2^n + 2^(n-1)) and a plausible size, and its dictionary may take at most half the heap
 * (more: {@link org.tukaani.xz.MemoryLimitException}). On XZ for Java. Thread-safe.
 */
public final class LzmaProvider implements CompressionProvider {
    /** The legacy .lzma header: properties (1 byte), dictionary size (4), uncompressed size (8). */
    private static final int LEGACY_HEADER = 13;

    /** Largest known uncompressed size liblzma accepts in a legacy header: 256 GiB. */
    private static final long LEGACY_MAX_SIZE = 1L << 38;

    /** The most a legacy header's dictionary may take, in KiB. */
    private final int memoryLimitKiB;

    /** For {@link java.util.ServiceLoader}: a legacy dictionary may take half the maximum heap. */
    public LzmaProvider() {
        this(Runtime.getRuntime().maxMemory() / 2);
    }

    /** With {@code memoryLimit} bytes for a legacy header's dictionary: for tests. */
    LzmaProvider(long memoryLimit) {
        this.memoryLimitKiB = (int) Math.min(Integer.MAX_VALUE, memoryLimit / 1024);
    }

    @Override
    public Compression compression() {
        return Compression.LZMA;
    }

    @Override
    public InputStream decompress(InputStream compressed) throws IOException {
        if (!compressed.markSupported()) {
            throw new IllegalArgumentException("the stream must support mark/reset");
        }
        compressed.mark(LEGACY_HEADER);
        byte[] head = compressed.readNBytes(LEGACY_HEADER);
        compressed.reset();
        if (head.length >= XZ.HEADER_MAGIC.length
                && Arrays.equals(Arrays.copyOf(head, XZ.HEADER_MAGIC.length), XZ.HEADER_MAGIC)) {
            return new XZInputStream(compressed);
        }
        checkLegacyHeader(head);
        // a header may still ask for a dictionary the heap cannot hold: a clear IOException, not an
        // OutOfMemoryError
        return new LZMAInputStream(compressed, memoryLimitKiB);
    }

    /**
     * The .lzma format has no magic bytes: as liblzma's automatic decoder (so Python's
     * {@code lzma.open} and xz) does, only a header that a real encoder writes is taken for one.
     * Without this, any bytes would be read as a header, and random ones mostly ask for a
     * dictionary of gigabytes.
     */
    private static void checkLegacyHeader(byte[] head) throws IOException {
        if (head.length < LEGACY_HEADER) {
            throw new CorruptedInputException(
                    "neither .xz nor .lzma: shorter than a header (" + head.length + " bytes)");
        }
        ByteBuffer header = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
        int properties = Byte.toUnsignedInt(header.get(0));
        if (properties >= 9 * 5 * 5) {
            throw new CorruptedInputException("neither .xz nor .lzma: invalid LZMA properties byte " + properties);
        }
        int dictionary = header.getInt(1);
        // 2^n or 2^n + 2^(n-1), or all ones
        if (dictionary != -1 && !isEncoderDictionarySize(Integer.toUnsignedLong(dictionary))) {
            throw new CorruptedInputException("neither .xz nor .lzma: dictionary size "
                    + Integer.toUnsignedLong(dictionary) + " is not one an encoder writes");
        }
        long size = header.getLong(5);
        if (size != -1 && (size < 0 || size >= LEGACY_MAX_SIZE)) {
            throw new CorruptedInputException(
                    "neither .xz nor .lzma: uncompressed size " + Long.toUnsignedString(size) + " is not plausible");
        }
    }

    private static boolean isEncoderDictionarySize(long size) {
        long high = Long.highestOneBit(size);
        return size != 0 && (size == high || size == high + (high >> 1));
    }

    @Override
    public OutputStream compress(OutputStream sink) throws IOException {
        return new XZOutputStream(sink, new LZMA2Options(LZMA2Options.PRESET_DEFAULT), XZ.CHECK_CRC64);
    }
}
