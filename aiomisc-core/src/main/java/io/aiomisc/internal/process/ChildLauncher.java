package io.aiomisc.internal.process;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
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
 * caller's options choose a collector, and an application class-data-sharing archive, created by
 * the first children that exit and reused by every later one (JDK 19+
 * {@code -XX:+AutoCreateSharedArchive}, in a private per-user directory under
 * {@code java.io.tmpdir}, keyed by the JDK and class path); options mentioning {@code -Xshare} or
 * {@code SharedArchiveFile} turn this off, and so does a non-empty directory on the class or
 * module path (the JDK refuses to archive one, see {@link #archivable}).
 */
public final class ChildLauncher {
    /** The child's main class (package-private in the worker package, which may use the logging SPI). */
    public static final String MAIN = "io.aiomisc.worker.ChildMain";

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
        if (!ownSharing
                && archivable(System.getProperty("java.class.path", ""))
                && archivable(System.getProperty("jdk.module.path", ""))) {
            Path archive = archive();
            if (archive != null) {
                command.add("-XX:SharedArchiveFile=" + archive);
                command.add("-XX:+AutoCreateSharedArchive");
                command.add("-Xlog:cds=off,cds+dynamic=off");
            }
        }
        command.addAll(options);
        String modulePath = System.getProperty("jdk.module.path");
        String classPath = System.getProperty("java.class.path", "");
        if (!classPath.isEmpty()) {
            command.add("-cp");
            command.add(classPath);
        }
        Module module = ChildLauncher.class.getModule();
        if (modulePath != null && !modulePath.isEmpty()) {
            command.add("--module-path");
            command.add(modulePath);
            command.add("--add-modules");
            command.add("ALL-MODULE-PATH");
        }
        if (module.isNamed()) {
            command.add("-m");
            command.add(module.getName() + "/" + MAIN);
        } else {
            command.add(MAIN);
        }
        return command;
    }

    /**
     * Starts a child: {@code command}, stdout and stderr inherited, {@code bootstrap} written to its
     * stdin, which stays open (the child exits when it closes: that is how it notices that this
     * JVM is gone).
     */
    public static Process start(List<String> command, Bootstrap bootstrap) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        Process process = builder.start();
        try {
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(process.getOutputStream()));
            bootstrap.write(out);
            out.flush();
            return process;
        } catch (IOException | RuntimeException e) {
            process.destroyForcibly();
            throw new IOException("child JVM " + process.pid() + " exited before it read its bootstrap", e);
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
     * Whether the JDK can archive the classes of {@code path} (a class or module path): it refuses
     * a non-empty directory in it ("Cannot have non-empty directory in paths"), and a child asked
     * to make an archive then fails at its exit with status 1, after printing that to stdout, every
     * time — as under a build tool or an IDE, with {@code target/classes} on the class path.
     */
    static boolean archivable(String path) {
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

    /** The archive for this JDK and class path, or null when no private directory can be made. */
    private static Path archive() {
        try {
            String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9_.-]", "_");
            Path directory = Path.of(System.getProperty("java.io.tmpdir"), "aiomisc-cds-" + user);
            if (!Files.isDirectory(directory)) {
                try {
                    Files.createDirectory(
                            directory,
                            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                } catch (java.nio.file.FileAlreadyExistsException e) {
                    // made by a concurrent start
                }
            }
            if (!Files.isWritable(directory)
                    || !Files.getOwner(directory).getName().equals(System.getProperty("user.name"))) {
                return null; // someone else's directory: never load an archive another user can write
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
}
