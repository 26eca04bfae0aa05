package io.aiomisc.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiomisc.testing.JavaProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class CronExampleTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Pattern TICK = Pattern.compile("tick (\\d+) at (\\d\\d:\\d\\d:\\d\\d)");

    @Test
    void ticksInDistinctSecondsThenEndsByItself() throws Exception {
        try (JavaProcess app = JavaProcess.start(CronExample.class, Map.of(), "3")) {
            assertEquals(0, app.awaitExit(WAIT), app::transcript);
            List<Integer> numbers = new ArrayList<>();
            List<String> seconds = new ArrayList<>();
            for (String line : app.stderr()) {
                Matcher tick = TICK.matcher(line);
                if (tick.find()) {
                    numbers.add(Integer.parseInt(tick.group(1)));
                    seconds.add(tick.group(2));
                }
            }
            // one more tick may slip in while the entrypoint closes
            assertTrue(numbers.size() == 3 || numbers.size() == 4, app::transcript);
            assertEquals(List.of(1, 2, 3), numbers.subList(0, 3), app::transcript);
            // a cron schedule, not a loop: each tick fires in a second of its own
            assertEquals(seconds.size(), new HashSet<>(seconds).size(), app::transcript);
            assertTrue(
                    app.stderr().stream().anyMatch(line -> line.contains("Cron example finished after 3 ticks")),
                    app::transcript);
            assertTrue(app.stderr().stream().anyMatch(line -> line.contains("is stopped")), app::transcript);
        }
    }

    @Test
    void stopsCleanlyOnSigterm() throws Exception {
        try (JavaProcess app = JavaProcess.start(CronExample.class, Map.of(), "100000")) {
            app.awaitStderr(line -> line.contains("tick 1 at"), WAIT);
            app.signal("TERM");
            assertEquals(0, app.awaitExit(WAIT), app::transcript);
            List<String> log = app.stderr();
            assertTrue(
                    log.stream().anyMatch(line -> line.contains("Cron example stopped before the end")),
                    app::transcript);
            assertTrue(log.stream().noneMatch(line -> line.contains("Cron example finished")), app::transcript);
        }
    }
}
