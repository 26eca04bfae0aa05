package io.aiomisc.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.aiomisc.io.AsyncFile;
import io.aiomisc.io.Compression;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CodecSmokeTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(
            value = Compression.class,
            names = {"BZ2", "LZMA", "ZSTD"})
    void writesAppendsAndReadsBack(Compression compression) throws Exception {
        Path file = dir.resolve("data." + compression);
        try (AsyncFile f = AsyncFile.open(file, "w", compression)) {
            f.write("first\n");
        }
        try (AsyncFile f = AsyncFile.open(file, "a", compression)) {
            f.write("second\n");
        }
        try (AsyncFile f = AsyncFile.open(file, "r", compression)) {
            assertEquals(List.of("first", "second"), f.lines().toList());
        }
    }
}
