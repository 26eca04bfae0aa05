package io.aiomisc.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.luben.zstd.Zstd;
import io.aiomisc.io.AsyncFile;
import io.aiomisc.io.Compression;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each codec through {@link AsyncFile}, binary and text, round-tripped and cross-checked against
 * the reference library's own streams in both directions.
 */
class CodecRoundTripTest {
    private static final byte[] DATA = ReferenceStreams.mixedData(2 * 1024 * 1024, 17);
    private static final String TEXT = ReferenceStreams.mixedText(512 * 1024, 17);

    @TempDir
    Path dir;

    @EveryCodec
    void binaryRoundTripInUnevenChunks(Compression compression) throws Exception {
        Path file = dir.resolve("data." + compression);
        try (AsyncFile f = AsyncFile.open(file, "wb", compression)) {
            int[] chunks = {1, 3, 100, 65_535, 65_537, 199_999, 7, 262_144};
            int offset = 0;
            for (int i = 0; offset < DATA.length; i++) {
                int n = Math.min(chunks[i % chunks.length], DATA.length - offset);
                f.write(Arrays.copyOfRange(DATA, offset, offset + n));
                offset += n;
            }
            assertEquals(DATA.length, f.tell());
        }
        assertTrue(Files.size(file) < DATA.length, "compressed: " + Files.size(file) + " bytes");
        try (AsyncFile f = AsyncFile.open(file, "rb", compression)) {
            // sizes below, at and above the 64 KiB read-ahead; 0 reads nothing but is not the end
            int[] sizes = {1, 0, 7, 4096, 65_535, 65_536, 65_537, 200_001};
            ByteArrayOutputStream read = new ByteArrayOutputStream();
            for (int i = 0; ; i++) {
                int size = sizes[i % sizes.length];
                byte[] part = f.read(size);
                if (size > 0 && part.length == 0) {
                    break;
                }
                read.writeBytes(part);
            }
            assertArrayEquals(DATA, read.toByteArray());
            assertEquals(DATA.length, f.tell());
        }
    }

    @EveryCodec
    void textRoundTripLineByLine(Compression compression) throws Exception {
        Path file = dir.resolve("text." + compression);
        try (AsyncFile f = AsyncFile.open(file, "wt", compression)) {
            f.write(TEXT);
        }
        List<String> expected = TEXT.lines().toList();
        try (AsyncFile f = AsyncFile.open(file, "r", compression)) {
            assertEquals(expected, f.lines().toList());
            assertEquals(null, f.readLine());
        }
        try (AsyncFile f = AsyncFile.open(file, "rt", compression)) {
            assertEquals(TEXT, f.readText());
        }
    }

    @EveryCodec
    void whatAsyncFileWritesBinaryTheReferenceLibraryReads(Compression compression) throws Exception {
        Path binary = dir.resolve("binary." + compression);
        try (AsyncFile f = AsyncFile.open(binary, "wb", compression)) {
            f.write(DATA);
        }
        assertArrayEquals(DATA, ReferenceStreams.decompress(compression, Files.readAllBytes(binary)));
    }

    @EveryCodec
    void whatAsyncFileWritesAsTextTheReferenceLibraryReads(Compression compression) throws Exception {
        Path text = dir.resolve("text." + compression);
        try (AsyncFile f = AsyncFile.open(text, "w", compression)) {
            f.write(TEXT);
        }
        byte[] decoded = ReferenceStreams.decompress(compression, Files.readAllBytes(text));
        assertEquals(TEXT, new String(decoded, StandardCharsets.UTF_8));
    }

    @EveryCodec
    void whatTheReferenceLibraryWritesAsyncFileReadsAsBinary(Compression compression) throws Exception {
        Path binary = dir.resolve("binary." + compression);
        Files.write(binary, ReferenceStreams.compress(compression, DATA));
        try (AsyncFile f = AsyncFile.open(binary, "rb", compression)) {
            assertArrayEquals(DATA, f.readAll());
        }
    }

    @EveryCodec
    void whatTheReferenceLibraryWritesAsyncFileReadsAsText(Compression compression) throws Exception {
        Path text = dir.resolve("text." + compression);
        Files.write(text, ReferenceStreams.compress(compression, TEXT.getBytes(StandardCharsets.UTF_8)));
        try (AsyncFile f = AsyncFile.open(text, "r", compression)) {
            assertEquals(TEXT, f.readText());
        }
    }

    @EveryCodec
    void emptyFileRoundTrips(Compression compression) throws Exception {
        Path file = dir.resolve("empty." + compression);
        try (AsyncFile f = AsyncFile.open(file, "wb", compression)) {
            assertEquals(0, f.tell());
        }
        assertNotEquals(0, Files.size(file), "an empty stream still has its header");
        assertArrayEquals(new byte[0], ReferenceStreams.decompress(compression, Files.readAllBytes(file)));
        try (AsyncFile f = AsyncFile.open(file, "rb", compression)) {
            assertArrayEquals(new byte[0], f.read(10));
        }
    }

    @Test
    void zstdFileIsOneFrameThatZstdDecompressesInOneCall() throws Exception {
        Path file = dir.resolve("frame.zst");
        try (AsyncFile f = AsyncFile.open(file, "wb", Compression.ZSTD)) {
            f.write(DATA);
        }
        assertArrayEquals(DATA, Zstd.decompress(Files.readAllBytes(file), DATA.length));
    }

    @Test
    void zstdFrameFromZstdCompressIsRead() throws Exception {
        Path file = dir.resolve("simple.zst");
        Files.write(file, Zstd.compress(DATA, 19));
        try (AsyncFile f = AsyncFile.open(file, "rb", Compression.ZSTD)) {
            assertArrayEquals(DATA, f.readAll());
        }
    }

    @Test
    void zstdFramesCarryTheContentChecksum() throws Exception {
        Path file = dir.resolve("checked.zst");
        try (AsyncFile f = AsyncFile.open(file, "wb", Compression.ZSTD)) {
            f.write(DATA);
        }
        byte[] written = Files.readAllBytes(file);
        // frame header descriptor after the 4-byte magic: bit 2 is Content_Checksum_flag
        assertEquals(4, written[4] & 4, "checksum flag in descriptor " + Integer.toBinaryString(written[4] & 0xFF));
    }
}
