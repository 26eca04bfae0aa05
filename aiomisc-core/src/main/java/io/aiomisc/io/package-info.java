/**
 * Files read and written from blocking code, with compression on the fly: {@link
 * io.aiomisc.io.AsyncFile} (aiomisc's {@code async_open}), {@link io.aiomisc.io.Compression}, and
 * the {@link io.aiomisc.io.CompressionProvider} SPI that the {@code aiomisc-compress} module
 * implements for BZ2, LZMA and ZSTD (GZIP is built in).
 */
package io.aiomisc.io;
