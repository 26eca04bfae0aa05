package io.aiomisc.io;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad modes, wrong kind of call, calls after close, negative sizes, nulls, a missing codec module. */
class AsyncFileBadInputTest {
    @TempDir
    Path dir;

    private Path existing() throws Exception {
        Path file = dir.resolve("f.txt");
        Files.writeString(file, "content\n");
        return file;
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "rw", "rr", "q", "r++", "bt", "z", "rbt", "R", "r b"})
    void unknownModesAreRejectedNamingTheMode(String mode) throws Exception {
        Path file = existing();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AsyncFile.open(file, mode));
        assertTrue(e.getMessage().contains("'" + mode + "'"), e.getMessage());
        Path missing = dir.resolve("not-created");
        assertThrows(IllegalArgumentException.class, () -> AsyncFile.open(missing, mode, Compression.GZIP));
        assertFalse(Files.exists(missing));
    }

    @Test
    void textCallsOnABinaryFileAndBinaryCallsOnATextFile() throws Exception {
        Path file = existing();
        try (AsyncFile binary = AsyncFile.open(file, "rb+")) {
            assertAllIllegalState(
                    List.of(binary::readLine, binary::readText, binary::lines, () -> binary.write("text")));
            assertEquals(0, binary.tell()); // nothing was consumed
        }
        try (AsyncFile text = AsyncFile.open(file, "r+")) {
            assertAllIllegalState(List.of(() -> text.read(1), text::readAll, () -> text.write(new byte[] {1})));
            assertEquals("content", text.readLine());
        }
        assertEquals("content\n", Files.readString(file));
    }

    @Test
    void readingAWriteOnlyFileAndWritingAReadOnlyOne() throws Exception {
        Path file = existing();
        try (AsyncFile readOnly = AsyncFile.open(file, "r")) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> readOnly.write("x"));
            assertTrue(e.getMessage().contains("not open for writing"), e.getMessage());
            assertThrows(IllegalStateException.class, () -> readOnly.truncate(0));
        }
        try (AsyncFile writeOnly = AsyncFile.open(file, "ab")) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> writeOnly.read(1));
            assertTrue(e.getMessage().contains("not open for reading"), e.getMessage());
            assertThrows(IllegalStateException.class, writeOnly::readAll);
        }
        assertEquals("content\n", Files.readString(file));
    }

    @Test
    void everyCallAfterCloseIsIllegalStateAndCloseTwiceIsFine() throws Exception {
        Path file = existing();
        AsyncFile text = AsyncFile.open(file, "r+");
        text.close();
        assertDoesNotThrow(text::close);
        assertAllIllegalState(List.of(
                text::readLine,
                text::readText,
                text::lines,
                () -> text.write("x"),
                () -> text.seek(0),
                text::tell,
                () -> text.truncate(0),
                text::flush));
        AsyncFile binary = AsyncFile.open(file, "rb+");
        binary.close();
        binary.close();
        assertAllIllegalState(List.of(() -> binary.read(1), binary::readAll, () -> binary.write(new byte[] {1})));
        assertEquals("content\n", Files.readString(file));
    }

    @Test
    void negativeSizesAndPositionsAreIllegalArguments() throws Exception {
        try (AsyncFile f = AsyncFile.open(existing(), "rb+")) {
            IllegalArgumentException read = assertThrows(IllegalArgumentException.class, () -> f.read(-1));
            assertTrue(read.getMessage().contains("-1"), read.getMessage());
            IllegalArgumentException seek = assertThrows(IllegalArgumentException.class, () -> f.seek(-5));
            assertTrue(seek.getMessage().contains("-5"), seek.getMessage());
            IllegalArgumentException truncate = assertThrows(IllegalArgumentException.class, () -> f.truncate(-7));
            assertTrue(truncate.getMessage().contains("-7"), truncate.getMessage());
            assertEquals(0, f.tell());
        }
    }

    @Test
    void nullsAreNullPointerExceptions() throws Exception {
        Path file = existing();
        assertThrows(NullPointerException.class, () -> AsyncFile.open(null, "r"));
        assertThrows(NullPointerException.class, () -> AsyncFile.open(file, null));
        assertThrows(NullPointerException.class, () -> AsyncFile.open(file, "r", null));
        assertThrows(NullPointerException.class, () -> AsyncFile.openAsync(null, "r", Compression.NONE));
        try (AsyncFile text = AsyncFile.open(file, "r+");
                AsyncFile binary = AsyncFile.open(file, "rb+")) {
            assertThrows(NullPointerException.class, () -> text.write((String) null));
            assertThrows(NullPointerException.class, () -> binary.write((byte[]) null));
            assertThrows(NullPointerException.class, () -> text.writeAsync((String) null));
            assertThrows(NullPointerException.class, () -> binary.writeAsync((byte[]) null));
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = Compression.class,
            names = {"BZ2", "LZMA", "ZSTD"})
    void codecsOutsideCoreNameTheMissingModuleAndCreateNoFile(Compression compression) throws Exception {
        // core's own test class path has no aiomisc-compress
        for (String mode : List.of("w", "a", "x", "r")) {
            Path file = dir.resolve("data." + compression + "." + mode);
            IllegalStateException e =
                    assertThrows(IllegalStateException.class, () -> AsyncFile.open(file, mode, compression));
            assertTrue(e.getMessage().contains("io.aiomisc:aiomisc-compress"), e.getMessage());
            assertTrue(e.getMessage().contains(compression.name()), e.getMessage());
            assertFalse(Files.exists(file), mode);
        }
    }

    private static void assertAllIllegalState(List<Executable> calls) {
        for (int i = 0; i < calls.size(); i++) {
            int index = i;
            assertThrows(IllegalStateException.class, calls.get(i), () -> "call " + index);
        }
    }
}
