package io.aiomisc.log;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs a main class of these tests in a child JVM the way an application runs: without this
 * module's {@code logback-test.xml} on the class path, so that Logback's start-up goes through
 * {@link StartupConfigurator} as it does in production. The main class (and its nested classes)
 * is copied to {@code workDir}, which comes first on the class path; every other entry of this
 * JVM's class path that holds a {@code logback-test.xml} is left out. Both streams go to files in
 * {@code workDir}, read when the process has exited.
 */
record ApplicationJvm(int status, List<String> stdout, List<String> stderr) {
    /** The longest a child may run; it is killed after that and the test fails. */
    static final Duration PATIENCE = Duration.ofSeconds(30);

    /**
     * Runs {@code mainClass} with {@code args}, the JVM options {@code jvmOptions} and
     * {@code environment} added to this process's; blocks until it exits (at most
     * {@link #PATIENCE}).
     */
    static ApplicationJvm run(
            Path workDir, Class<?> mainClass, List<String> jvmOptions, Map<String, String> environment, String... args)
            throws IOException, InterruptedException {
        Path classes = Files.createDirectories(workDir.resolve("classes"));
        copyClassFiles(mainClass, classes);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classPathWithout("logback-test.xml", classes));
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        Path out = workDir.resolve("stdout.txt");
        Path err = workDir.resolve("stderr.txt");
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError(mainClass.getSimpleName() + " did not exit within " + PATIENCE + "\n"
                    + Files.readString(out) + Files.readString(err));
        }
        return new ApplicationJvm(process.exitValue(), lines(out), lines(err));
    }

    /** Both streams, for failure messages. */
    String transcript() {
        return "status " + status + "\n--- stdout ---\n" + String.join("\n", stdout) + "\n--- stderr ---\n"
                + String.join("\n", stderr);
    }

    private static List<String> lines(Path file) throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8);
    }

    private static String classPathWithout(String resource, Path first) {
        List<String> entries = new ArrayList<>();
        entries.add(first.toString());
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!Files.isRegularFile(Path.of(entry).resolve(resource))) {
                entries.add(entry);
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    private static void copyClassFiles(Class<?> mainClass, Path classes) throws IOException {
        String name = mainClass.getName().replace('.', '/');
        Path packageDir = Files.createDirectories(classes.resolve(name).getParent());
        Path source;
        try {
            source = Path.of(mainClass
                            .getResource(mainClass.getSimpleName() + ".class")
                            .toURI())
                    .getParent();
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
        String simple = mainClass.getSimpleName();
        try (Stream<Path> files = Files.list(source)) {
            for (Path file : files.toList()) {
                String fileName = file.getFileName().toString();
                if (fileName.equals(simple + ".class") || fileName.startsWith(simple + "$")) {
                    Files.copy(file, packageDir.resolve(fileName), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
