package io.aiomisc.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.aiomisc.io.AsyncFile;
import io.aiomisc.io.Compression;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class EmptyFileTest {
    @TempDir
    Path dir;

    @EveryCodec
    void anEmptyFileIsEmptyContentAsPythonReadsIt(Compression compression) throws Exception {
        Path empty = Files.createFile(dir.resolve("empty." + compression));
        try (AsyncFile f = AsyncFile.open(empty, "rb", compression)) {
            assertEquals(0, f.readAll().length);
        }
        try (AsyncFile f = AsyncFile.open(empty, "r", compression)) {
            assertNull(f.readLine());
        }
    }
}
