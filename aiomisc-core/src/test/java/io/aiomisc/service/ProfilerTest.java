package io.aiomisc.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.aiomisc.Entrypoint;
import io.aiomisc.testing.CapturedLogs;
import io.aiomisc.testing.TestEntrypoints;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfilerTest {
    private static final String HOT = "profilerTestHotSpinUniqueName";
    private static final Pattern SAMPLES = Pattern.compile("^Profile: (\\d+) samples");
    private static final Pattern PAGE_SAMPLES = Pattern.compile("<span>(\\d+) samples</span>");

    @TempDir
    Path dir;

    private static volatile long sink;

    /**
     * The hot method: CPU work with a name no other frame has, for {@code millis} of wall time. It
     * loops itself (rather than being called in a loop) so that the JIT compiles its loop in its
     * own frame instead of inlining it into the caller's, where a sample would name the caller.
     */
    static long profilerTestHotSpinUniqueName(long millis) {
        long end = System.nanoTime() + millis * 1_000_000;
        long x = 0;
        for (long i = 0; (i & 0xffff) != 0 || System.nanoTime() < end; i++) {
            x += Long.rotateLeft(x ^ i, 7) * 31;
        }
        return x;
    }

    /** Burns CPU in the hot method until {@code done}, bounded so that a broken profiler fails the test. */
    private static void spinUntil(BooleanSupplier done) {
        long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        while (!done.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "condition not met while spinning");
            sink += profilerTestHotSpinUniqueName(20);
        }
    }

    private static List<String> reports(CapturedLogs logs) {
        return logs.events().stream()
                .map(ILoggingEvent::getFormattedMessage)
                .filter(m -> m.startsWith("Profile: "))
                .toList();
    }

    /** The method on the first row of a report's table by self samples, or "" if that table is empty. */
    private static String topBySelf(String report) {
        String[] lines = report.split("\n");
        return lines.length > 3 && lines[1].endsWith(" by self samples:") && !lines[3].startsWith("Top ")
                ? lines[3].substring(lines[3].lastIndexOf("  ") + 2)
                : "";
    }

    private static long samples(String report) {
        Matcher m = SAMPLES.matcher(report);
        assertTrue(m.find(), report);
        return Long.parseLong(m.group(1));
    }

    private static long pageSamples(Path html) throws IOException {
        Matcher m = PAGE_SAMPLES.matcher(Files.readString(html));
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private Set<String> files() throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }

    @Test
    void theHotMethodIsInTheLogTheFlameGraphAndTheRecording() throws Exception {
        Path out = dir.resolve("profile.jfr");
        Path html = dir.resolve("profile.jfr.html");
        String hot = ProfilerTest.class.getName() + "." + HOT;
        List<String> reports;
        try (CapturedLogs logs = CapturedLogs.of(Profiler.class)) {
            try (Entrypoint ep = TestEntrypoints.builder()
                    .services(new Profiler(Duration.ofMillis(300), 5, out))
                    .build()
                    .start()) {
                spinUntil(
                        () -> reports(logs).stream().anyMatch(r -> topBySelf(r).equals(hot)));
                // every report rewrites the files: the page's sample count moves on
                spinUntil(() -> Files.exists(html));
                long first = pageSamples(html);
                FileTime recorded = Files.getLastModifiedTime(out);
                spinUntil(() -> {
                    try {
                        return pageSamples(html) > first
                                && !Files.getLastModifiedTime(out).equals(recorded);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
            reports = reports(logs);
            assertFalse(logs.contains(Level.WARN, "cannot write"));
        }
        assertTrue(reports.size() >= 2, reports::toString);

        assertEquals(Set.of("profile.jfr", "profile.jfr.html"), files()); // no temporary file left

        String page = Files.readString(html);
        assertTrue(page.contains(hot), "not in the flame graph");
        assertFalse(page.contains("http://") || page.contains("https://") || page.contains("src="));
        @SuppressWarnings("unchecked")
        Map<String, Object> root = (Map<String, Object>) MiniJson.parse(FlameGraphTest.embeddedJson(page));
        assertEquals("all", root.get("n"));
        assertEquals(samples(reports.get(reports.size() - 1)), (long) (Long) root.get("v")); // the stop's report

        List<RecordedEvent> events = RecordingFile.readAllEvents(out);
        List<RecordedEvent> hotSamples = events.stream()
                .filter(e -> e.getEventType().getName().equals("jdk.ExecutionSample"))
                .filter(e -> e.getStackTrace() != null
                        && e.getStackTrace().getFrames().stream()
                                .map(RecordedFrame::getMethod)
                                .anyMatch(m -> m.getName().equals(HOT)
                                        && m.getType().getName().equals(ProfilerTest.class.getName())))
                .toList();
        assertFalse(hotSamples.isEmpty(), "no execution sample of the hot method in " + events.size() + " events");
    }

    @Test
    void theFilesAreWrittenAtStopAndMatchTheLastReport() throws Exception {
        Path out = dir.resolve("stop.jfr");
        Path html = dir.resolve("stop.jfr.html");
        String last;
        try (CapturedLogs logs = CapturedLogs.of(Profiler.class)) {
            try (Entrypoint ep = TestEntrypoints.builder()
                    .services(new Profiler(Duration.ofHours(1), 3, out))
                    .build()
                    .start()) {
                sink += profilerTestHotSpinUniqueName(100);
                assertEquals(Set.of(), files()); // no interval has passed: nothing yet
                assertEquals(List.of(), reports(logs));
            }
            List<String> reports = reports(logs);
            assertEquals(1, reports.size(), reports::toString);
            last = reports.get(0);
            assertTrue(logs.contains(Level.INFO, "Profiler stopped"));
        }
        assertEquals(Set.of("stop.jfr", "stop.jfr.html"), files());
        String page = Files.readString(html);
        @SuppressWarnings("unchecked")
        Map<String, Object> root = (Map<String, Object>) MiniJson.parse(FlameGraphTest.embeddedJson(page));
        assertEquals(samples(last), (long) (Long) root.get("v"));
        assertEquals(samples(last), pageSamples(html));
        RecordingFile.readAllEvents(out); // a complete recording: it parses
    }

    @Test
    void withoutAPathNothingIsWritten() throws Exception {
        Path cwd = Path.of("").toAbsolutePath();
        Set<Path> before;
        try (Stream<Path> list = Files.list(cwd)) {
            before = list.collect(Collectors.toSet());
        }
        try (CapturedLogs logs = CapturedLogs.of(Profiler.class)) {
            try (Entrypoint ep = TestEntrypoints.builder()
                    .services(new Profiler(Duration.ofMillis(100), 3, null))
                    .build()
                    .start()) {
                spinUntil(() -> reports(logs).size() >= 2);
            }
            assertFalse(logs.contains(Level.WARN, "cannot write"));
            assertFalse(
                    logs.events().stream().anyMatch(e -> e.getFormattedMessage().contains("written to")));
        }
        try (Stream<Path> list = Files.list(cwd)) {
            assertEquals(before, list.collect(Collectors.toSet()));
        }
    }

    @Test
    void stopLeavesNoThreadAndTheProfilerStartsAgain() throws Exception {
        Profiler profiler = new Profiler(Duration.ofMillis(100), 3, dir.resolve("again.jfr"));
        for (int round = 0; round < 2; round++) {
            try (CapturedLogs logs = CapturedLogs.of(Profiler.class)) {
                try (Entrypoint ep =
                        TestEntrypoints.builder().services(profiler).build().start()) {
                    spinUntil(() -> reports(logs).stream().anyMatch(r -> samples(r) > 0));
                    assertTrue(jfrStreamThreads() > 0);
                }
                assertFalse(profiler.periodic().isRunning());
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> jfrStreamThreads() == 0);
                // a stop during a report interrupted its writing: the stop's own report writes the files
                assertFalse(logs.contains(Level.WARN, "cannot write"));
            }
            assertEquals(Set.of("again.jfr", "again.jfr.html"), files());
        }
    }

    /** Regression: a report interrupted by the stop logged a WARN and could leave its temporary file. */
    @Test
    void anInterruptedReportLeavesNoTemporaryFileAndNoWarning() throws Exception {
        Path out = dir.resolve("interrupted.jfr");
        Profiler profiler = new Profiler(Duration.ofHours(1), 3, out);
        try (CapturedLogs logs = CapturedLogs.of(Profiler.class)) {
            try (Entrypoint ep =
                    TestEntrypoints.builder().services(profiler).build().start()) {
                Thread.currentThread().interrupt(); // as PeriodicService.stop does to a running report
                profiler.callback();
                assertTrue(Thread.interrupted(), "the interrupt flag must stay set");
                assertEquals(1, reports(logs).size());
                assertFalse(logs.contains(Level.WARN, "cannot write"));
                Set<String> written = files();
                assertFalse(written.stream().anyMatch(f -> f.endsWith(".tmp")), written::toString);
            }
        }
        assertEquals(Set.of("interrupted.jfr", "interrupted.jfr.html"), files());
    }

    private static long jfrStreamThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("JFR Event Stream") && t.isAlive())
                .count();
    }

    @Test
    void textListsTheTopMethodsBySelfAndTotal() {
        CallTree tree = new CallTree();
        tree.add(List.of("a.A.work", "a.A.main"));
        tree.add(List.of("a.A.work", "a.A.main"));
        tree.add(List.of("a.A.work", "a.A.main"));
        tree.add(List.of("a.A.wait", "a.A.main"));
        assertEquals("""
                Profile: 4 samples
                Top 2 by self samples:
                   self%    self  total%   total  method
                   75.0%       3   75.0%       3  a.A.work
                   25.0%       1   25.0%       1  a.A.wait
                Top 2 by total samples:
                   self%    self  total%   total  method
                    0.0%       0  100.0%       4  a.A.main
                   75.0%       3   75.0%       3  a.A.work""", Profiler.text(tree, 2));
        assertEquals("""
                Profile: 0 samples
                Top 0 by self samples:
                   self%    self  total%   total  method
                Top 0 by total samples:
                   self%    self  total%   total  method""", Profiler.text(new CallTree(), 5));
    }

    @Test
    void badArgumentsAreRefusedByName() {
        IllegalArgumentException zero =
                assertThrows(IllegalArgumentException.class, () -> new Profiler(Duration.ZERO, 5, null));
        assertTrue(zero.getMessage().contains("interval") && zero.getMessage().contains("PT0S"), zero.getMessage());
        IllegalArgumentException negative =
                assertThrows(IllegalArgumentException.class, () -> new Profiler(Duration.ofSeconds(-1), 5, null));
        assertTrue(
                negative.getMessage().contains("interval")
                        && negative.getMessage().contains("PT-1S"),
                negative.getMessage());
        IllegalArgumentException none =
                assertThrows(IllegalArgumentException.class, () -> new Profiler(Duration.ofSeconds(1), 0, null));
        assertTrue(none.getMessage().contains("topResults") && none.getMessage().endsWith(": 0"), none.getMessage());
        IllegalArgumentException below =
                assertThrows(IllegalArgumentException.class, () -> new Profiler(Duration.ofSeconds(1), -1, null));
        assertTrue(
                below.getMessage().contains("topResults") && below.getMessage().endsWith(": -1"), below.getMessage());
        NullPointerException missing = assertThrows(NullPointerException.class, () -> new Profiler(null, 5, null));
        assertTrue(missing.getMessage().contains("interval"), missing.getMessage());
    }
}
