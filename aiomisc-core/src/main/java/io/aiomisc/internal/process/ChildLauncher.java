package io.aiomisc.internal.process;

import io.aiomisc.internal.Threads;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Starts child JVMs running {@value #MAIN}: this JVM's {@code java} binary, class path and module
 * path, the JVM options worth inheriting, and the caller's options last (so they win).
 *
 * <p>Inherited options: assertions ({@code -ea} and friends), module options ({@code --add-opens},
 * {@code --add-exports}, {@code --add-reads}, {@code --add-modules}, {@code --enable-preview},
 * {@code --enable-native-access}) and system properties ({@code -D}) except the JMX agent's (a
 * second JVM on the same JMX port fails to start). Not inherited: heap and GC settings (a worker
 * sizes its own; pass {@code -Xmx} in the caller's options), agents and debuggers (they would fight
 * over their ports and files).
 *
 * <p>Start-up: children use the serial collector (fastest to start, fewest threads) unless the
 * caller's options choose a collector, and an application class-data-sharing archive of the
 * classes a child loads. The archive is made once per JDK and class path by a training JVM in the
 * background ({@code -XX:ArchiveClassesAtExit}, {@value #MAIN} {@code --train}), in a private
 * per-user directory under {@code java.io.tmpdir}, and moved into place whole; children started
 * before it exists run without it. Children never write an archive themselves: a dump at a
 * child's exit would delay it and, when it fails, replace the child's exit status with 1. No
 * archive is used when the class path or module path holds a directory (the JVM archives classes
 * from JARs only: an IDE's or a test run's exploded classes) or when the caller's options mention
 * {@code -Xshare} or {@code SharedArchiveFile}.
 */
public final class ChildLauncher {
    /** The child's main class (package-private in the worker package, which may use the logging SPI). */
    public static final String MAIN = "io.aiomisc.worker.ChildMain";

    /** The argument that makes {@value #MAIN} a training run for the class-data archive. */
    public static final String TRAIN = "--train";

    private static final Set<Path> TRAINING = ConcurrentHashMap.newKeySet();

    private ChildLauncher() {}

    /** The command line of a child with the caller's {@code options}. */
    public static List<String> command(List<String> options) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(inheritedOptions());
        boolean ownCollector = options.stream().anyMatch(o -> o.startsWith("-XX:+Use") && o.endsWith("GC"));
        if (!ownCollector) {
            command.add("-XX:+UseSerialGC");
        }
        boolean ownSharing = options.stream().anyMatch(o -> o.startsWith("-Xshare") || o.contains("SharedArchiveFile"));
        Path archive = ownSharing ? null : archive();
        if (archive != null) {
            if (Files.isRegularFile(archive)) {
                command.add("-XX:SharedArchiveFile=" + archive);
                command.add("-Xlog:cds=off,cds+dynamic=off");
            } else {
                train(archive, options);
            }
        }
        command.addAll(options);
        command.addAll(launch());
        return command;
    }

    /** The class path, module path and main class of a child. */
    private static List<String> launch() {
        List<String> launch = new ArrayList<>();
        String modulePath = System.getProperty("jdk.module.path");
        String classPath = System.getProperty("java.class.path", "");
        if (!classPath.isEmpty()) {
            launch.add("-cp");
            launch.add(classPath);
        }
        if (modulePath != null && !modulePath.isEmpty()) {
            launch.add("--module-path");
            launch.add(modulePath);
            launch.add("--add-modules");
            launch.add("ALL-MODULE-PATH");
        }
        Module module = ChildLauncher.class.getModule();
        launch.add(module.isNamed() ? "-m" : MAIN);
        if (module.isNamed()) {
            launch.add(module.getName() + "/" + MAIN);
        }
        return launch;
    }

    /**
     * Starts a child running {@code command} with stdout and stderr inherited. The child waits for
     * its bootstrap: send it with {@link #sendBootstrap}.
     */
    public static Process spawn(List<String> command) throws IOException {
        return new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
    }

    /**
     * Writes {@code bootstrap} to the child's stdin, which stays open (the child exits when it
     * closes: that is how it notices that this JVM is gone). Kills the child if it fails.
     *
     * @throws ExitedEarly when the child exited before it read it (e.g. a JVM option it refused)
     * @throws IOException when the bootstrap cannot be written for another reason
     */
    public static void sendBootstrap(Process child, Bootstrap bootstrap) throws IOException {
        try {
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(child.getOutputStream()));
            bootstrap.write(out);
            out.flush();
        } catch (IOException | RuntimeException e) {
            child.destroyForcibly();
            try {
                // a JVM that refuses its options exits before it reads: its status says why
                if (child.waitFor(10, TimeUnit.SECONDS)) {
                    throw new ExitedEarly(child.pid(), child.exitValue(), e);
                }
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
            throw new IOException("child JVM " + child.pid() + " exited before it read its bootstrap", e);
        }
    }

    /** The child exited before it read its whole bootstrap (e.g. a JVM option it refused). */
    public static final class ExitedEarly extends IOException {
        private static final long serialVersionUID = 1L;
        private final long pid;
        private final int status;

        ExitedEarly(long pid, int status, Throwable cause) {
            super("child JVM " + pid + " exited with status " + status + " before it read its bootstrap", cause);
            this.pid = pid;
            this.status = status;
        }

        /** The child's pid. */
        public long pid() {
            return pid;
        }

        /** The child's exit status. */
        public int status() {
            return status;
        }
    }

    private static List<String> inheritedOptions() {
        List<String> inherited = new ArrayList<>();
        for (String argument : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (inherits(argument)) {
                inherited.add(argument);
            }
        }
        return inherited;
    }

    static boolean inherits(String argument) {
        if (argument.startsWith("-D")) {
            return !argument.startsWith("-Dcom.sun.management.")
                    && !argument.startsWith("-Djava.rmi.")
                    && !argument.startsWith("-Djdk.module.");
        }
        return argument.equals("-ea")
                || argument.startsWith("-ea:")
                || argument.startsWith("-enableassertions")
                || argument.equals("-da")
                || argument.startsWith("-da:")
                || argument.startsWith("-disableassertions")
                || argument.equals("-esa")
                || argument.equals("-enablesystemassertions")
                || argument.startsWith("--add-opens=")
                || argument.startsWith("--add-exports=")
                || argument.startsWith("--add-reads=")
                || argument.startsWith("--add-modules=")
                || argument.equals("--enable-preview")
                || argument.startsWith("--enable-native-access=");
    }

    /**
     * Makes {@code archive} in the background, once per JVM: a training child writes it to a
     * temporary file at its exit, which is then moved into place (so no child ever maps a
     * half-written archive, and concurrent trainers cannot corrupt each other's).
     */
    private static void train(Path archive, List<String> options) {
        if (!TRAINING.add(archive)) {
            return;
        }
        Threads.globalFactory("cds-training")
                .newThread(() -> {
                    Path partial = archive.resolveSibling(archive.getFileName() + "."
                            + ProcessHandle.current().pid() + ".partial");
                    try {
                        List<String> command = new ArrayList<>();
                        command.add(Path.of(System.getProperty("java.home"), "bin", "java")
                                .toString());
                        command.addAll(inheritedOptions());
                        command.add("-XX:+UseSerialGC");
                        command.add("-XX:ArchiveClassesAtExit=" + partial);
                        command.add("-Xlog:cds=off,cds+dynamic=off");
                        command.addAll(options);
                        command.addAll(launch());
                        command.add(TRAIN);
                        Process trainer = new ProcessBuilder(command)
                                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                                .redirectError(ProcessBuilder.Redirect.DISCARD)
                                .start();
                        trainer.getOutputStream().close();
                        if (trainer.waitFor(60, TimeUnit.SECONDS)
                                && trainer.exitValue() == 0
                                && Files.isRegularFile(partial)) {
                            Files.move(
                                    partial,
                                    archive,
                                    StandardCopyOption.ATOMIC_MOVE,
                                    StandardCopyOption.REPLACE_EXISTING);
                        } else {
                            trainer.destroyForcibly();
                        }
                    } catch (IOException | InterruptedException | RuntimeException e) {
                        // no archive: children start without one, a little slower
                    } finally {
                        try {
                            Files.deleteIfExists(partial);
                        } catch (IOException e) {
                            // left for the temporary directory's cleaner
                        }
                    }
                })
                .start();
    }

    /**
     * The archive for this JDK and class path, or null when sharing cannot be used: a directory on
     * the class or module path, or no private directory for it.
     */
    private static Path archive() {
        if (!archivable(System.getProperty("java.class.path")) || !archivable(System.getProperty("jdk.module.path"))) {
            return null;
        }
        try {
            String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9_.-]", "_");
            Path directory = Path.of(System.getProperty("java.io.tmpdir"), "aiomisc-cds-" + user);
            if (!Files.isDirectory(directory)) {
                try {
                    Files.createDirectory(
                            directory,
                            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                } catch (FileAlreadyExistsException e) {
                    // made by a concurrent start
                }
            }
            if (!Files.isWritable(directory)
                    || !Files.getOwner(directory).getName().equals(System.getProperty("user.name"))
                    || !Files.getPosixFilePermissions(directory).equals(PosixFilePermissions.fromString("rwx------"))) {
                return null; // not a directory only this user can write: never map an archive from it
            }
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(System.getProperty("java.home").getBytes(StandardCharsets.UTF_8));
            digest.update(System.getProperty("java.vm.version").getBytes(StandardCharsets.UTF_8));
            digest.update(System.getProperty("java.class.path", "").getBytes(StandardCharsets.UTF_8));
            digest.update(String.valueOf(System.getProperty("jdk.module.path")).getBytes(StandardCharsets.UTF_8));
            return directory.resolve("worker-" + HexFormat.of().formatHex(digest.digest(), 0, 12) + ".jsa");
        } catch (IOException | UnsupportedOperationException | NoSuchAlgorithmException e) {
            return null;
        }
    }

    /**
     * Whether the JVM can archive classes from {@code path} (a class or module path): not when it
     * holds a non-empty directory. An empty directory holds no classes and does not hinder it.
     */
    static boolean archivable(String path) {
        if (path == null) {
            return true;
        }
        for (String entry : path.split(File.pathSeparator)) {
            if (entry.isEmpty()) {
                continue;
            }
            Path file = Path.of(entry);
            if (Files.isDirectory(file)) {
                try (Stream<Path> children = Files.list(file)) {
                    if (children.findAny().isPresent()) {
                        return false;
                    }
                } catch (IOException | RuntimeException e) {
                    return false;
                }
            }
        }
        return true;
    }
}
