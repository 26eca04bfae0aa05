package io.aiomisc.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * A child JVM running a main class from the test class path, with its stdout and stderr collected
 * line by line, for tests of what only a real process shows (signals, exit status). Closing it
 * kills the process if it is still alive.
 */
public final class JavaProcess implements AutoCloseable {
    private final Process process;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final List<String> stdout = new ArrayList<>(); // guarded by lock
    private final List<String> stderr = new ArrayList<>(); // guarded by lock
    private final List<Thread> pumps = new ArrayList<>();

    private JavaProcess(Process process) {
        this.process = process;
        pumps.add(pump(process.getInputStream(), stdout, "stdout"));
        pumps.add(pump(process.getErrorStream(), stderr, "stderr"));
    }

    /** Starts {@code mainClass} with {@code args} and {@code environment} added to this process's. */
    public static JavaProcess start(Class<?> mainClass, Map<String, String> environment, String... args)
            throws IOException {
        return launch(new ArrayList<>(), mainClass, environment, args);
    }

    /**
     * As {@link #start}, with the JVM exec'ed by bash after {@code shellPrefix} (e.g. {@code "ulimit
     * -n 128"}): for limits that must hold for the whole child process.
     */
    public static JavaProcess startAfterShell(
            String shellPrefix, Class<?> mainClass, Map<String, String> environment, String... args)
            throws IOException {
        List<String> prefix = new ArrayList<>(List.of("bash", "-c", shellPrefix + "; exec \"$0\" \"$@\""));
        return launch(prefix, mainClass, environment, args);
    }

    /** Starts {@code command} followed by this JVM's java, class path, {@code mainClass} and {@code args}. */
    private static JavaProcess launch(
            List<String> command, Class<?> mainClass, Map<String, String> environment, String... args)
            throws IOException {
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        return new JavaProcess(builder.start());
    }

    public long pid() {
        return process.pid();
    }

    /** Sends {@code signal} ({@code TERM}, {@code INT}, ...) with kill(1). */
    public void signal(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
                .inheritIO()
                .start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IOException("kill -" + signal + " " + process.pid() + " failed");
        }
    }

    /** Writes {@code line} and a newline to the process's stdin. */
    public void writeLine(String line) throws IOException {
        process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().flush();
    }

    /** Waits for a stdout line matching {@code condition}; fails with everything seen so far if none comes. */
    public String awaitStdout(Predicate<String> condition, Duration timeout) throws InterruptedException {
        return await(stdout, condition, timeout);
    }

    /** Waits for a stderr line matching {@code condition}. */
    public String awaitStderr(Predicate<String> condition, Duration timeout) throws InterruptedException {
        return await(stderr, condition, timeout);
    }

    /**
     * Waits for the process to exit and returns its status; fails if it does not exit in time. Then
     * {@link #stdout()} and {@link #stderr()} hold everything it wrote (the readers reached the end of
     * its streams, or 10 s passed: a grandchild may hold them open).
     */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("process did not exit within " + timeout + "\n" + transcript());
        }
        for (Thread pump : pumps) {
            pump.join(Duration.ofSeconds(10));
        }
        return process.exitValue();
    }

    public List<String> stdout() {
        lock.lock();
        try {
            return List.copyOf(stdout);
        } finally {
            lock.unlock();
        }
    }

    public List<String> stderr() {
        lock.lock();
        try {
            return List.copyOf(stderr);
        } finally {
            lock.unlock();
        }
    }

    /**
     * The child's threads, virtual ones included, as {@code jcmd <pid> Thread.dump_to_file} writes them
     * (blocks up to 20 s), for the failure message of a child that stopped making progress; a
     * description of the failure if jcmd could not take it.
     */
    public String threadDump() {
        try {
            Path file = Files.createTempFile("threads-" + process.pid() + "-", ".txt");
            try {
                Files.delete(file); // jcmd refuses to overwrite
                Process jcmd = new ProcessBuilder(
                                Path.of(System.getProperty("java.home"), "bin", "jcmd")
                                        .toString(),
                                Long.toString(process.pid()),
                                "Thread.dump_to_file",
                                file.toString())
                        .redirectErrorStream(true)
                        .start();
                byte[] output = jcmd.getInputStream().readAllBytes();
                if (!jcmd.waitFor(20, TimeUnit.SECONDS)) {
                    jcmd.destroyForcibly();
                }
                return Files.exists(file) ? Files.readString(file) : new String(output, StandardCharsets.UTF_8);
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            return "no thread dump: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "no thread dump: interrupted";
        }
    }

    /** Both streams, for failure messages. */
    public String transcript() {
        return "--- stdout ---\n" + String.join("\n", stdout()) + "\n--- stderr ---\n" + String.join("\n", stderr());
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private String await(List<String> lines, Predicate<String> condition, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            int checked = 0;
            while (true) {
                for (; checked < lines.size(); checked++) {
                    if (condition.test(lines.get(checked))) {
                        return lines.get(checked);
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                changed.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
        throw new AssertionError("no matching line within " + timeout + "\n" + transcript());
    }

    private Thread pump(InputStream stream, List<String> lines, String name) {
        return Thread.ofPlatform()
                .daemon()
                .name("child-" + name + "-" + process.pid())
                .start(() -> {
                    try (BufferedReader reader =
                            new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                            lock.lock();
                            try {
                                lines.add(line);
                                changed.signalAll();
                            } finally {
                                lock.unlock();
                            }
                        }
                    } catch (IOException e) {
                        // the process is gone
                    }
                });
    }
}
