package io.aiomisc.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.aiomisc.io.AsyncFile;
import io.aiomisc.io.Compression;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/** Appending adds a new stream or frame after the existing ones; reading returns all the content. */
class AppendTest {
    private static final byte[] DATA = ReferenceStreams.mixedData(600_000, 5);

    @TempDir
    Path dir;

    @EveryCodec
    void binaryAppendAddsAStreamAndAllIsRead(Compression compression) throws Exception {
        Path file = dir.resolve("data." + compression);
        byte[] first = Arrays.copyOf(DATA, 250_000);
        byte[] second = Arrays.copyOfRange(DATA, 250_000, DATA.length);
        try (AsyncFile f = AsyncFile.open(file, "wb", compression)) {
            f.write(first);
        }
        byte[] one = Files.readAllBytes(file);
        try (AsyncFile f = AsyncFile.open(file, "ab", compression)) {
            assertEquals(0, f.tell(), "the position is in the new stream");
            f.write(second);
        }
        byte[] two = Files.readAllBytes(file);
        // the first stream is left as it was; a whole second stream follows it
        assertArrayEquals(one, Arrays.copyOf(two, one.length));
        byte[] appended = Arrays.copyOfRange(two, one.length, two.length);
        assertArrayEquals(second, ReferenceStreams.decompress(compression, appended));

        try (AsyncFile f = AsyncFile.open(file, "rb", compression)) {
            assertArrayEquals(DATA, f.readAll());
        }
        assertArrayEquals(DATA, ReferenceStreams.decompress(compression, two));
    }

    @EveryCodec
    void textAppendThreeTimesReadsEveryLine(Compression compression) throws Exception {
        Path file = dir.resolve("log." + compression);
        for (int i = 0; i < 3; i++) {
            try (AsyncFile f = AsyncFile.open(file, "a", compression)) { // 'a' creates the file the first time
                f.write("line " + i + "\n");
            }
        }
        try (AsyncFile f = AsyncFile.open(file, "r", compression)) {
            assertEquals(List.of("line 0", "line 1", "line 2"), f.lines().toList());
        }
    }

    @EveryCodec
    void appendToAFileTheReferenceLibraryWrote(Compression compression) throws Exception {
        Path file = dir.resolve("ref." + compression);
        Files.write(file, ReferenceStreams.compress(compression, "from the library\n".getBytes()));
        try (AsyncFile f = AsyncFile.open(file, "a", compression)) {
            f.write("from aiomisc\n");
        }
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes("from the library\nfrom aiomisc\n".getBytes());
        try (AsyncFile f = AsyncFile.open(file, "r", compression)) {
            assertEquals("from the library\nfrom aiomisc\n", f.readText());
        }
        assertArrayEquals(expected.toByteArray(), ReferenceStreams.decompress(compression, Files.readAllBytes(file)));
    }
}
