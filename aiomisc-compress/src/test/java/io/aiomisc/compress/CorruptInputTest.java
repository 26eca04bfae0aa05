package io.aiomisc.compress;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiomisc.io.AsyncFile;
import io.aiomisc.io.Compression;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Data that is not in the codec's format, whole or in part, fails with an {@link IOException}
 * naming the file, within a bound: never a hang, never an error of another kind.
 */
class CorruptInputTest {
    private static final Duration BOUND = Duration.ofSeconds(10);
    private static final byte[] DATA = ReferenceStreams.mixedData(400_000, 23);

    @TempDir
    Path dir;

    static Stream<Arguments> randomBytes() {
        return Stream.of(Compression.BZ2, Compression.LZMA, Compression.ZSTD)
                .flatMap(c -> Stream.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L).map(seed -> Arguments.of(c, seed)));
    }

    @ParameterizedTest
    @MethodSource("randomBytes")
    void randomBytesFailNamingTheFile(Compression compression, long seed) throws Exception {
        byte[] noise = new byte[64 * 1024];
        new Random(seed).nextBytes(noise);
        Path file = dir.resolve("noise-" + seed + "." + compression);
        Files.write(file, noise);
        assertFailsNamingFile(file, compression);
    }

    @EveryCodec
    void rightMagicThenGarbageFailsNamingTheFile(Compression compression) throws Exception {
        byte[] magic =
                switch (compression) {
                    case BZ2 -> new byte[] {'B', 'Z', 'h', '9'};
                    case LZMA -> new byte[] {(byte) 0xFD, '7', 'z', 'X', 'Z', 0};
                    case ZSTD -> new byte[] {0x28, (byte) 0xB5, 0x2F, (byte) 0xFD};
                    default -> throw new AssertionError(compression);
                };
        for (long seed = 1; seed <= 4; seed++) {
            byte[] garbage = new byte[32 * 1024];
            new Random(seed).nextBytes(garbage);
            System.arraycopy(magic, 0, garbage, 0, magic.length);
            Path file = dir.resolve("magic-" + seed + "." + compression);
            Files.write(file, garbage);
            assertFailsNamingFile(file, compression);
        }
    }

    @EveryCodec
    void fileWithItsMiddleOverwrittenFailsNamingTheFile(Compression compression) throws Exception {
        // written by AsyncFile: each codec's own check (CRC, zstd's content checksum) catches it
        Path whole = dir.resolve("whole." + compression);
        try (AsyncFile f = AsyncFile.open(whole, "wb", compression)) {
            f.write(DATA);
        }
        byte[] compressed = Files.readAllBytes(whole);
        byte[] damaged = compressed.clone();
        Random random = new Random(29);
        for (int i = damaged.length / 3; i < damaged.length / 3 + 200; i++) {
            damaged[i] = (byte) random.nextInt();
        }
        Path file = dir.resolve("damaged." + compression);
        Files.write(file, damaged);
        assertFailsNamingFile(file, compression);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void legacyLzmaHeaderThenGarbageFailsNamingTheFile(long seed) throws Exception {
        byte[] garbage = new byte[32 * 1024];
        new Random(seed).nextBytes(garbage);
        // properties 0x5D, an 8 MiB dictionary, unknown size: the header every lzma tool writes
        byte[] header = {0x5D, 0, 0, (byte) 0x80, 0, -1, -1, -1, -1, -1, -1, -1, -1};
        System.arraycopy(header, 0, garbage, 0, header.length);
        Path file = dir.resolve("legacy-" + seed + ".lzma");
        Files.write(file, garbage);
        assertFailsNamingFile(file, Compression.LZMA);
    }

    @EveryCodec
    void fileCutInHalfFailsNamingTheFile(Compression compression) throws Exception {
        Path whole = dir.resolve("whole." + compression);
        try (AsyncFile f = AsyncFile.open(whole, "wb", compression)) {
            f.write(DATA);
        }
        byte[] written = Files.readAllBytes(whole);
        Path file = dir.resolve("half." + compression);
        Files.write(file, Arrays.copyOf(written, written.length / 2));
        assertFailsNamingFile(file, compression);
    }

    @EveryCodec
    void textReadOfACutFileFailsNamingTheFile(Compression compression) throws Exception {
        Path whole = dir.resolve("whole." + compression);
        try (AsyncFile f = AsyncFile.open(whole, "w", compression)) {
            f.write(ReferenceStreams.mixedText(300_000, 31));
        }
        byte[] written = Files.readAllBytes(whole);
        Path file = dir.resolve("half-text." + compression);
        Files.write(file, Arrays.copyOf(written, written.length / 2));
        assertTimeoutPreemptively(BOUND, () -> {
            IOException e = assertThrows(IOException.class, () -> {
                try (AsyncFile f = AsyncFile.open(file, "r", compression)) {
                    while (f.readLine() != null) {
                        // read to the failure
                    }
                }
            });
            assertNamesFile(e, file, compression);
        });
    }

    private static void assertFailsNamingFile(Path file, Compression compression) {
        assertTimeoutPreemptively(BOUND, () -> {
            IOException e = assertThrows(IOException.class, () -> {
                try (AsyncFile f = AsyncFile.open(file, "rb", compression)) {
                    f.readAll();
                }
            });
            assertNamesFile(e, file, compression);
        });
    }

    private static void assertNamesFile(IOException e, Path file, Compression compression) {
        String message = String.valueOf(e.getMessage());
        assertTrue(message.contains(file.toString()), "the message names the file: " + message);
        assertTrue(message.contains(compression.toString()), "the message names the codec: " + message);
    }
}
