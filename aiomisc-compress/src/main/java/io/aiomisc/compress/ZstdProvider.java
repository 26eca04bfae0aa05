package io.aiomisc.compress;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import io.aiomisc.io.Compression;
import io.aiomisc.io.CompressionProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * {@link Compression#ZSTD} on zstd-jni (its native library, bundled for the common platforms):
 * level 3 (zstd's default) with the content checksum (as the {@code zstd} command line writes it);
 * reading joins concatenated frames (an appended file). Thread-safe.
 */
public final class ZstdProvider implements CompressionProvider {
    /** For {@link java.util.ServiceLoader}. */
    public ZstdProvider() {}

    @Override
    public Compression compression() {
        return Compression.ZSTD;
    }

    @Override
    public InputStream decompress(InputStream compressed) throws IOException {
        return new ZstdInputStream(compressed);
    }

    @Override
    public OutputStream compress(OutputStream sink) throws IOException {
        ZstdOutputStream out = new ZstdOutputStream(sink, 3);
        // as the zstd command line: a damaged frame fails its checksum instead of reading as garbage
        out.setChecksum(true);
        return out;
    }
}
