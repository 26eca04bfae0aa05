package io.aiomisc.compress;

import io.aiomisc.io.Compression;
import io.aiomisc.io.CompressionProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;

/**
 * {@link Compression#BZ2} on commons-compress: block size 900 KB (level 9, Python's
 * {@code bz2.open} default); reading joins concatenated streams (an appended file). Thread-safe.
 */
public final class Bz2Provider implements CompressionProvider {
    /** For {@link java.util.ServiceLoader}. */
    public Bz2Provider() {}

    @Override
    public Compression compression() {
        return Compression.BZ2;
    }

    @Override
    public InputStream decompress(InputStream compressed) throws IOException {
        return new BZip2CompressorInputStream(compressed, true);
    }

    @Override
    public OutputStream compress(OutputStream sink) throws IOException {
        return new BZip2CompressorOutputStream(sink, BZip2CompressorOutputStream.MAX_BLOCKSIZE);
    }
}
