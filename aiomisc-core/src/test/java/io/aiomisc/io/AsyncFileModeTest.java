package io.aiomisc.io;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every Python mode: what it may do, what it does to the file, where it starts. */
class AsyncFileModeTest {
    @TempDir
    Path dir;

    private Path existing(String content) throws Exception {
        Path file = dir.resolve("existing.txt");
        Files.writeString(file, content);
        return file;
    }

    @ParameterizedTest
    @ValueSource(strings = {"r", "rt", "tr"})
    void readTextModesReadButDoNotWrite(String mode) throws Exception {
        Path file = existing("one\ntwo\n");
        try (AsyncFile f = AsyncFile.open(file, mode)) {
            assertEquals(0, f.tell());
            assertEquals("one", f.readLine());
            assertThrows(IllegalStateException.class, () -> f.write("x"));
            assertThrows(IllegalStateException.class, () -> f.truncate(0));
            assertThrows(IllegalStateException.class, () -> f.read(1));
            assertEquals(mode, f.mode());
        }
        assertEquals("one\ntwo\n", Files.readString(file));
    }

    @ParameterizedTest
    @ValueSource(strings = {"rb", "br"})
    void readBinaryModesReadButDoNotWrite(String mode) throws Exception {
        Path file = existing("abc");
        try (AsyncFile f = AsyncFile.open(file, mode)) {
            assertArrayEquals("abc".getBytes(UTF_8), f.readAll());
            assertThrows(IllegalStateException.class, () -> f.write(new byte[] {1}));
            assertThrows(IllegalStateException.class, f::readLine);
        }
        assertEquals("abc", Files.readString(file));
    }

    @ParameterizedTest
    @ValueSource(strings = {"r", "rb", "r+", "rb+"})
    void readModesNeedTheFile(String mode) {
        Path missing = dir.resolve("missing");
        assertThrows(NoSuchFileException.class, () -> AsyncFile.open(missing, mode));
        assertFalse(Files.exists(missing));
    }

    @Test
    void readPlusReadsAndWritesWithoutTruncating() throws Exception {
        Path file = existing("hello world");
        try (AsyncFile f = AsyncFile.open(file, "r+")) {
            assertEquals(0, f.tell());
            f.write("HELLO");
            assertEquals(" world", f.readText());
        }
        assertEquals("HELLO world", Files.readString(file));
    }

    @ParameterizedTest
    @ValueSource(strings = {"w", "wt", "tw"})
    void writeTruncatesAndCannotRead(String mode) throws Exception {
        Path file = existing("old content that is long");
        try (AsyncFile f = AsyncFile.open(file, mode)) {
            assertEquals(0, Files.size(file));
            assertEquals(0, f.tell());
            f.write("new");
            assertThrows(IllegalStateException.class, f::readLine);
            assertThrows(IllegalStateException.class, f::readText);
            assertThrows(IllegalStateException.class, f::lines);
        }
        assertEquals("new", Files.readString(file));
    }

    @Test
    void writeCreatesAMissingFile() throws Exception {
        Path file = dir.resolve("new.bin");
        try (AsyncFile f = AsyncFile.open(file, "wb")) {
            f.write(new byte[] {1, 2, 3});
            assertThrows(IllegalStateException.class, () -> f.read(1));
            assertThrows(IllegalStateException.class, f::readAll);
        }
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(file));
    }

    @Test
    void writePlusTruncatesAndReadsBack() throws Exception {
        Path file = existing("old content");
        try (AsyncFile f = AsyncFile.open(file, "w+")) {
            assertEquals(0, Files.size(file));
            f.write("fresh");
            f.seek(0);
            assertEquals("fresh", f.readText());
        }
        assertEquals("fresh", Files.readString(file));
    }

    @Test
    void appendStartsAtTheEndAndEveryWriteGoesThereEvenAfterSeek() throws Exception {
        Path file = existing("abc");
        try (AsyncFile f = AsyncFile.open(file, "a")) {
            assertEquals(3, f.tell());
            f.write("d");
            f.seek(0);
            f.write("e");
            f.flush();
            f.seek(1);
            f.write("f");
            assertThrows(IllegalStateException.class, f::readLine);
        }
        assertEquals("abcdef", Files.readString(file));
    }

    @Test
    void appendCreatesAMissingFile() throws Exception {
        Path file = dir.resolve("log.bin");
        try (AsyncFile f = AsyncFile.open(file, "ab")) {
            assertEquals(0, f.tell());
            f.write(new byte[] {7});
        }
        try (AsyncFile f = AsyncFile.open(file, "ab")) {
            assertEquals(1, f.tell());
            f.write(new byte[] {8});
        }
        assertArrayEquals(new byte[] {7, 8}, Files.readAllBytes(file));
    }

    @Test
    void appendPlusReadsAnywhereButWritesAtTheEnd() throws Exception {
        Path file = existing("line1\nline2\n");
        try (AsyncFile f = AsyncFile.open(file, "a+")) {
            assertEquals(12, f.tell());
            assertEquals(null, f.readLine());
            f.seek(0);
            assertEquals("line1", f.readLine());
            f.write("line3\n");
            assertEquals(18, f.tell());
            f.seek(6);
            assertEquals("line2", f.readLine());
            assertEquals("line3", f.readLine());
        }
        assertEquals("line1\nline2\nline3\n", Files.readString(file));
    }

    @ParameterizedTest
    @ValueSource(strings = {"x", "xb", "x+", "xt"})
    void exclusiveCreateFailsOnAnExistingFileAndLeavesItAlone(String mode) throws Exception {
        Path file = existing("keep");
        assertThrows(FileAlreadyExistsException.class, () -> AsyncFile.open(file, mode));
        assertEquals("keep", Files.readString(file));
    }

    @Test
    void exclusiveCreateWritesANewFileAndCannotRead() throws Exception {
        Path file = dir.resolve("x.txt");
        try (AsyncFile f = AsyncFile.open(file, "x")) {
            assertEquals(0, f.tell());
            f.write("made");
            assertThrows(IllegalStateException.class, f::readLine);
        }
        assertEquals("made", Files.readString(file));
        Path binary = dir.resolve("x.bin");
        try (AsyncFile f = AsyncFile.open(binary, "xb")) {
            f.write(new byte[] {9});
            assertThrows(IllegalStateException.class, f::readAll);
        }
        assertArrayEquals(new byte[] {9}, Files.readAllBytes(binary));
    }

    @Test
    void exclusiveCreatePlusReadsBack() throws Exception {
        Path file = dir.resolve("xp.txt");
        try (AsyncFile f = AsyncFile.open(file, "x+")) {
            f.write("both");
            f.seek(1);
            assertEquals("oth", f.readText());
        }
        assertTrue(Files.exists(file));
    }

    @Test
    void accessorsReportWhatWasOpened() throws Exception {
        Path file = existing("");
        try (AsyncFile f = AsyncFile.open(file, "rb+")) {
            assertEquals(file, f.path());
            assertEquals("rb+", f.mode());
            assertEquals(Compression.NONE, f.compression());
            assertTrue(f.toString().contains(file.toString()), f.toString());
        }
    }
}
