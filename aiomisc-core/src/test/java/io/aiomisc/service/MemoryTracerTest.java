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
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.management.ObjectName;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class MemoryTracerTest {
    private static final String REPORT = "Top memory usage:\n";
    private static final String HEADER = " Objects | Obj.Diff |   Memory | Mem.Diff | Class";

    /** Makes each retained instance 24 bytes, so 200,000 of them outgrow anything else the JVM does meanwhile. */
    @SuppressWarnings("unused")
    private long payload;

    @Test
    void retainedInstancesOfThisClassAreOnTopOfALoggedTable() throws Exception {
        MemoryTracerTest[] retained = new MemoryTracerTest[200_000];
        String ownRow = "| " + MemoryTracerTest.class.getName();
        try (CapturedLogs logs = CapturedLogs.of(MemoryTracer.class);
                Entrypoint ep = TestEntrypoints.builder()
                        .services(new MemoryTracer(Duration.ofMillis(200), 3))
                        .build()
                        .start()) {
            for (int i = 0; i < retained.length; i++) {
                retained[i] = new MemoryTracerTest();
                retained[i].payload = i;
            }
            // a report taken before all were allocated may show less: wait for one with all of them
            Awaitility.await().atMost(Duration.ofSeconds(40)).until(() -> reports(logs).stream()
                    .anyMatch(r -> topRow(r).endsWith(ownRow) && topRow(r).matches(" *\\d+ \\| {3}200000 \\| .*")));
            String report = reports(logs).stream()
                    .filter(r -> topRow(r).endsWith(ownRow) && topRow(r).matches(" *\\d+ \\| {3}200000 \\| .*"))
                    .findFirst()
                    .orElseThrow();
            String[] lines = report.split("\n");
            assertEquals("Top memory usage:", lines[0]);
            assertEquals(HEADER, lines[1]);
            assertTrue(lines.length <= 2 + 3, report); // top 3
            assertTrue(
                    lines[2].matches(" {2}2000\\d\\d \\| {3}200000 \\| {3}\\d\\.\\dMiB \\| {3}\\d\\.\\dMiB \\| \\Q"
                            + MemoryTracerTest.class.getName() + "\\E"),
                    lines[2]);
            assertTrue(logs.contains(Level.WARN, "Memory tracer started"));
        }
        assertEquals(199_999, retained[199_999].payload);
    }

    private static List<String> reports(CapturedLogs logs) {
        return logs.events().stream()
                .map(ILoggingEvent::getFormattedMessage)
                .filter(m -> m.startsWith(REPORT))
                .toList();
    }

    private static String topRow(String report) {
        String[] lines = report.split("\n");
        return lines.length > 2 ? lines[2] : "";
    }

    @Test
    void tableIsAiomiscsFormat() {
        String table = MemoryTracer.table(List.of(
                new MemoryTracer.Row("com.example.Session", 200_011, 200_000, 4_800_264, 4_800_000),
                new MemoryTracer.Row("byte[]", 1027, 1010, 97_280, 96_563),
                new MemoryTracer.Row("java.lang.String", 12, -30, 288, -720)));
        assertEquals(
                HEADER + "\n"
                        + "  200011 |   200000 |   4.6MiB |   4.6MiB | com.example.Session\n"
                        + "    1027 |     1010 |  95.0KiB |  94.3KiB | byte[]\n"
                        + "      12 |      -30 |   288.0B |  -720.0B | java.lang.String",
                table);
        assertEquals(HEADER, MemoryTracer.table(List.of()));
    }

    @Test
    void diffSortsByMemoryGrowthAndKeepsTheTopN() {
        Map<String, MemoryTracer.Usage> before = Map.of(
                "a.Shrinks", new MemoryTracer.Usage(100, 10_000),
                "a.Grows", new MemoryTracer.Usage(10, 1_000),
                "a.Same", new MemoryTracer.Usage(5, 500),
                "a.Gone", new MemoryTracer.Usage(1, 16));
        Map<String, MemoryTracer.Usage> after = Map.of(
                "a.Shrinks", new MemoryTracer.Usage(50, 5_000),
                "a.Grows", new MemoryTracer.Usage(30, 3_000),
                "a.Same", new MemoryTracer.Usage(5, 500),
                "a.New", new MemoryTracer.Usage(7, 2_000),
                "a.TieBig", new MemoryTracer.Usage(9, 9_000),
                "a.TieSmallB", new MemoryTracer.Usage(1, 2_000),
                "a.TieSmallA", new MemoryTracer.Usage(1, 2_000));
        assertEquals(
                List.of(
                        new MemoryTracer.Row("a.TieBig", 9, 9, 9_000, 9_000),
                        new MemoryTracer.Row("a.Grows", 30, 20, 3_000, 2_000),
                        // equal growth: more memory first, then by name
                        new MemoryTracer.Row("a.New", 7, 7, 2_000, 2_000),
                        new MemoryTracer.Row("a.TieSmallA", 1, 1, 2_000, 2_000),
                        new MemoryTracer.Row("a.TieSmallB", 1, 1, 2_000, 2_000),
                        new MemoryTracer.Row("a.Same", 5, 0, 500, 0),
                        new MemoryTracer.Row("a.Shrinks", 50, -50, 5_000, -5_000)),
                MemoryTracer.diff(before, after, 10));
        assertEquals(
                List.of(
                        new MemoryTracer.Row("a.TieBig", 9, 9, 9_000, 9_000),
                        new MemoryTracer.Row("a.Grows", 30, 20, 3_000, 2_000)),
                MemoryTracer.diff(before, after, 2));
        assertEquals(List.of(), MemoryTracer.diff(before, Map.of(), 5));
    }

    @Test
    void humanizeAsAiomisc() {
        assertEquals("0.0B", MemoryTracer.humanize(0));
        assertEquals("512.0B", MemoryTracer.humanize(512));
        assertEquals("1023.0B", MemoryTracer.humanize(1023));
        assertEquals("1.0KiB", MemoryTracer.humanize(1024));
        assertEquals("1.5KiB", MemoryTracer.humanize(1536));
        assertEquals("1024.0KiB", MemoryTracer.humanize(1024 * 1024 - 1)); // as Python's "%3.1f"
        assertEquals("1.0MiB", MemoryTracer.humanize(1024 * 1024));
        assertEquals("1.0GiB", MemoryTracer.humanize(1024L * 1024 * 1024));
        assertEquals("1.0TiB", MemoryTracer.humanize(1L << 40));
        assertEquals("1.0PiB", MemoryTracer.humanize(1L << 50));
        assertEquals("1.0EiB", MemoryTracer.humanize(1L << 60));
        assertEquals("8.0EiB", MemoryTracer.humanize(Long.MAX_VALUE));
        assertEquals("-1.0B", MemoryTracer.humanize(-1));
        assertEquals("-512.0B", MemoryTracer.humanize(-512));
        assertEquals("-1.5KiB", MemoryTracer.humanize(-1536));
        assertEquals("-1.0MiB", MemoryTracer.humanize(-1024 * 1024));
        assertEquals("-8.0EiB", MemoryTracer.humanize(Long.MIN_VALUE));
    }

    @Test
    void parsesTheRunningJvmsHistogram() throws Exception {
        String text = (String) ManagementFactory.getPlatformMBeanServer()
                .invoke(
                        new ObjectName("com.sun.management:type=DiagnosticCommand"),
                        "gcClassHistogram",
                        new Object[] {new String[0]},
                        new String[] {String[].class.getName()});
        Map<String, MemoryTracer.Usage> histogram = MemoryTracer.parse(text);
        String[] total =
                text.strip().lines().reduce((a, b) -> b).orElseThrow().trim().split("\\s+");
        assertEquals("Total", total[0], text);
        assertEquals(
                Long.parseLong(total[1]),
                histogram.values().stream().mapToLong(MemoryTracer.Usage::count).sum());
        assertEquals(
                Long.parseLong(total[2]),
                histogram.values().stream().mapToLong(MemoryTracer.Usage::bytes).sum());
        assertTrue(histogram.get("java.lang.String").count() > 0, histogram::toString);
        assertTrue(histogram.get("byte[]").bytes() > 0, histogram::toString);
        assertTrue(histogram.containsKey(MemoryTracerTest.class.getName()), histogram::toString);
        assertFalse(
                histogram.keySet().stream().anyMatch(k -> k.startsWith("[") || k.contains(" (")), histogram::toString);
    }

    @Test
    void parsesArraysModulesAndTheSameClassFromTwoLoaders() {
        String text = """
                 num     #instances         #bytes  class name (module)
                -------------------------------------------------------
                   1:         19264        1191112  [B (java.base@25)
                   2:          3874         497920  java.lang.Class (java.base@25)
                   3:           100           4000  [[I (java.base@25)
                   4:            20            960  [Ljava.lang.String; (java.base@25)
                   5:            10            240  com.example.Twice
                   6:             5            120  com.example.Twice
                   7:             3            144  [[Lcom.example.Twice;
                Total         23276        1693540
                """;
        assertEquals(
                Map.of(
                        "byte[]", new MemoryTracer.Usage(19264, 1191112),
                        "java.lang.Class", new MemoryTracer.Usage(3874, 497920),
                        "int[][]", new MemoryTracer.Usage(100, 4000),
                        "java.lang.String[]", new MemoryTracer.Usage(20, 960),
                        "com.example.Twice", new MemoryTracer.Usage(15, 360),
                        "com.example.Twice[][]", new MemoryTracer.Usage(3, 144)),
                MemoryTracer.parse(text));
        assertEquals(Map.of(), MemoryTracer.parse(""));
    }

    @Test
    void classNamesAsJavaSource() {
        assertEquals("byte[]", MemoryTracer.className("[B"));
        assertEquals("char[]", MemoryTracer.className("[C"));
        assertEquals("short[]", MemoryTracer.className("[S"));
        assertEquals("int[][]", MemoryTracer.className("[[I"));
        assertEquals("long[]", MemoryTracer.className("[J"));
        assertEquals("float[]", MemoryTracer.className("[F"));
        assertEquals("double[]", MemoryTracer.className("[D"));
        assertEquals("boolean[]", MemoryTracer.className("[Z"));
        assertEquals("java.lang.String[]", MemoryTracer.className("[Ljava.lang.String;"));
        assertEquals("java.lang.Object[][][]", MemoryTracer.className("[[[Ljava.lang.Object;"));
        assertEquals("java.lang.String", MemoryTracer.className("java.lang.String"));
        assertEquals("a.B$C", MemoryTracer.className("a.B$C"));
    }

    @Test
    void stopEndsTheReports() throws Exception {
        Duration interval = Duration.ofMillis(200);
        MemoryTracer tracer = new MemoryTracer(interval, 2);
        try (CapturedLogs logs = CapturedLogs.of(MemoryTracer.class)) {
            try (Entrypoint ep =
                    TestEntrypoints.builder().services(tracer).build().start()) {
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !reports(logs)
                        .isEmpty());
            }
            assertFalse(tracer.periodic().isRunning());
            int after = reports(logs).size();
            // aiomisc's tracer kept reporting after stop; this one must not, for three intervals and more
            Awaitility.await()
                    .pollDelay(interval.multipliedBy(3))
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> reports(logs).size() == after);
        }
    }

    @Test
    void badArgumentsAreRefusedByName() {
        IllegalArgumentException zero =
                assertThrows(IllegalArgumentException.class, () -> new MemoryTracer(Duration.ZERO, 5));
        assertTrue(zero.getMessage().contains("interval") && zero.getMessage().contains("PT0S"), zero.getMessage());
        IllegalArgumentException negative =
                assertThrows(IllegalArgumentException.class, () -> new MemoryTracer(Duration.ofSeconds(-1), 5));
        assertTrue(
                negative.getMessage().contains("interval")
                        && negative.getMessage().contains("PT-1S"),
                negative.getMessage());
        IllegalArgumentException none =
                assertThrows(IllegalArgumentException.class, () -> new MemoryTracer(Duration.ofSeconds(1), 0));
        assertTrue(none.getMessage().contains("topResults") && none.getMessage().endsWith(": 0"), none.getMessage());
        IllegalArgumentException below =
                assertThrows(IllegalArgumentException.class, () -> new MemoryTracer(Duration.ofSeconds(1), -1));
        assertTrue(
                below.getMessage().contains("topResults") && below.getMessage().endsWith(": -1"), below.getMessage());
        NullPointerException missing = assertThrows(NullPointerException.class, () -> new MemoryTracer(null, 5));
        assertTrue(missing.getMessage().contains("interval"), missing.getMessage());
    }
}
