package io.aiomisc.compress;

import io.aiomisc.io.Compression;
import io.aiomisc.io.CompressionProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.LZMAInputStream;
import org.tukaani.xz.XZ;
import org.tukaani.xz.XZInputStream;
import org.tukaani.xz.XZOutputStream;

/**
 * {@link Compression#LZMA} as Python's {@code lzma.open}: writes the {@code .xz} container (preset
 * 6, CRC64, as Python's defaults), reads {@code .xz} (concatenated streams too) and the legacy
 * {@code .lzma} ("LZMA alone") format, told apart by the {@code .xz} magic bytes. On XZ for Java.
 * Thread-safe.
 */
public final class LzmaProvider implements CompressionProvider {
    /** For {@link java.util.ServiceLoader}. */
    public LzmaProvider() {}

    @Override
    public Compression compression() {
        return Compression.LZMA;
    }

    @Override
    public InputStream decompress(InputStream compressed) throws IOException {
        if (!compressed.markSupported()) {
            throw new IllegalArgumentException("the stream must support mark/reset");
        }
        compressed.mark(XZ.HEADER_MAGIC.length);
        byte[] head = compressed.readNBytes(XZ.HEADER_MAGIC.length);
        compressed.reset();
        if (java.util.Arrays.equals(head, XZ.HEADER_MAGIC)) {
            return new XZInputStream(compressed);
        }
        return new LZMAInputStream(compressed);
    }

    @Override
    public OutputStream compress(OutputStream sink) throws IOException {
        return new XZOutputStream(sink, new LZMA2Options(LZMA2Options.PRESET_DEFAULT), XZ.CHECK_CRC64);
    }
}
