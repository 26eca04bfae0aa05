package io.aiomisc.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AsyncFileSmokeTest {
    @TempDir
    Path dir;

    @Test
    void textAndBinaryAndGzipRoundTrip() throws Exception {
        Path text = dir.resolve("a.txt");
        try (AsyncFile f = AsyncFile.open(text, "w+")) {
            f.write("Hello\nWorld\r\nlast");
            assertEquals(17, f.tell());
            f.seek(0);
            assertEquals("Hello", f.readLine());
            assertEquals(6, f.tell());
            assertEquals(List.of("World", "last"), f.lines().toList());
            assertNull(f.readLine());
            assertThrows(IllegalStateException.class, () -> f.read(1));
        }
        Path gz = dir.resolve("b.gz");
        try (AsyncFile f = AsyncFile.open(gz, "wb", Compression.GZIP)) {
            f.write("x".repeat(10_000).getBytes(StandardCharsets.UTF_8));
        }
        try (AsyncFile f = AsyncFile.open(gz, "ab", Compression.GZIP)) {
            f.write("yz".getBytes(StandardCharsets.UTF_8));
        }
        ByteArrayOutputStream viaJdk = new ByteArrayOutputStream();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
            in.transferTo(viaJdk);
        }
        try (AsyncFile f = AsyncFile.open(gz, "rb", Compression.GZIP)) {
            byte[] all = f.readAll();
            assertArrayEquals(viaJdk.toByteArray(), all);
            assertEquals(10_002, all.length);
            assertEquals(10_002, f.seek(20_000));
            assertEquals(3, f.seek(3));
            assertArrayEquals("xx".getBytes(StandardCharsets.UTF_8), f.read(2));
        }
        assertThrows(IllegalArgumentException.class, () -> AsyncFile.open(gz, "rw"));
        assertThrows(IllegalStateException.class, () -> AsyncFile.open(gz, "r", Compression.BZ2));
    }
}
