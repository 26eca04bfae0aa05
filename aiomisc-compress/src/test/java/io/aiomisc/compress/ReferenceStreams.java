package io.aiomisc.compress;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import io.aiomisc.io.Compression;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZInputStream;
import org.tukaani.xz.XZOutputStream;

/**
 * Each codec's reference library used directly, without aiomisc's providers, to cross-check what
 * {@link io.aiomisc.io.AsyncFile} writes and reads; and the test data.
 */
final class ReferenceStreams {
    private ReferenceStreams() {}

    /** Compresses {@code data} with the reference library's own output stream. */
    static byte[] compress(Compression compression, byte[] data) throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (OutputStream out = output(compression, sink)) {
            out.write(data);
        }
        return sink.toByteArray();
    }

    /** Decompresses all of {@code compressed} with the reference library's own input stream. */
    static byte[] decompress(Compression compression, byte[] compressed) throws IOException {
        try (InputStream in = input(compression, new ByteArrayInputStream(compressed))) {
            return in.readAllBytes();
        }
    }

    private static OutputStream output(Compression compression, OutputStream sink) throws IOException {
        return switch (compression) {
            case BZ2 -> new BZip2CompressorOutputStream(sink);
            case LZMA -> new XZOutputStream(sink, new LZMA2Options());
            case ZSTD -> new ZstdOutputStream(sink);
            default -> throw new IllegalArgumentException("not a codec of aiomisc-compress: " + compression);
        };
    }

    private static InputStream input(Compression compression, InputStream source) throws IOException {
        return switch (compression) {
            case BZ2 -> new BZip2CompressorInputStream(source, true);
            case LZMA -> new XZInputStream(source);
            case ZSTD -> new ZstdInputStream(source);
            default -> throw new IllegalArgumentException("not a codec of aiomisc-compress: " + compression);
        };
    }

    /**
     * About {@code size} bytes alternating incompressible random runs, repetitive text and runs of
     * one byte: every kind of block a codec handles differently.
     */
    static byte[] mixedData(int size, long seed) {
        Random random = new Random(seed);
        ByteArrayOutputStream data = new ByteArrayOutputStream(size + 70_000);
        byte[] text = "The quick brown fox jumps over the lazy dog; żółć, 日本語, ✓.\n".getBytes(StandardCharsets.UTF_8);
        while (data.size() < size) {
            int run = 1 + random.nextInt(64 * 1024);
            switch (random.nextInt(3)) {
                case 0 -> {
                    byte[] noise = new byte[run];
                    random.nextBytes(noise);
                    data.writeBytes(noise);
                }
                case 1 -> {
                    for (int i = 0; i < run; i += text.length) {
                        data.writeBytes(text);
                    }
                }
                default -> data.writeBytes(new byte[run]);
            }
        }
        return data.toByteArray();
    }

    /** About {@code size} characters of lines of mixed scripts, some ending in {@code \r\n}. */
    static String mixedText(int size, long seed) {
        Random random = new Random(seed);
        String[] words = {"alpha", "βήτα", "гамма", "דלת", "五", "🙂", "tab\there", "x"};
        StringBuilder text = new StringBuilder(size + 200);
        int line = 0;
        while (text.length() < size) {
            text.append(line++).append(':');
            int count = random.nextInt(40);
            for (int i = 0; i < count; i++) {
                text.append(' ').append(words[random.nextInt(words.length)]);
            }
            text.append(random.nextInt(5) == 0 ? "\r\n" : "\n");
        }
        return text.toString();
    }
}
