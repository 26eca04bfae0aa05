package io.aiomisc.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiomisc.io.AsyncFile;
import io.aiomisc.io.Compression;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.io.TempDir;

/** 'x' mode, seek and tell on each codec, reading and writing. */
class ModesAndSeekTest {
    private static final byte[] DATA = ReferenceStreams.mixedData(500_000, 11);

    @TempDir
    Path dir;

    @EveryCodec
    void exclusiveCreateWritesANewFileAndRefusesAnExistingOne(Compression compression) throws Exception {
        Path file = dir.resolve("new." + compression);
        try (AsyncFile f = AsyncFile.open(file, "xb", compression)) {
            f.write(DATA);
        }
        assertArrayEquals(DATA, ReferenceStreams.decompress(compression, Files.readAllBytes(file)));
        byte[] before = Files.readAllBytes(file);

        assertThrows(FileAlreadyExistsException.class, () -> AsyncFile.open(file, "x", compression));
        assertArrayEquals(before, Files.readAllBytes(file), "the existing file is left alone");
    }

    @EveryCodec
    void readOfAMissingFileNamesIt(Compression compression) {
        Path file = dir.resolve("missing." + compression);
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> AsyncFile.open(file, "rb", compression));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }

    @EveryCodec
    void seekForwardAndBackWhileReading(Compression compression) throws Exception {
        Path file = dir.resolve("seek." + compression);
        Files.write(file, ReferenceStreams.compress(compression, DATA));
        try (AsyncFile f = AsyncFile.open(file, "rb", compression)) {
            assertEquals(0, f.tell());
            assertArrayEquals(Arrays.copyOfRange(DATA, 0, 10), f.read(10));
            assertEquals(10, f.tell());

            // forward far beyond the read-ahead
            assertEquals(300_000, f.seek(300_000));
            assertEquals(300_000, f.tell());
            assertArrayEquals(Arrays.copyOfRange(DATA, 300_000, 300_100), f.read(100));

            // back: decompression starts again
            assertEquals(5, f.seek(5));
            assertEquals(5, f.tell());
            assertArrayEquals(Arrays.copyOfRange(DATA, 5, 70_000), f.read(70_000 - 5));

            // back within the read-ahead, then forward within it
            assertEquals(69_000, f.seek(69_000));
            assertArrayEquals(Arrays.copyOfRange(DATA, 69_000, 69_010), f.read(10));
            assertEquals(69_500, f.seek(69_500));
            assertArrayEquals(Arrays.copyOfRange(DATA, 69_500, 69_600), f.read(100));

            // past the end: stays at the end
            assertEquals(DATA.length, f.seek(DATA.length + 1000L));
            assertEquals(DATA.length, f.tell());
            assertArrayEquals(new byte[0], f.read(1));

            // and from the end back to the start
            assertEquals(0, f.seek(0));
            assertArrayEquals(DATA, f.readAll());
            assertEquals(DATA.length, f.tell());
        }
    }

    @EveryCodec
    void seekWhileReadingTextThenReadLine(Compression compression) throws Exception {
        Path file = dir.resolve("lines." + compression);
        try (AsyncFile f = AsyncFile.open(file, "w", compression)) {
            f.write("first\nsecond\nthird\n");
        }
        try (AsyncFile f = AsyncFile.open(file, "r", compression)) {
            assertEquals("first", f.readLine());
            assertEquals(6, f.tell());
            assertEquals(13, f.seek(13));
            assertEquals("third", f.readLine());
            assertEquals(2, f.seek(2));
            assertEquals("rst", f.readLine());
            assertEquals("second", f.readLine());
        }
    }

    @EveryCodec
    void seekForwardWhileWritingWritesZerosAndBackFails(Compression compression) throws Exception {
        Path file = dir.resolve("gap." + compression);
        try (AsyncFile f = AsyncFile.open(file, "wb", compression)) {
            f.write(new byte[] {1, 2, 3});
            assertEquals(3, f.tell());
            assertEquals(200_000, f.seek(200_000));
            assertEquals(200_000, f.tell());
            f.write(new byte[] {4});
            assertEquals(200_001, f.tell());
            assertEquals(200_001, f.seek(200_001), "seek to the position is allowed");

            IOException back = assertThrows(IOException.class, () -> f.seek(100));
            assertTrue(back.getMessage().contains(file.toString()), back.getMessage());
            assertEquals(200_001, f.tell(), "a failed seek does not move");
            f.write(new byte[] {5});
        }
        byte[] expected = new byte[200_002];
        expected[0] = 1;
        expected[1] = 2;
        expected[2] = 3;
        expected[200_000] = 4;
        expected[200_001] = 5;
        assertArrayEquals(expected, ReferenceStreams.decompress(compression, Files.readAllBytes(file)));
        try (AsyncFile f = AsyncFile.open(file, "rb", compression)) {
            assertArrayEquals(expected, f.readAll());
        }
    }

    @EveryCodec
    void plusModeWithACodecIsRefusedNamingTheMode(Compression compression) {
        Path file = dir.resolve("plus." + compression);
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> AsyncFile.open(file, "w+b", compression));
        assertTrue(e.getMessage().contains("'w+b'"), e.getMessage());
        assertTrue(Files.notExists(file), "nothing is created");
    }

    @EveryCodec
    void truncateOnACompressedFileIsRefused(Compression compression) throws Exception {
        Path file = dir.resolve("trunc." + compression);
        try (AsyncFile f = AsyncFile.open(file, "wb", compression)) {
            f.write(DATA);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> f.truncate(10));
            assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        }
        assertArrayEquals(DATA, ReferenceStreams.decompress(compression, Files.readAllBytes(file)));
    }
}
