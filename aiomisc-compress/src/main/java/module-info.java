/**
 * aiomisc-java's compression codecs for {@link io.aiomisc.io.AsyncFile}: BZ2, LZMA and ZSTD.
 */
module io.aiomisc.compress {
    requires io.aiomisc.core;
    requires org.apache.commons.compress;
    requires org.tukaani.xz;
    requires com.github.luben.zstd_jni;

    provides io.aiomisc.io.CompressionProvider with
            io.aiomisc.compress.Bz2Provider,
            io.aiomisc.compress.LzmaProvider,
            io.aiomisc.compress.ZstdProvider;
}
