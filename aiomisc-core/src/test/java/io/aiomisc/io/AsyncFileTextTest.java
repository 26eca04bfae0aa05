package io.aiomisc.io;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Text files: lines, terminators, the read-ahead boundary, UTF-8 both ways. */
class AsyncFileTextTest {
    private static final int READ_AHEAD = 64 * 1024;

    @TempDir
    Path dir;

    private Path file(byte[] content) throws Exception {
        Path file = dir.resolve("text.txt");
        Files.write(file, content);
        return file;
    }

    private static List<String> readLines(Path file) throws Exception {
        List<String> lines = new ArrayList<>();
        try (AsyncFile f = AsyncFile.open(file, "r")) {
            for (String line = f.readLine(); line != null; line = f.readLine()) {
                lines.add(line);
            }
            assertNull(f.readLine());
        }
        return lines;
    }

    @Test
    void readLineStripsLfAndCrLfKeepsEmptyLinesAndTheLastLineWithoutNewline() throws Exception {
        Path file = file("a\nb\r\n\n\r\nc\rd\nlast".getBytes(UTF_8));
        assertEquals(List.of("a", "b", "", "", "c\rd", "last"), readLines(file));
    }

    @Test
    void aFinalNewlineDoesNotMakeAnEmptyLastLine() throws Exception {
        assertEquals(List.of("a", ""), readLines(file("a\n\n".getBytes(UTF_8))));
        assertEquals(List.of(), readLines(file(new byte[0])));
    }

    @Test
    void linesLongerThanTheReadAheadComeWhole() throws Exception {
        String longLine = "é".repeat(100_000) + "x".repeat(3 * READ_AHEAD); // multi-byte chars cross the boundary
        String last = "y".repeat(READ_AHEAD + 7);
        Path file = file((longLine + "\nshort\r\n" + last).getBytes(UTF_8));
        assertEquals(List.of(longLine, "short", last), readLines(file));
    }

    @Test
    void crLfSplitAcrossTheReadAheadBoundaryIsOneTerminator() throws Exception {
        byte[] content = new byte[READ_AHEAD + 5];
        java.util.Arrays.fill(content, (byte) 'a');
        content[READ_AHEAD - 1] = '\r';
        content[READ_AHEAD] = '\n';
        Path file = file(content);
        List<String> lines = readLines(file);
        assertEquals(2, lines.size(), "lines: " + lines.size());
        assertEquals("a".repeat(READ_AHEAD - 1), lines.get(0));
        assertEquals("aaaa", lines.get(1));
    }

    @Test
    void linesIsLazyAndStopsWhereAsked() throws Exception {
        Path file = file("1\n2\n3\n4\n".getBytes(UTF_8));
        try (AsyncFile f = AsyncFile.open(file, "r")) {
            assertEquals(List.of("1", "2"), f.lines().limit(2).toList());
            assertEquals(4, f.tell());
            assertEquals("3", f.readLine());
            try (Stream<String> rest = f.lines()) {
                assertEquals(List.of("4"), rest.toList());
            }
            assertEquals(List.of(), f.lines().toList());
        }
    }

    @Test
    void linesReportsInvalidTextAsUncheckedIoException() throws Exception {
        Path file = file(new byte[] {'o', 'k', '\n', (byte) 0xC3, (byte) 0x28, '\n'});
        try (AsyncFile f = AsyncFile.open(file, "r")) {
            UncheckedIOException e =
                    assertThrows(UncheckedIOException.class, () -> f.lines().toList());
            assertTrue(
                    e.getCause().getMessage().contains(file.toString()),
                    e.getCause().getMessage());
        }
    }

    @Test
    void readTextReadsTheRestAndIsEmptyAtTheEnd() throws Exception {
        String content = "first\n" + "ü".repeat(READ_AHEAD) + "\nend";
        Path file = file(content.getBytes(UTF_8));
        try (AsyncFile f = AsyncFile.open(file, "r")) {
            assertEquals("first", f.readLine());
            assertEquals(content.substring(6), f.readText());
            assertEquals("", f.readText());
            assertNull(f.readLine());
        }
    }

    @Test
    void writeStringIsUtf8WithoutAddedNewlines() throws Exception {
        Path file = dir.resolve("out.txt");
        String text = "naïve café — 日本 🎉🚀";
        try (AsyncFile f = AsyncFile.open(file, "w")) {
            f.write(text);
            f.write("");
            f.write("!");
            assertEquals(text.getBytes(UTF_8).length + 1, f.tell());
        }
        assertArrayEquals((text + "!").getBytes(UTF_8), Files.readAllBytes(file));
        assertEquals(List.of(text + "!"), readLines(file));
    }

    @Test
    void invalidUtf8IsAnIoExceptionNamingTheFile() throws Exception {
        Path file = file(new byte[] {'a', (byte) 0xFF, 'b', '\n'});
        try (AsyncFile f = AsyncFile.open(file, "r")) {
            IOException e = assertThrows(IOException.class, f::readLine);
            assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        }
        try (AsyncFile f = AsyncFile.open(file, "r")) {
            IOException e = assertThrows(IOException.class, f::readText);
            assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        }
        // a truncated multi-byte sequence at the very end is invalid too
        Path cut = dir.resolve("cut.txt");
        byte[] emoji = "🎉".getBytes(UTF_8);
        Files.write(cut, java.util.Arrays.copyOf(emoji, 2));
        try (AsyncFile f = AsyncFile.open(cut, "r")) {
            IOException e = assertThrows(IOException.class, f::readLine);
            assertInstanceOf(java.nio.charset.CharacterCodingException.class, e.getCause());
            assertTrue(e.getMessage().contains(cut.toString()), e.getMessage());
        }
    }
}
