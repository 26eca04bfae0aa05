package io.aiomisc.internal.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The training run that makes the workers' class-data archive: it must exit 0 with an archive that
 * a JVM then maps ({@code -Xshare:on} fails the JVM if it cannot). The JVM archives classes from
 * JARs only, so the test packs core's classes into one.
 */
class ChildLauncherTrainingTest {
    @Test
    @Timeout(120)
    void theTrainingRunWritesAnArchiveThatAWorkerJvmMaps(@TempDir Path dir) throws Exception {
        Path jar = dir.resolve("core.jar");
        pack(
                Path.of(ChildLauncher.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .toURI()),
                jar);
        List<String> classPath = new ArrayList<>(List.of(jar.toString()));
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (entry.contains("slf4j-api") && entry.endsWith(".jar")) {
                classPath.add(entry);
            }
        }
        String path = String.join(File.pathSeparator, classPath);
        Path archive = dir.resolve("worker.jsa");

        int trained = run(List.of(
                "-XX:+UseSerialGC",
                "-XX:ArchiveClassesAtExit=" + archive,
                "-cp",
                path,
                ChildLauncher.MAIN,
                ChildLauncher.TRAIN));
        assertEquals(0, trained, "the training run's exit status");
        assertTrue(Files.size(archive) > 0, "an archive was written");

        int mapped = run(List.of(
                "-XX:+UseSerialGC",
                "-XX:SharedArchiveFile=" + archive,
                "-Xshare:on",
                "-cp",
                path,
                ChildLauncher.MAIN,
                ChildLauncher.TRAIN));
        assertEquals(0, mapped, "a JVM maps the archive (-Xshare:on fails the JVM otherwise)");
    }

    private static int run(List<String> arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(arguments);
        Process process = new ProcessBuilder(command).inheritIO().start();
        process.getOutputStream().close();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("no exit within 90 s: " + command);
        }
        return process.exitValue();
    }

    private static void pack(Path classes, Path jar) throws IOException {
        try (OutputStream file = Files.newOutputStream(jar);
                JarOutputStream out = new JarOutputStream(file);
                Stream<Path> files = Files.walk(classes)) {
            for (Path each : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                out.putNextEntry(
                        new JarEntry(classes.relativize(each).toString().replace(File.separatorChar, '/')));
                Files.copy(each, out);
                out.closeEntry();
            }
        }
    }
}
