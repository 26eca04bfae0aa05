package io.aiomisc.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A codec for one {@link Compression}, found with {@link java.util.ServiceLoader}: the
 * {@code aiomisc-compress} module provides {@link Compression#BZ2}, {@link Compression#LZMA} and
 * {@link Compression#ZSTD}. Register an implementation in {@code module-info} ({@code provides
 * io.aiomisc.io.CompressionProvider with ...}) and in {@code
 * META-INF/services/io.aiomisc.io.CompressionProvider}. Implementations must be thread-safe and
 * have a public no-argument constructor; the first provider found for a compression is used.
 */
public interface CompressionProvider {
    /**
     * The compression this provider implements.
     *
     * @return not {@link Compression#NONE}
     */
    Compression compression();

    /**
     * A stream of the decompressed content of {@code compressed}. It must read concatenated
     * members/streams/frames to the end (a file appended to is several of them) and fail with an
     * {@link IOException} (never a hang) on data that is not in its format or is truncated.
     * Closing it closes {@code compressed}.
     *
     * @param compressed the file's bytes, buffered
     * @return the decompressing stream
     * @throws IOException if the data's header is not in this format
     */
    InputStream decompress(InputStream compressed) throws IOException;

    /**
     * A stream that compresses what is written to it into {@code sink}. Closing it finishes the
     * compressed stream and closes {@code sink}; {@code flush()} should make what was written so far
     * decodable where the format allows it.
     *
     * @param sink where the compressed bytes go
     * @return the compressing stream
     * @throws IOException if the stream cannot be started
     */
    OutputStream compress(OutputStream sink) throws IOException;
}
