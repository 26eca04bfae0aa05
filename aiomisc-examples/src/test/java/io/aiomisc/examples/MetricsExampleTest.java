package io.aiomisc.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiomisc.testing.JavaProcess;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class MetricsExampleTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Pattern SCRAPED =
            Pattern.compile("\\s+aiomisc_ThreadPoolStatistic_submitted\\{name=\"default\"} (\\S+)");
    private static final Pattern RECEIVED =
            Pattern.compile("\\s+aiomisc-example\\.ThreadPoolStatistic\\.default\\.submitted (\\d+) [1-9][0-9]{9}");

    @Test
    void printsThePoolsLinesFromPrometheusAndFromTheLocalGraphiteThenEnds() throws Exception {
        // CARBON_HOST empty: the example plays Graphite itself
        try (JavaProcess app = JavaProcess.start(MetricsExample.class, Map.of("CARBON_HOST", ""), "0", "25")) {
            assertEquals(0, app.awaitExit(WAIT), app::transcript);
            List<String> out = app.stdout();
            assertTrue(
                    out.stream().anyMatch(l -> l.matches("GET http://127\\.0\\.0\\.1:[1-9][0-9]*/metrics .*")),
                    app::transcript);
            assertTrue(value(out, SCRAPED) >= 25, app::transcript);
            assertTrue(out.stream().anyMatch(l -> l.startsWith("Graphite (udp://127.0.0.1:")), app::transcript);
            assertTrue(value(out, RECEIVED) >= 25, app::transcript);
            assertTrue(app.stderr().stream().anyMatch(l -> l.contains("Metrics example finished")), app::transcript);
        }
    }

    /** The number the first line matching {@code pattern} carries. */
    private static double value(List<String> lines, Pattern pattern) {
        for (String line : lines) {
            Matcher matcher = pattern.matcher(line);
            if (matcher.matches()) {
                return Double.parseDouble(matcher.group(1));
            }
        }
        return -1;
    }
}
