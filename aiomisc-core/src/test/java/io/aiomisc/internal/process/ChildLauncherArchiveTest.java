package io.aiomisc.internal.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The application class-data-sharing archive of child JVMs, with a directory on the class path
 * (as under Maven, Gradle and IDEs): the JDK refuses to archive a non-empty directory, and a child
 * asked to make an archive anyway exits with status 1 and prints "Error occurred during CDS
 * dumping" at every exit.
 */
class ChildLauncherArchiveTest {
    /** A child that ends normally. */
    static final class EndsNormally {
        private EndsNormally() {}

        public static void main(String[] args) {
            System.out.println("done");
        }
    }

    @Test
    void aNonEmptyDirectoryOnThePathCannotBeArchived(@TempDir Path dir) throws Exception {
        Path empty = Files.createDirectory(dir.resolve("empty"));
        Path classes = Files.createDirectory(dir.resolve("classes"));
        Files.writeString(classes.resolve("A.class"), "not really");
        Path jar = Files.writeString(dir.resolve("lib.jar"), "not really");
        assertTrue(ChildLauncher.archivable(""));
        assertTrue(ChildLauncher.archivable(jar + File.pathSeparator + empty));
        assertTrue(ChildLauncher.archivable(dir.resolve("missing.jar").toString()));
        assertFalse(ChildLauncher.archivable(jar + File.pathSeparator + classes));
    }

    @Test
    void aChildOfAJvmWithClassesInADirectoryExitsWithItsOwnStatus() throws Exception {
        String classPath = System.getProperty("java.class.path");
        assertFalse(
                ChildLauncher.archivable(classPath), () -> "expected target/classes on the class path: " + classPath);
        List<String> command = new ArrayList<>(ChildLauncher.command(List.of()));
        command.set(command.size() - 1, EndsNormally.class.getName());
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        child.getOutputStream().close();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), output);
        assertEquals(0, child.exitValue(), output);
        assertEquals("done", output.strip());
        assertFalse(command.contains("-XX:+AutoCreateSharedArchive"), command::toString);
    }
}
