package io.aiomisc.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** gzip on the JDK's deflater; built in, not looked up. */
final class GzipProvider implements CompressionProvider {
    static final GzipProvider INSTANCE = new GzipProvider();
    private static final int BUFFER = 64 * 1024;

    private GzipProvider() {}

    @Override
    public Compression compression() {
        return Compression.GZIP;
    }

    @Override
    public InputStream decompress(InputStream compressed) throws IOException {
        return new GZIPInputStream(compressed, BUFFER); // reads concatenated members
    }

    @Override
    public OutputStream compress(OutputStream sink) throws IOException {
        // sync flush: flush() makes what was written so far decodable, as Python's GzipFile.flush()
        return new GZIPOutputStream(sink, BUFFER, true);
    }
}
