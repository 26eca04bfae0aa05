package io.aiomisc.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiomisc.Entrypoint;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A standard error that blocks (a pipe nobody reads) or is dead (its reader gone): shutdown stays
 * bounded and lost records are counted. Each case runs {@link StuckOutputChild} in a child JVM
 * whose stderr is a pipe this test never drains (or closes at once); stdout is read line by line.
 */
class StuckOutputTest {
    /** Far beyond every bound under test: a child still alive then has hung. */
    private static final Duration PATIENCE = Duration.ofSeconds(45);

    /** A child JVM with stderr piped and never read; stdout collected by a reader thread. */
    private static final class Child implements AutoCloseable {
        final Process process;
        final List<String> stdout = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final Thread reader;

        Child(String mode) throws IOException {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add(StuckOutputChild.class.getName());
            command.add(mode);
            ProcessBuilder builder = new ProcessBuilder(command); // stderr: a pipe, deliberately never read
            builder.environment().put("AIOMISC_LOG_FORMAT", "plain");
            builder.environment().put("AIOMISC_LOG_LEVEL", "info");
            process = builder.start();
            reader = Thread.ofPlatform().daemon().start(() -> {
                try (BufferedReader lines =
                        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = lines.readLine()) != null; ) {
                        stdout.add(line);
                    }
                } catch (IOException e) {
                    stdout.add("(stdout failed: " + e + ")");
                }
            });
        }

        void awaitLine(String line) throws InterruptedException {
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (!stdout.contains(line)) {
                assertTrue(process.isAlive() || stdout.contains(line), () -> "exited early: " + stdout);
                assertTrue(System.nanoTime() < deadline, () -> "no '" + line + "' on stdout: " + stdout);
                reader.join(10); // polls the collected lines; the reader thread fills them
            }
        }

        int awaitExit(Duration patience) throws InterruptedException {
            assertTrue(
                    process.waitFor(patience.toMillis(), TimeUnit.MILLISECONDS),
                    () -> "the child did not exit within " + patience + "; stdout: " + stdout);
            reader.join(PATIENCE.toMillis());
            return process.exitValue();
        }

        @Override
        public void close() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            reader.join(10_000);
        }
    }

    @Test
    void closeReturnsWithinTheBoundWhileStderrIsBlocked() throws Exception {
        try (Child child = new Child("close")) {
            assertEquals(0, child.awaitExit(PATIENCE), () -> "stdout: " + child.stdout);
            String closed = child.stdout.stream()
                    .filter(line -> line.startsWith("closed in "))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("close() did not return: " + child.stdout));
            long millis = Long.parseLong(closed.replaceAll("\\D", ""));
            assertTrue(millis < 10_000 + 2_000, "unbuffer waits at most 10 s: " + closed);
            assertTrue(
                    child.stdout.stream().anyMatch(line -> line.contains("could not write to standard error")),
                    () -> "the loss is said once on stdout: " + child.stdout);
        }
    }

    @Test
    void sigtermWithAStuckStderrHaltsWithStatus70SoonAfterTheShutdownTimeout() throws Exception {
        try (Child child = new Child("term")) {
            child.awaitLine("stuck");
            long signalled = System.nanoTime();
            new ProcessBuilder("kill", "-TERM", Long.toString(child.process.pid()))
                    .inheritIO()
                    .start()
                    .waitFor();
            // shutdownTimeout 1 s + the watchdog's 1 s for its report + 2 s for a loaded machine
            int status = child.awaitExit(PATIENCE);
            Duration took = Duration.ofNanos(System.nanoTime() - signalled);
            assertEquals(Entrypoint.SHUTDOWN_TIMEOUT_EXIT_STATUS, status, () -> "stdout: " + child.stdout);
            assertTrue(took.compareTo(Duration.ofSeconds(4)) < 0, "halted " + took + " after SIGTERM");
        }
    }

    @Test
    void aDeadStderrIsCountedAsErrorsAndSaidOnStdout() throws Exception {
        try (Child child = new Child("dead")) {
            child.awaitLine("ready");
            child.process.getErrorStream().close(); // the pipe's reader is gone: writes fail (EPIPE)
            child.process.getOutputStream().write("go\n".getBytes(StandardCharsets.UTF_8));
            child.process.getOutputStream().flush();
            assertEquals(0, child.awaitExit(PATIENCE), () -> "stdout: " + child.stdout);
            Pattern counters = Pattern.compile("records=(\\d+) errors=(\\d+) dropped=(\\d+)");
            Matcher matcher = child.stdout.stream()
                    .map(counters::matcher)
                    .filter(Matcher::matches)
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no statistic: " + child.stdout));
            long records = Long.parseLong(matcher.group(1));
            long errors = Long.parseLong(matcher.group(2));
            long dropped = Long.parseLong(matcher.group(3));
            assertEquals(100_000, records + dropped, child.stdout::toString);
            assertTrue(errors >= records, "every record written to the dead stderr is an error: " + child.stdout);
            assertEquals(
                    1,
                    child.stdout.stream()
                            .filter(line -> line.contains("cannot write to standard error"))
                            .count(),
                    () -> "said once on stdout: " + child.stdout);
        }
    }
}
