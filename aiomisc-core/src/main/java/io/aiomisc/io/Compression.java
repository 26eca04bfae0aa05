package io.aiomisc.io;

/**
 * How {@link AsyncFile} compresses a file's content on the fly: aiomisc's {@code Compression}.
 *
 * <p>{@link #NONE} and {@link #GZIP} are built in (the JDK's deflater). {@link #BZ2}, {@link #LZMA}
 * and {@link #ZSTD} come from the module {@code io.aiomisc:aiomisc-compress}, found through
 * {@link CompressionProvider} with {@link java.util.ServiceLoader}; opening a file with one of them
 * without that module fails with an {@link IllegalStateException} that names it.
 */
public enum Compression {
    /** No compression: the file's bytes as they are; the only one that allows {@code +} modes. */
    NONE,
    /** gzip ({@code .gz}), as Python's {@code gzip.open}: appending adds a member, reading reads all. */
    GZIP,
    /** bzip2 ({@code .bz2}), as Python's {@code bz2.open}; needs {@code aiomisc-compress}. */
    BZ2,
    /**
     * LZMA as Python's {@code lzma.open}: writes the {@code .xz} container, reads {@code .xz} and the
     * legacy {@code .lzma} format; needs {@code aiomisc-compress}.
     */
    LZMA,
    /** Zstandard ({@code .zst}); needs {@code aiomisc-compress}. */
    ZSTD
}
