package io.aiomisc.io;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** GZIP, built into core: round trips, the JDK's streams both ways, seeking, flush, corrupt data. */
class AsyncFileGzipTest {
    private static final Duration QUICKLY = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    /** Compressible but not trivially so: 300 KB, several read-aheads. */
    private static byte[] content() {
        StringBuilder text = new StringBuilder();
        Random random = new Random(42);
        while (text.length() < 300_000) {
            text.append("line ").append(random.nextInt(1000)).append(" é 🎉\n");
        }
        return text.toString().getBytes(UTF_8);
    }

    private static byte[] gunzip(Path file) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            return in.readAllBytes();
        }
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(data);
        }
        return bytes.toByteArray();
    }

    @Test
    void binaryRoundTripIsCompressed() throws Exception {
        byte[] data = content();
        Path file = dir.resolve("data.gz");
        try (AsyncFile f = AsyncFile.open(file, "wb", Compression.GZIP)) {
            assertEquals(Compression.GZIP, f.compression());
            f.write(data);
            assertEquals(data.length, f.tell());
        }
        assertTrue(Files.size(file) < data.length / 2, "compressed size " + Files.size(file));
        try (AsyncFile f = AsyncFile.open(file, "rb", Compression.GZIP)) {
            assertArrayEquals(Arrays.copyOfRange(data, 0, 10), f.read(10));
            assertArrayEquals(Arrays.copyOfRange(data, 10, data.length), f.readAll());
            assertArrayEquals(new byte[0], f.read(1));
        }
    }

    @Test
    void textRoundTripByLines() throws Exception {
        Path file = dir.resolve("text.gz");
        try (AsyncFile f = AsyncFile.open(file, "w", Compression.GZIP)) {
            f.write("one\r\ntwo 🎉\n\nlast");
        }
        try (AsyncFile f = AsyncFile.open(file, "rt", Compression.GZIP)) {
            assertEquals(List.of("one", "two 🎉", "", "last"), f.lines().toList());
        }
    }

    @Test
    void writtenByAsyncFileReadByTheJdk() throws Exception {
        byte[] data = content();
        Path file = dir.resolve("ours.gz");
        try (AsyncFile f = AsyncFile.open(file, "wb", Compression.GZIP)) {
            f.write(Arrays.copyOfRange(data, 0, 1000));
            f.write(Arrays.copyOfRange(data, 1000, data.length));
        }
        assertArrayEquals(data, gunzip(file));
    }

    @Test
    void writtenByTheJdkReadByAsyncFile() throws Exception {
        byte[] data = content();
        Path file = dir.resolve("jdk.gz");
        Files.write(file, gzip(data));
        try (AsyncFile f = AsyncFile.open(file, "rb", Compression.GZIP)) {
            assertArrayEquals(data, f.readAll());
        }
    }

    @Test
    void appendAddsAMemberAndReadingReturnsBoth() throws Exception {
        Path file = dir.resolve("log.gz");
        try (AsyncFile f = AsyncFile.open(file, "a", Compression.GZIP)) { // created
            f.write("first\n");
        }
        long oneMember = Files.size(file);
        try (AsyncFile f = AsyncFile.open(file, "a", Compression.GZIP)) {
            assertEquals(0, f.tell()); // positions are in the new member's content
            f.write("second\n");
        }
        assertTrue(Files.size(file) > oneMember);
        try (AsyncFile f = AsyncFile.open(file, "r", Compression.GZIP)) {
            assertEquals("first\nsecond\n", f.readText());
        }
        assertArrayEquals("first\nsecond\n".getBytes(UTF_8), gunzip(file));
    }

    @Test
    void exclusiveAndMissingFilesAsPlainOnes() throws Exception {
        Path file = dir.resolve("x.gz");
        try (AsyncFile f = AsyncFile.open(file, "xb", Compression.GZIP)) {
            f.write(new byte[] {1});
        }
        assertThrows(FileAlreadyExistsException.class, () -> AsyncFile.open(file, "x", Compression.GZIP));
        assertArrayEquals(new byte[] {1}, gunzip(file));
        Path missing = dir.resolve("missing.gz");
        assertThrows(NoSuchFileException.class, () -> AsyncFile.open(missing, "r", Compression.GZIP));
        assertFalse(Files.exists(missing));
    }

    @Test
    void writeTruncatesAnExistingGzipFile() throws Exception {
        Path file = dir.resolve("w.gz");
        Files.write(file, gzip("old".getBytes(UTF_8)));
        try (AsyncFile f = AsyncFile.open(file, "w", Compression.GZIP)) {
            f.write("new");
        }
        assertArrayEquals("new".getBytes(UTF_8), gunzip(file));
    }

    @Test
    void seekForwardAndBackwardWhileReading() throws Exception {
        byte[] data = content();
        Path file = dir.resolve("seek.gz");
        Files.write(file, gzip(data));
        try (AsyncFile f = AsyncFile.open(file, "rb", Compression.GZIP)) {
            assertEquals(200_000, f.seek(200_000)); // forward, past the read-ahead: skipped
            assertEquals(200_000, f.tell());
            assertArrayEquals(Arrays.copyOfRange(data, 200_000, 200_010), f.read(10));
            assertEquals(100, f.seek(100)); // backward: decompressed again from the start
            assertArrayEquals(Arrays.copyOfRange(data, 100, 110), f.read(10));
            assertEquals(120, f.seek(120)); // forward within the read-ahead
            assertArrayEquals(Arrays.copyOfRange(data, 120, 130), f.read(10));
            assertEquals(data.length, f.seek(data.length + 1000L)); // past the end: at the end
            assertArrayEquals(new byte[0], f.read(1));
        }
    }

    @Test
    void seekForwardWhileWritingWritesZerosAndBackwardFails() throws Exception {
        Path file = dir.resolve("gap.gz");
        try (AsyncFile f = AsyncFile.open(file, "wb", Compression.GZIP)) {
            f.write(new byte[] {1, 2});
            assertEquals(100_000, f.seek(100_000));
            f.write(new byte[] {3});
            IOException e = assertThrows(IOException.class, () -> f.seek(5));
            assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
            assertEquals(100_001, f.tell());
        }
        byte[] expected = new byte[100_001];
        expected[0] = 1;
        expected[1] = 2;
        expected[100_000] = 3;
        assertArrayEquals(expected, gunzip(file));
    }

    @Test
    void truncateIsNotSupported() throws Exception {
        Path file = dir.resolve("t.gz");
        try (AsyncFile f = AsyncFile.open(file, "wb", Compression.GZIP)) {
            f.write(new byte[] {1});
            assertThrows(IllegalStateException.class, () -> f.truncate(0));
        }
        try (AsyncFile f = AsyncFile.open(file, "rb", Compression.GZIP)) {
            assertThrows(IllegalStateException.class, () -> f.truncate(0));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"r+", "w+", "a+", "x+", "rb+", "w+b"})
    void plusWithCompressionIsRejectedNamingTheMode(String mode) throws Exception {
        Path file = dir.resolve("plus.gz");
        Files.write(file, gzip(new byte[] {1}));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> AsyncFile.open(file, mode, Compression.GZIP));
        assertTrue(e.getMessage().contains("'" + mode + "'"), e.getMessage());
        assertArrayEquals(new byte[] {1}, gunzip(file)); // 'w+' did not truncate it
    }

    @Test
    void flushMakesEverythingWrittenSoFarDecodableWhileStillOpen() throws Exception {
        byte[] data = content();
        Path file = dir.resolve("live.gz");
        try (AsyncFile f = AsyncFile.open(file, "wb", Compression.GZIP)) {
            f.write(data);
            f.flush();
            Path copy = dir.resolve("copy.gz");
            Files.copy(file, copy);
            try (InputStream in = new GZIPInputStream(Files.newInputStream(copy))) {
                // no trailer yet: read exactly what was written, not to the end
                assertArrayEquals(data, in.readNBytes(data.length));
            }
        }
    }

    @Test
    void randomBytesAreAnIoExceptionNamingTheFile() throws Exception {
        byte[] garbage = new byte[5000];
        new Random(1).nextBytes(garbage);
        garbage[0] = 0x42; // certainly not gzip's magic
        Path file = dir.resolve("random.gz");
        Files.write(file, garbage);
        assertCorrupt(file);
    }

    @Test
    void aValidHeaderThenGarbageIsAnIoExceptionNamingTheFile() throws Exception {
        byte[] valid = gzip(content());
        byte[] broken = Arrays.copyOf(valid, 4000);
        byte[] garbage = new byte[broken.length - 10];
        new Random(2).nextBytes(garbage);
        System.arraycopy(garbage, 0, broken, 10, garbage.length); // the 10-byte header stays
        Path file = dir.resolve("garbage.gz");
        Files.write(file, broken);
        assertCorrupt(file);
    }

    @Test
    void aTruncatedFileIsAnIoExceptionNamingTheFile() throws Exception {
        byte[] valid = gzip(content());
        Path half = dir.resolve("half.gz");
        Files.write(half, Arrays.copyOf(valid, valid.length / 2));
        assertCorrupt(half);
        Path noTrailer = dir.resolve("notrailer.gz");
        Files.write(noTrailer, Arrays.copyOf(valid, valid.length - 4));
        assertCorrupt(noTrailer);
        Path header = dir.resolve("header.gz");
        Files.write(header, Arrays.copyOf(valid, 5));
        assertCorrupt(header);
    }

    /** Opening or reading {@code file} fails soon with an IOException whose message names it. */
    private static void assertCorrupt(Path file) {
        IOException e = assertTimeoutPreemptively(
                QUICKLY,
                () -> assertThrows(IOException.class, () -> {
                    try (AsyncFile f = AsyncFile.open(file, "rb", Compression.GZIP)) {
                        f.readAll();
                    }
                }));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("GZIP"), e.getMessage());
    }

    @Test
    void anEmptyFileIsEmptyContentAsPythonReadsIt() throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.gz"));
        try (AsyncFile f = AsyncFile.open(empty, "rb", Compression.GZIP)) {
            assertEquals(0, f.readAll().length);
            assertEquals(0, f.tell());
        }
        try (AsyncFile f = AsyncFile.open(empty, "r", Compression.GZIP)) {
            assertNull(f.readLine());
        }
    }
}
