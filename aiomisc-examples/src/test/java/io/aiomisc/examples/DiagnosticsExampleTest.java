package io.aiomisc.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiomisc.testing.JavaProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiagnosticsExampleTest {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String LEAK = "io.aiomisc.examples.DiagnosticsExample$Leak";

    @Test
    void tracesTheLeakProfilesTheHotLoopAndPrintsWhereTheFilesAre(@TempDir Path dir) throws Exception {
        Path jfr = dir.resolve("diagnostics.jfr");
        try (JavaProcess app = JavaProcess.start(DiagnosticsExample.class, Map.of(), "3", jfr.toString())) {
            assertEquals(0, app.awaitExit(WAIT), app::transcript);
            List<String> err = app.stderr();
            // the tracer's table: the header, then the leaked class among the top rows
            int table = err.indexOf("Top memory usage:");
            assertTrue(table >= 0, app::transcript);
            assertTrue(
                    err.get(table + 1).contains("Objects | Obj.Diff |   Memory | Mem.Diff | Class"), app::transcript);
            assertTrue(
                    err.stream().anyMatch(l -> l.matches("\\s+\\d+ \\|\\s+\\d+ \\|.*\\| " + Pattern.quote(LEAK))),
                    app::transcript);
            // the profiler's report names the hot loop: by self samples the inner method (JFR keeps
            // inlined frames), which the loop may share with wrapper frames by total samples
            assertTrue(err.stream().anyMatch(l -> l.startsWith("Profile: ")), app::transcript);
            assertTrue(
                    err.stream()
                            .anyMatch(l -> l.matches(
                                    ".*\\d  io\\.aiomisc\\.examples\\.DiagnosticsExample\\.(isPrime|countPrimes)")),
                    app::transcript);
            assertTrue(err.stream().anyMatch(l -> l.contains("Leaked ")), app::transcript);

            assertEquals(
                    List.of(
                            "Recording:   " + jfr.toAbsolutePath() + " (jfr print, JDK Mission Control)",
                            "Flame graph: " + jfr.toAbsolutePath() + ".html (open it in a browser)"),
                    app.stdout());
            assertTrue(Files.size(jfr) > 0, app::transcript);
            String page = Files.readString(dir.resolve("diagnostics.jfr.html"));
            assertTrue(page.contains("\"n\":\"io.aiomisc.examples.DiagnosticsExample.countPrimes\""), page);
        }
    }
}
