package io.aiomisc.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiomisc.Entrypoint;
import io.aiomisc.testing.CapturedLogs;
import io.aiomisc.testing.TestEntrypoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import jdk.jfr.consumer.RecordingFile;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiagnosticsSmokeTest {
    @TempDir
    Path dir;

    static final class Retained {
        final long value;

        Retained(long value) {
            this.value = value;
        }
    }

    @Test
    void humanizeAsAiomisc() {
        assertEquals("512.0B", MemoryTracer.humanize(512));
        assertEquals("1.0KiB", MemoryTracer.humanize(1024));
        assertEquals("1.5KiB", MemoryTracer.humanize(1536));
        assertEquals("1.0MiB", MemoryTracer.humanize(1024 * 1024));
    }

    @Test
    void theTracerSeesRetainedInstancesOnTop() throws Exception {
        List<Retained> retained = new ArrayList<>();
        try (CapturedLogs logs = CapturedLogs.of(MemoryTracer.class);
                Entrypoint ep = TestEntrypoints.builder()
                        .services(new MemoryTracer(Duration.ofMillis(300), 3))
                        .build()
                        .start()) {
            for (int i = 0; i < 200_000; i++) {
                retained.add(new Retained(i));
            }
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> logs.events().stream()
                    .anyMatch(e -> e.getFormattedMessage().contains("| " + Retained.class.getName())));
        }
        assertEquals(200_000, retained.size());
    }

    static long hot(long n) {
        long x = 0;
        for (long i = 0; i < n; i++) {
            x += Long.rotateLeft(x ^ i, 7) * 31;
        }
        return x;
    }

    @Test
    void theProfilerFindsTheHotMethod() throws Exception {
        Path out = dir.resolve("profile.jfr");
        try (CapturedLogs logs = CapturedLogs.of(Profiler.class);
                Entrypoint ep = TestEntrypoints.builder()
                        .services(new Profiler(Duration.ofMillis(500), 5, out))
                        .build()
                        .start()) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            long sink = 0;
            while (System.nanoTime() < deadline
                    && logs.events().stream()
                            .noneMatch(e -> e.getFormattedMessage().contains("DiagnosticsSmokeTest.hot"))) {
                sink += hot(5_000_000);
            }
            assertTrue(sink != 1);
        }
        String html = Files.readString(dir.resolve("profile.jfr.html"));
        assertTrue(html.contains("DiagnosticsSmokeTest.hot"));
        assertTrue(!RecordingFile.readAllEvents(out).isEmpty());
    }
}
