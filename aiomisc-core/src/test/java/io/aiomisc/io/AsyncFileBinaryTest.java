package io.aiomisc.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Binary files: read(n) exact, short and empty, read(0), readAll, write. */
class AsyncFileBinaryTest {
    @TempDir
    Path dir;

    @Test
    void readReturnsExactlyWhatIsAskedThenShortThenEmpty() throws Exception {
        byte[] data = new byte[150_000];
        new Random(17).nextBytes(data);
        Path file = dir.resolve("data.bin");
        Files.write(file, data);
        try (AsyncFile f = AsyncFile.open(file, "rb")) {
            assertArrayEquals(new byte[0], f.read(0));
            assertArrayEquals(Arrays.copyOfRange(data, 0, 3), f.read(3));
            assertArrayEquals(Arrays.copyOfRange(data, 3, 100_003), f.read(100_000)); // more than a read-ahead
            assertArrayEquals(Arrays.copyOfRange(data, 100_003, 150_000), f.read(60_000)); // short at the end
            assertArrayEquals(new byte[0], f.read(10));
            assertArrayEquals(new byte[0], f.read(0));
            assertArrayEquals(new byte[0], f.readAll());
            assertEquals(150_000, f.tell());
        }
    }

    @Test
    void readAllReadsFromThePosition() throws Exception {
        byte[] data = new byte[70_000];
        new Random(3).nextBytes(data);
        Path file = dir.resolve("all.bin");
        Files.write(file, data);
        try (AsyncFile f = AsyncFile.open(file, "rb")) {
            assertArrayEquals(data, f.readAll());
            f.seek(69_000);
            assertArrayEquals(Arrays.copyOfRange(data, 69_000, 70_000), f.readAll());
        }
        Path empty = dir.resolve("empty.bin");
        Files.write(empty, new byte[0]);
        try (AsyncFile f = AsyncFile.open(empty, "rb")) {
            assertArrayEquals(new byte[0], f.readAll());
            assertArrayEquals(new byte[0], f.read(1));
        }
    }

    @Test
    void writeSmallAndLargeChunksInOrder() throws Exception {
        byte[] big = new byte[200_000]; // larger than the write buffer: written through
        new Random(5).nextBytes(big);
        Path file = dir.resolve("w.bin");
        try (AsyncFile f = AsyncFile.open(file, "wb")) {
            f.write(new byte[] {1, 2});
            f.write(big);
            f.write(new byte[0]);
            f.write(new byte[] {3});
            assertEquals(200_003, f.tell());
        }
        byte[] expected = new byte[200_003];
        expected[0] = 1;
        expected[1] = 2;
        System.arraycopy(big, 0, expected, 2, big.length);
        expected[200_002] = 3;
        assertArrayEquals(expected, Files.readAllBytes(file));
    }

    @Test
    void flushMakesBufferedWritesVisibleToOthers() throws Exception {
        Path file = dir.resolve("f.bin");
        try (AsyncFile f = AsyncFile.open(file, "wb")) {
            f.write(new byte[] {4, 5});
            f.flush();
            assertArrayEquals(new byte[] {4, 5}, Files.readAllBytes(file));
        }
    }
}
