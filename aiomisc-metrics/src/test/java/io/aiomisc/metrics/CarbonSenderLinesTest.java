package io.aiomisc.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CarbonSenderLinesTest {
    private static final long EPOCH = 1_700_000_000L;
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(EPOCH), ZoneOffset.UTC);

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    private static List<String> linesOf(CarbonSender sender, String fragment) {
        return sender.lines().stream().filter(l -> l.contains(fragment)).toList();
    }

    @Test
    void stripNamespaceCleansAsAiomiscDoes() {
        assertEquals("hello_world_123_test", CarbonSender.stripNamespace("Hello.World@123/Test"));
        assertEquals("web-1_prod", CarbonSender.stripNamespace("web-1 prod"));
        assertEquals("straße_ünïcödé", CarbonSender.stripNamespace("Straße.Ünïcödé"), "letters of any script kept");
        assertEquals("日本_サーバ", CarbonSender.stripNamespace("日本 サーバ"));
        assertEquals("app", CarbonSender.stripNamespace("..@@app!!  "), "leading and trailing junk removed");
        assertEquals("app", CarbonSender.stripNamespace("__app__"));
        assertEquals("-app-", CarbonSender.stripNamespace("-app-"), "only underscores are trimmed, as strip('_')");
        assertEquals("a_b", CarbonSender.stripNamespace("a...///b"), "a run of junk is one underscore");
        assertEquals("", CarbonSender.stripNamespace("@@.. //!"), "all junk leaves nothing");
        assertEquals("", CarbonSender.stripNamespace(""));
        assertThrows(NullPointerException.class, () -> CarbonSender.stripNamespace(null));
    }

    @Test
    void linesHaveThePinnedShapeWithTheClocksEpochSeconds() {
        String name = unique("shape");
        SampleStatistic stat = new SampleStatistic(name);
        stat.calls.add(42);
        stat.level.set(7);
        stat.elapsed.addNanos(1_500_000_000L);
        CarbonSender sender = CarbonSender.builder()
                .namespace("My App", "Host.Name")
                .clock(CLOCK)
                .build();
        assertEquals(
                List.of(
                        "my_app.host_name.SampleStatistic." + name + ".calls 42 " + EPOCH + "\n",
                        "my_app.host_name.SampleStatistic." + name + ".level 7 " + EPOCH + "\n",
                        "my_app.host_name.SampleStatistic." + name + ".elapsed 1.5 " + EPOCH + "\n"),
                linesOf(sender, "." + name + "."));
        for (String line : sender.lines()) {
            assertTrue(line.matches("my_app\\.host_name\\.[\\w.-]+ [-0-9.Ee]+ " + EPOCH + "\n"), line);
        }
    }

    @Test
    void smallAndLargeDecimalsAreWrittenInPlainNotation() {
        String name = unique("plain");
        SampleStatistic stat = new SampleStatistic(name);
        stat.elapsed.add(Duration.ofNanos(120_000));
        stat.level.set(1.5e12);
        CarbonSender sender = CarbonSender.builder().clock(CLOCK).build();
        assertEquals(
                List.of("SampleStatistic." + name + ".elapsed 0.00012 " + EPOCH + "\n"),
                linesOf(sender, name + ".elapsed"));
        assertEquals(
                List.of("SampleStatistic." + name + ".level 1500000000000 " + EPOCH + "\n"),
                linesOf(sender, name + ".level"));
    }

    @Test
    void timeCountersAreDecimalSeconds() {
        String name = unique("time");
        SampleStatistic stat = new SampleStatistic(name);
        stat.elapsed.add(Duration.ofMillis(2_250));
        CarbonSender sender = CarbonSender.builder().clock(CLOCK).build();
        assertEquals(
                List.of("SampleStatistic." + name + ".elapsed 2.25 " + EPOCH + "\n"),
                linesOf(sender, name + ".elapsed"));
        stat.elapsed.add(Duration.ofMillis(750));
        assertEquals(
                List.of("SampleStatistic." + name + ".elapsed 3.0 " + EPOCH + "\n"),
                linesOf(sender, name + ".elapsed"));
    }

    @Test
    void statisticsOfTheSameKindAndNameAreSummed() {
        String name = unique("sum");
        SampleStatistic a = new SampleStatistic(name);
        SampleStatistic b = new SampleStatistic(name);
        a.calls.add(2);
        b.calls.add(40);
        a.level.set(0.5);
        b.level.set(2);
        a.elapsed.addNanos(250_000_000L);
        b.elapsed.addNanos(250_000_000L);
        CarbonSender sender =
                CarbonSender.builder().namespace("ns").clock(CLOCK).build();
        assertEquals(
                List.of(
                        "ns.SampleStatistic." + name + ".calls 42 " + EPOCH + "\n",
                        "ns.SampleStatistic." + name + ".level 2.5 " + EPOCH + "\n",
                        "ns.SampleStatistic." + name + ".elapsed 0.5 " + EPOCH + "\n"),
                linesOf(sender, "." + name + "."));
    }

    @Test
    void namesAreCleanedAndANullNameIsNone() {
        String id = UUID.randomUUID().toString();
        SampleStatistic dotted = new SampleStatistic("web server.v1/" + id);
        dotted.calls.add(3);
        SampleStatistic nameless = new SampleStatistic(null);
        CarbonSender sender =
                CarbonSender.builder().namespace("ns").clock(CLOCK).build();
        assertEquals(
                List.of("ns.SampleStatistic.web_server_v1_" + id + ".calls 3 " + EPOCH + "\n"),
                linesOf(sender, id + ".calls"));
        assertEquals(1, linesOf(sender, "ns.SampleStatistic.none.calls ").size());
        assertEquals(1, linesOf(sender, "ns.SampleStatistic.none.level ").size());
        assertEquals(nameless.kind(), "SampleStatistic");
    }

    @Test
    void anEmptyNamespaceGivesNoLeadingDot() {
        String name = unique("bare");
        SampleStatistic stat = new SampleStatistic(name);
        stat.calls.increment();
        String expected = "SampleStatistic." + name + ".calls 1 " + EPOCH + "\n";
        assertEquals(
                List.of(expected), linesOf(CarbonSender.builder().clock(CLOCK).build(), name + ".calls"));
        assertEquals(
                List.of(expected),
                linesOf(CarbonSender.builder().namespace().clock(CLOCK).build(), name + ".calls"));
        assertEquals(
                List.of(expected),
                linesOf(
                        CarbonSender.builder()
                                .namespace("@@", "", "..")
                                .clock(CLOCK)
                                .build(),
                        name + ".calls"),
                "parts cleaned to nothing are dropped");
        for (String line : CarbonSender.builder().clock(CLOCK).build().lines()) {
            assertFalse(line.startsWith("."), line);
        }
    }

    @Test
    void valuesThatAreNotFiniteAreLeftOut() {
        String name = unique("nan");
        SampleStatistic stat = new SampleStatistic(name);
        stat.calls.add(5);
        stat.level.set(Double.NaN);
        CarbonSender sender = CarbonSender.builder().clock(CLOCK).build();
        assertEquals(
                List.of(
                        "SampleStatistic." + name + ".calls 5 " + EPOCH + "\n",
                        "SampleStatistic." + name + ".elapsed 0.0 " + EPOCH + "\n"),
                linesOf(sender, "." + name + "."));
        stat.level.set(Double.POSITIVE_INFINITY);
        assertEquals(0, linesOf(sender, name + ".level").size());
        stat.level.set(1.25);
        assertEquals(
                List.of("SampleStatistic." + name + ".level 1.25 " + EPOCH + "\n"), linesOf(sender, name + ".level"));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 65536, Integer.MIN_VALUE})
    void aPortOutsideOneTo65535IsRefusedNamingIt(int port) {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> CarbonSender.builder().port(port));
        assertTrue(e.getMessage().endsWith(": " + port), e.getMessage());
        assertTrue(e.getMessage().contains("1..65535"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"pickle", "http", "", "udp ", "tcp6"})
    void anotherProtocolIsRefusedNamingIt(String protocol) {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> CarbonSender.builder().protocol(protocol));
        assertTrue(e.getMessage().contains("'" + protocol + "'"), e.getMessage());
    }

    @Test
    void protocolIsAcceptedInAnyCase() {
        assertTrue(CarbonSender.builder().protocol("TCP").build().toString().contains("tcp://"));
        assertTrue(CarbonSender.builder().protocol("Udp").build().toString().contains("udp://"));
        assertTrue(CarbonSender.builder().build().toString().contains("udp://127.0.0.1:2003"), "aiomisc's defaults");
    }

    @Test
    void badHostsIntervalsAndTimeoutsAreRefused() {
        CarbonSender.Builder builder = CarbonSender.builder();
        assertThrows(IllegalArgumentException.class, () -> builder.host(""));
        IllegalArgumentException blank = assertThrows(IllegalArgumentException.class, () -> builder.host("  "));
        assertTrue(blank.getMessage().contains("host"), blank.getMessage());
        assertThrows(NullPointerException.class, () -> builder.host(null));
        for (Duration bad : List.of(Duration.ZERO, Duration.ofMillis(-1))) {
            IllegalArgumentException interval =
                    assertThrows(IllegalArgumentException.class, () -> builder.interval(bad));
            assertTrue(interval.getMessage().contains("interval")
                    && interval.getMessage().contains(bad.toString()));
            IllegalArgumentException timeout = assertThrows(IllegalArgumentException.class, () -> builder.timeout(bad));
            assertTrue(timeout.getMessage().contains("timeout")
                    && timeout.getMessage().contains(bad.toString()));
        }
        assertThrows(NullPointerException.class, () -> builder.interval(null));
        assertThrows(NullPointerException.class, () -> builder.timeout(null));
        assertThrows(NullPointerException.class, () -> builder.namespace("a", null));
        assertThrows(NullPointerException.class, () -> builder.clock(null));
        assertThrows(NullPointerException.class, () -> builder.protocol(null));
    }

    @Test
    void theSenderCountsUnderItsOwnStatistic() {
        CarbonSender sender = CarbonSender.builder().build();
        assertEquals("carbon-sender", sender.statistic().name());
        assertEquals("CarbonSenderStatistic", sender.statistic().kind());
        assertEquals(0, sender.statistic().failures.value());
    }
}
