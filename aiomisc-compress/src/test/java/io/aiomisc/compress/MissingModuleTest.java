package io.aiomisc.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.luben.zstd.Zstd;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tukaani.xz.XZ;

/**
 * Without aiomisc-compress on the class path, each of BZ2, LZMA and ZSTD fails with an exception
 * naming {@code io.aiomisc:aiomisc-compress}; with it, the same program works. In child JVMs,
 * because this JVM's class path cannot be taken away.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS) // two child JVMs under load: above the 60 s default
class MissingModuleTest {
    private static final String MODULE = "io.aiomisc:aiomisc-compress";

    @TempDir
    Path dir;

    @Test
    void withoutTheModuleEachCodecNamesIt() throws Exception {
        // aiomisc-compress's own classes and the three codec libraries, wherever the build put them
        Set<Path> removed = Set.of(
                location(Bz2Provider.class),
                location(BZip2CompressorInputStream.class),
                location(XZ.class),
                location(Zstd.class));
        assertEquals(4, removed.size(), "four distinct class path entries: " + removed);
        List<String> entries = classPath();
        List<String> kept = entries.stream()
                .filter(entry ->
                        !removed.contains(Path.of(entry).toAbsolutePath().normalize()))
                .toList();
        assertEquals(entries.size() - 4, kept.size(), "each is on the class path once: " + entries);

        List<String> out = runChild(String.join(File.pathSeparator, kept));
        assertEquals("DONE", out.getLast(), String.join("\n", out));
        for (String codec : List.of("BZ2", "LZMA", "ZSTD")) {
            String line = out.stream()
                    .filter(l -> l.contains(" " + codec + " ") || l.endsWith(" " + codec))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no line for " + codec + ": " + out));
            assertTrue(line.startsWith("FAIL " + codec + " java.lang.IllegalStateException: "), line);
            assertTrue(line.contains(MODULE), line);
        }
        assertTrue(Files.notExists(dir.resolve("child.BZ2")), "nothing is created when the codec is missing");
    }

    @Test
    void withTheModuleTheSameProgramWorks() throws Exception {
        List<String> out = runChild(System.getProperty("java.class.path"));
        assertEquals(List.of("OK BZ2", "OK LZMA", "OK ZSTD", "DONE"), out);
    }

    private List<String> runChild(String classPath) throws Exception {
        Path output = dir.resolve("child-output-" + System.nanoTime() + ".txt");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                // a short-lived program: start fast on a loaded machine
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-cp",
                classPath,
                OpenWithEveryCodecMain.class.getName(),
                dir.toString()));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        try {
            // a JVM start on a loaded machine: generous, but within the test timeout
            if (!process.waitFor(100, TimeUnit.SECONDS)) {
                throw new AssertionError("child JVM did not exit in 100 s: " + Files.readString(output));
            }
        } finally {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), String.join("\n", lines));
        // only the program's lines; a JVM warning would come first and is not ours to judge
        return lines.stream()
                .filter(l -> l.startsWith("OK ") || l.startsWith("FAIL ") || l.startsWith("WRONG ") || l.equals("DONE"))
                .collect(Collectors.toList());
    }

    private static List<String> classPath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.isEmpty())
                .toList();
    }

    private static Path location(Class<?> type) throws Exception {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toAbsolutePath()
                .normalize();
    }
}
