package io.aiomisc.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiomisc.testing.JavaProcess;
import java.io.File;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilesExampleTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Pattern ROW = Pattern.compile(
            "  (\\w+)\\s+(example\\.txt\\S*)\\s+(\\d+) bytes\\s+[0-9.]+ %  read back: (\\d+) lines, identical");

    @Test
    void writesAndReadsBackEveryCompressionAndPrintsTheSizes(@TempDir Path dir) throws Exception {
        try (JavaProcess app = JavaProcess.start(FilesExample.class, Map.of(), dir.toString(), "2000")) {
            assertEquals(0, app.awaitExit(WAIT), app::transcript);
            List<String> out = app.stdout();
            assertTrue(out.getFirst().startsWith("Writing 2000 lines ("), app::transcript);
            Map<String, String> files = Map.of(
                    "NONE", "example.txt",
                    "GZIP", "example.txt.gz",
                    "BZ2", "example.txt.bz2",
                    "LZMA", "example.txt.xz",
                    "ZSTD", "example.txt.zst");
            long plain = Files.size(dir.resolve("example.txt"));
            int rows = 0;
            for (String line : out) {
                Matcher row = ROW.matcher(line);
                if (!row.matches()) {
                    continue;
                }
                rows++;
                String compression = row.group(1);
                assertEquals(files.get(compression), row.group(2), line);
                long size = Files.size(dir.resolve(row.group(2)));
                assertEquals(size, Long.parseLong(row.group(3)), line); // the printed size is the file's
                assertEquals(2000, Integer.parseInt(row.group(4)), line);
                if (!compression.equals("NONE")) {
                    assertTrue(size < plain / 3, () -> line + " is not much smaller than " + plain); // log-like text
                }
            }
            assertEquals(5, rows, app::transcript); // aiomisc-compress is on the examples' class path: no skip
            assertTrue(
                    out.stream()
                            .anyMatch(l -> l.matches("Seek in example\\.txt\\.gz: seek\\((\\d+)\\) = \\1, "
                                    + "readLine\\(\\) = \"001000 request .*\", tell\\(\\) = \\d+")),
                    app::transcript);
            assertTrue(app.stderr().stream().anyMatch(l -> l.contains("Files example finished")), app::transcript);

            // the gzip file is plain gzip: the JDK's own stream reads the same text as the uncompressed file
            try (InputStream gzip = new GZIPInputStream(Files.newInputStream(dir.resolve("example.txt.gz")))) {
                assertEquals(
                        Files.readString(dir.resolve("example.txt")),
                        new String(gzip.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void skipsTheCodecsOfAiomiscCompressWithoutItNamingTheModule(@TempDir Path dir) throws Exception {
        // this JVM's class path without aiomisc-compress and the libraries only it uses
        String classPath = Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.contains("aiomisc-compress")
                        && !entry.contains("commons-compress")
                        && !entry.contains("zstd-jni")
                        && !Path.of(entry).getFileName().toString().startsWith("xz-"))
                .collect(Collectors.joining(File.pathSeparator));
        Process process = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        classPath,
                        FilesExample.class.getName(),
                        dir.toString(),
                        "100")
                .redirectErrorStream(true)
                .start();
        process.getOutputStream().close();
        // ends by itself (the test's timeout bounds a hang); the output is a few lines
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), output);
        assertEquals(0, process.exitValue(), output);
        assertTrue(output.contains("  GZIP  example.txt.gz "), output); // built in
        for (String codec : List.of("BZ2", "LZMA", "ZSTD")) {
            assertTrue(
                    output.contains("  " + codec + (codec.length() == 3 ? "   " : "  ") + "skipped: Compression."
                            + codec + " needs the module io.aiomisc:aiomisc-compress"),
                    output);
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(
                    List.of("example.txt", "example.txt.gz"),
                    files.map(file -> file.getFileName().toString()).sorted().toList());
        }
    }
}
