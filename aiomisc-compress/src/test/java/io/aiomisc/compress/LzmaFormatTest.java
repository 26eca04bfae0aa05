package io.aiomisc.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiomisc.io.AsyncFile;
import io.aiomisc.io.Compression;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.LZMAOutputStream;
import org.tukaani.xz.MemoryLimitException;
import org.tukaani.xz.SingleXZInputStream;
import org.tukaani.xz.XZ;

/** {@link Compression#LZMA} as Python's {@code lzma.open}: writes .xz, reads .xz and legacy .lzma. */
class LzmaFormatTest {
    private static final byte[] XZ_MAGIC = {(byte) 0xFD, '7', 'z', 'X', 'Z', 0};
    private static final byte[] DATA = ReferenceStreams.mixedData(1024 * 1024, 3);

    @TempDir
    Path dir;

    @Test
    void writesTheXzContainerWithCrc64AsPython() throws Exception {
        Path file = dir.resolve("data.xz");
        try (AsyncFile f = AsyncFile.open(file, "wb", Compression.LZMA)) {
            f.write(DATA);
        }
        byte[] written = Files.readAllBytes(file);
        assertArrayEquals(XZ_MAGIC, Arrays.copyOf(written, 6));
        // stream flags: byte 6 is 0, byte 7 the check type
        assertEquals(XZ.CHECK_CRC64, written[7]);
        // one stream, read by the single-stream reader
        try (SingleXZInputStream in = new SingleXZInputStream(Files.newInputStream(file))) {
            assertArrayEquals(DATA, in.readAllBytes());
        }
    }

    @Test
    void readsLegacyLzmaWithKnownSize() throws Exception {
        Path file = dir.resolve("known.lzma");
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (LZMAOutputStream out = new LZMAOutputStream(sink, new LZMA2Options(), DATA.length)) {
            out.write(DATA);
        }
        Files.write(file, sink.toByteArray());
        // the header's uncompressed size (bytes 5..12, little endian) is the real size
        long headerSize = java.nio.ByteBuffer.wrap(sink.toByteArray(), 5, 8)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .getLong();
        assertEquals(DATA.length, headerSize);
        try (AsyncFile f = AsyncFile.open(file, "rb", Compression.LZMA)) {
            assertArrayEquals(DATA, f.readAll());
        }
    }

    @Test
    void readsLegacyLzmaWithUnknownSizeAndEndMarker() throws Exception {
        Path file = dir.resolve("marker.lzma");
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (LZMAOutputStream out = new LZMAOutputStream(sink, new LZMA2Options(), -1)) {
            out.write(DATA);
        }
        byte[] written = sink.toByteArray();
        // unknown size: all ones in the header
        assertArrayEquals(new byte[] {-1, -1, -1, -1, -1, -1, -1, -1}, Arrays.copyOfRange(written, 5, 13));
        Files.write(file, written);
        try (AsyncFile f = AsyncFile.open(file, "rb", Compression.LZMA)) {
            assertArrayEquals(DATA, f.readAll());
        }
    }

    @Test
    void legacyLzmaTextIsReadLineByLine() throws Exception {
        Path file = dir.resolve("lines.lzma");
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (LZMAOutputStream out = new LZMAOutputStream(sink, new LZMA2Options(1), -1)) {
            out.write("one\r\ntwo\nthree".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        Files.write(file, sink.toByteArray());
        try (AsyncFile f = AsyncFile.open(file, "r", Compression.LZMA)) {
            assertEquals(List.of("one", "two", "three"), f.lines().toList());
        }
    }

    @Test
    void twoConcatenatedXzStreamsReadAsOne() throws Exception {
        byte[] first = Arrays.copyOf(DATA, 300_000);
        byte[] second = Arrays.copyOfRange(DATA, 300_000, DATA.length);
        ByteArrayOutputStream both = new ByteArrayOutputStream();
        both.writeBytes(ReferenceStreams.compress(Compression.LZMA, first));
        both.writeBytes(ReferenceStreams.compress(Compression.LZMA, second));
        Path file = dir.resolve("two.xz");
        Files.write(file, both.toByteArray());
        try (AsyncFile f = AsyncFile.open(file, "rb", Compression.LZMA)) {
            assertArrayEquals(DATA, f.readAll());
        }
    }

    @Test
    void legacyHeaderWithADictionarySizeNoEncoderWritesIsNotTakenForLzma() throws Exception {
        // what random bytes mostly look like: before the check, a 1.2 GB dictionary was allocated
        byte[] header = legacyHeader(0x5D, 0x4A3B2C1D, -1);
        Path file = dir.resolve("odd.lzma");
        Files.write(file, header);
        IOException e = assertThrows(IOException.class, () -> AsyncFile.open(file, "rb", Compression.LZMA));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("dictionary size 1245391901"), e.getMessage());
    }

    @Test
    void legacyHeaderWithAnInvalidPropertiesByteOrSizeIsNotTakenForLzma() throws Exception {
        for (byte[] header : List.of(legacyHeader(225, 1 << 23, -1), legacyHeader(0x5D, 1 << 23, 1L << 38))) {
            Path file = dir.resolve("bad.lzma");
            Files.write(file, header);
            IOException e = assertThrows(IOException.class, () -> AsyncFile.open(file, "rb", Compression.LZMA));
            assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
            assertTrue(e.getMessage().contains("neither .xz nor .lzma"), e.getMessage());
        }
    }

    @Test
    void legacyHeaderOfEveryDictionarySizeAnEncoderWritesIsAccepted() throws Exception {
        // 2^n and 2^n + 2^(n-1) between 4 KiB and 64 MiB
        for (int dictionary : new int[] {1 << 12, 3 << 11, 1 << 20, 3 << 19, 1 << 26}) {
            ByteArrayOutputStream sink = new ByteArrayOutputStream();
            LZMA2Options options = new LZMA2Options(0);
            options.setDictSize(dictionary);
            try (LZMAOutputStream out = new LZMAOutputStream(sink, options, -1)) {
                out.write(Arrays.copyOf(DATA, 10_000));
            }
            assertEquals(
                    dictionary,
                    ByteBuffer.wrap(sink.toByteArray(), 1, 4)
                            .order(ByteOrder.LITTLE_ENDIAN)
                            .getInt());
            Path file = dir.resolve("dict-" + dictionary + ".lzma");
            Files.write(file, sink.toByteArray());
            try (AsyncFile f = AsyncFile.open(file, "rb", Compression.LZMA)) {
                assertArrayEquals(Arrays.copyOf(DATA, 10_000), f.readAll());
            }
        }
    }

    @Test
    void legacyDictionaryLargerThanTheMemoryLimitIsAnIOExceptionNotAnOutOfMemoryError() throws Exception {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        LZMA2Options options = new LZMA2Options(0);
        options.setDictSize(64 << 20);
        try (LZMAOutputStream out = new LZMAOutputStream(sink, options, -1)) {
            out.write(Arrays.copyOf(DATA, 1000));
        }
        byte[] stream = sink.toByteArray();
        assertThrows(MemoryLimitException.class, () -> new LzmaProvider(32L << 20)
                .decompress(new BufferedInputStream(new ByteArrayInputStream(stream))));
        try (InputStream in =
                new LzmaProvider(128L << 20).decompress(new BufferedInputStream(new ByteArrayInputStream(stream)))) {
            assertArrayEquals(Arrays.copyOf(DATA, 1000), in.readAllBytes());
        }
    }

    private static byte[] legacyHeader(int properties, int dictionary, long size) {
        return ByteBuffer.allocate(13)
                .order(ByteOrder.LITTLE_ENDIAN)
                .put((byte) properties)
                .putInt(dictionary)
                .putLong(size)
                .array();
    }
}
