package io.aiomisc.io;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** seek, tell and truncate on plain files, including across the 64 KiB read-ahead. */
class AsyncFileSeekTest {
    private static final int SIZE = 200_000; // about three read-aheads

    @TempDir
    Path dir;

    private static byte[] pattern(int size) {
        byte[] data = new byte[size];
        for (int i = 0; i < size; i++) {
            data[i] = (byte) (i * 31 + i / 251);
        }
        return data;
    }

    private Path patternFile() throws Exception {
        Path file = dir.resolve("pattern.bin");
        Files.write(file, pattern(SIZE));
        return file;
    }

    @Test
    void seekWithinPastAndBackFromTheReadAhead() throws Exception {
        byte[] data = pattern(SIZE);
        try (AsyncFile f = AsyncFile.open(patternFile(), "rb")) {
            assertArrayEquals(Arrays.copyOfRange(data, 0, 10), f.read(10));
            assertEquals(10, f.tell());
            assertEquals(1000, f.seek(1000)); // within the read-ahead
            assertEquals(1000, f.tell());
            assertArrayEquals(Arrays.copyOfRange(data, 1000, 1004), f.read(4));
            assertEquals(150_000, f.seek(150_000)); // past the read-ahead
            assertArrayEquals(Arrays.copyOfRange(data, 150_000, 150_100), f.read(100));
            assertEquals(150_100, f.tell());
            assertEquals(5, f.seek(5)); // backwards
            assertArrayEquals(Arrays.copyOfRange(data, 5, 70_000), f.read(69_995)); // across the read-ahead
            assertEquals(70_000, f.tell());
            assertEquals(SIZE + 10, f.seek(SIZE + 10)); // past the end
            assertArrayEquals(new byte[0], f.read(5));
            assertEquals(SIZE + 10, f.tell());
            f.seek(SIZE - 3);
            assertArrayEquals(Arrays.copyOfRange(data, SIZE - 3, SIZE), f.readAll());
        }
    }

    @Test
    void seekPastTheEndThenWriteFillsTheGapWithZeros() throws Exception {
        Path file = dir.resolve("gap.bin");
        try (AsyncFile f = AsyncFile.open(file, "wb")) {
            f.write(new byte[] {1, 2});
            assertEquals(10, f.seek(10));
            f.write(new byte[] {3});
            assertEquals(11, f.tell());
        }
        assertArrayEquals(new byte[] {1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 3}, Files.readAllBytes(file));
    }

    @Test
    void writeAfterReadLandsAtTheLogicalPositionNotAtTheEndOfTheReadAhead() throws Exception {
        Path file = patternFile();
        byte[] expected = pattern(SIZE);
        try (AsyncFile f = AsyncFile.open(file, "rb+")) {
            f.read(100); // the read-ahead now holds 64 KiB
            f.write(new byte[] {-1, -1});
            assertEquals(102, f.tell());
            assertArrayEquals(Arrays.copyOfRange(expected, 102, 110), f.read(8)); // reads after the write
        }
        expected[100] = -1;
        expected[101] = -1;
        assertArrayEquals(expected, Files.readAllBytes(file));
    }

    @Test
    void readAfterWriteSeesTheWrite() throws Exception {
        Path file = dir.resolve("rw.bin");
        Files.write(file, new byte[] {0, 0, 0, 0, 0, 0});
        try (AsyncFile f = AsyncFile.open(file, "r+b")) {
            f.write(new byte[] {5, 6}); // still in the write buffer
            f.seek(0);
            assertArrayEquals(new byte[] {5, 6, 0, 0}, f.read(4));
            f.write(new byte[] {7});
            f.seek(0);
            assertArrayEquals(new byte[] {5, 6, 0, 0, 7, 0}, f.readAll());
        }
    }

    @Test
    void textPlusInterleavesLinesAndWrites() throws Exception {
        Path file = dir.resolve("lines.txt");
        Files.writeString(file, "aaa\nbbb\nccc\n");
        try (AsyncFile f = AsyncFile.open(file, "r+")) {
            assertEquals("aaa", f.readLine());
            f.write("BBB");
            assertEquals("", f.readLine()); // the rest of line 2: its newline
            assertEquals("ccc", f.readLine());
        }
        assertEquals("aaa\nBBB\nccc\n", Files.readString(file));
    }

    @Test
    void truncateKeepsThePosition() throws Exception {
        Path file = dir.resolve("t.bin");
        try (AsyncFile f = AsyncFile.open(file, "wb+")) {
            f.write(new byte[100]);
            f.truncate(10);
            assertEquals(100, f.tell());
            assertEquals(10, Files.size(file));
            f.write(new byte[] {1});
            assertEquals(101, f.tell());
        }
        byte[] content = Files.readAllBytes(file);
        assertEquals(101, content.length);
        assertEquals(1, content[100]);
    }

    @Test
    void truncateWhileReadingKeepsTheLogicalPosition() throws Exception {
        Path file = patternFile();
        byte[] data = pattern(SIZE);
        try (AsyncFile f = AsyncFile.open(file, "rb+")) {
            f.read(10); // a full read-ahead is buffered
            f.truncate(50);
            assertEquals(10, f.tell());
            assertArrayEquals(Arrays.copyOfRange(data, 10, 50), f.readAll());
        }
        assertEquals(50, Files.size(file));
    }

    @Test
    void truncateToALargerSizeExtendsWithZeros() throws Exception {
        // Python's truncate extends the file; a FileChannel's truncate silently does not.
        Path file = dir.resolve("grow.bin");
        try (AsyncFile f = AsyncFile.open(file, "wb")) {
            f.write(new byte[] {1, 2, 3});
            f.truncate(8);
            assertEquals(3, f.tell());
        }
        assertArrayEquals(new byte[] {1, 2, 3, 0, 0, 0, 0, 0}, Files.readAllBytes(file));
    }

    @Test
    void tellAfterReadLineIsTheByteOffsetOfTheNextLine() throws Exception {
        Path file = dir.resolve("utf8.txt");
        String first = "zwölf Äpfel";
        String second = "日本語のテキスト 🎉";
        Files.writeString(file, first + "\n" + second + "\r\nend");
        int afterFirst = first.getBytes(UTF_8).length + 1;
        int afterSecond = afterFirst + second.getBytes(UTF_8).length + 2;
        try (AsyncFile f = AsyncFile.open(file, "r")) {
            assertEquals(first, f.readLine());
            assertEquals(afterFirst, f.tell());
            assertEquals(second, f.readLine());
            assertEquals(afterSecond, f.tell());
            f.seek(afterFirst);
            assertEquals(second, f.readLine());
            assertEquals("end", f.readLine());
            assertEquals(afterSecond + 3, f.tell());
        }
    }
}
