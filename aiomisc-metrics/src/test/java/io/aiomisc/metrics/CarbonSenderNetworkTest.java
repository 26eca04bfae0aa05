package io.aiomisc.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.aiomisc.Entrypoint;
import io.aiomisc.junit.AiomiscTest;
import io.aiomisc.junit.UnusedPort;
import io.aiomisc.testing.CapturedLogs;
import io.aiomisc.testing.TestEntrypoints;
import java.lang.ref.WeakReference;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

@AiomiscTest
class CarbonSenderNetworkTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final long EPOCH = 1_700_000_000L;
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(EPOCH), ZoneOffset.UTC);
    /** Graphite's plaintext line: path, a number, epoch seconds. */
    private static final Pattern LINE = Pattern.compile("[\\p{L}\\p{N}_.-]+ -?[0-9]+(\\.[0-9]+)?(E-?[0-9]+)? " + EPOCH);
    /** Long enough that no periodic send comes during a test: only the one at start and at stop. */
    private static final Duration NEVER = Duration.ofHours(1);

    private static List<String> wholeLines(String text) {
        assertTrue(text.endsWith("\n"), "whole lines only: " + text);
        List<String> lines = List.of(text.substring(0, text.length() - 1).split("\n", -1));
        for (String line : lines) {
            assertTrue(LINE.matcher(line).matches(), "not a Graphite plaintext line: '" + line + "'");
        }
        return lines;
    }

    private static long warnings(CapturedLogs logs) {
        return logs.events().stream()
                .filter(e -> e.getLevel() == Level.WARN)
                .map(ILoggingEvent::getFormattedMessage)
                .filter(m -> m.contains("Cannot send"))
                .count();
    }

    @Test
    void udpSendsDatagramsOfWholePinnedLinesOfAtMost1400Bytes(Entrypoint entrypoint) throws Exception {
        String id = UUID.randomUUID().toString();
        List<SampleStatistic> stats = new ArrayList<>();
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < 60; i++) {
            SampleStatistic stat = new SampleStatistic("udp-" + id + "-" + i);
            stat.calls.add(i);
            stats.add(stat);
            expected.add("udp.SampleStatistic." + stat.name() + ".calls " + i + " " + EPOCH);
            expected.add("udp.SampleStatistic." + stat.name() + ".level 0 " + EPOCH);
            expected.add("udp.SampleStatistic." + stat.name() + ".elapsed 0.0 " + EPOCH);
        }
        try (DatagramSocket graphite = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            graphite.setSoTimeout((int) PATIENCE.toMillis());
            CarbonSender carbon = CarbonSender.builder()
                    .port(graphite.getLocalPort())
                    .namespace("udp")
                    .interval(NEVER)
                    .clock(CLOCK)
                    .build();
            Set<String> ours = new HashSet<>();
            int datagramsWithOurs = 0;
            entrypoint.startServices(carbon);
            byte[] buffer = new byte[65536];
            while (!ours.containsAll(expected)) {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                graphite.receive(packet);
                assertTrue(packet.getLength() <= CarbonSender.DATAGRAM_SIZE, "datagram of " + packet.getLength());
                String text = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
                boolean any = false;
                for (String line : wholeLines(text)) {
                    if (line.contains(id)) {
                        ours.add(line);
                        any = true;
                    }
                }
                if (any) {
                    datagramsWithOurs++;
                }
            }
            assertTrue(entrypoint.isRunning());
            entrypoint.stopServices(carbon);
            assertEquals(expected, ours);
            assertTrue(datagramsWithOurs >= 2, "the lines needed several datagrams: " + datagramsWithOurs);
            assertTrue(carbon.statistic().sends.value() >= 1);
            assertEquals(0, carbon.statistic().failures.value());
        }
        assertEquals(60, stats.size());
    }

    @Test
    void tcpSendsOneConnectionAtStartAndOneAtStopWithTheFinalValues(Entrypoint entrypoint) throws Exception {
        String name = "tcp-" + UUID.randomUUID();
        SampleStatistic stat = new SampleStatistic(name);
        stat.calls.add(10);
        try (TcpGraphite graphite = new TcpGraphite(0)) {
            CarbonSender carbon = CarbonSender.builder()
                    .port(graphite.port())
                    .protocol("tcp")
                    .namespace("tcp")
                    .interval(NEVER)
                    .clock(CLOCK)
                    .build();
            entrypoint.startServices(carbon);
            List<String> first = wholeLines(graphite.next());
            assertTrue(first.contains("tcp.SampleStatistic." + name + ".calls 10 " + EPOCH), first.toString());
            Awaitility.await()
                    .atMost(PATIENCE)
                    .until(() -> carbon.statistic().sends.value() == 1);
            stat.calls.add(5); // after the last periodic send: only the send at stop carries it
            assertTrue(entrypoint.isRunning());
            entrypoint.stopServices(carbon);
            List<String> last = wholeLines(graphite.next());
            assertTrue(last.contains("tcp.SampleStatistic." + name + ".calls 15 " + EPOCH), last.toString());
            assertEquals(2, carbon.statistic().sends.value());
            assertEquals(0, carbon.statistic().failures.value());
            assertEquals(null, graphite.poll(), "one connection per send");
        }
    }

    @Test
    void aTcpGraphiteThatIsDownIsCountedWarnedOncePerOutageAndRecoveryIsLogged(
            Entrypoint entrypoint, @UnusedPort int port) throws Exception {
        CarbonSender carbon = CarbonSender.builder()
                .port(port)
                .protocol("tcp")
                .interval(Duration.ofMillis(50))
                .timeout(Duration.ofMillis(300))
                .clock(CLOCK)
                .build();
        try (CapturedLogs logs = CapturedLogs.of(CarbonSender.class, Level.DEBUG)) {
            entrypoint.startServices(carbon);
            Awaitility.await()
                    .atMost(PATIENCE)
                    .until(() -> carbon.statistic().failures.value() >= 3);
            assertEquals(1, warnings(logs), "one warning for the whole outage");
            assertTrue(logs.contains(Level.DEBUG, "Cannot send to carbon"), "later failures at DEBUG");
            assertEquals(0, carbon.statistic().sends.value());

            try (TcpGraphite graphite = new TcpGraphite(port)) {
                assertTrue(wholeLines(graphite.next()).size() > 0);
                Awaitility.await().atMost(PATIENCE).until(() -> logs.contains(Level.INFO, "receives statistics again"));
                assertTrue(carbon.statistic().sends.value() >= 1);
                assertEquals(1, warnings(logs));
            }
            long failures = carbon.statistic().failures.value();
            Awaitility.await()
                    .atMost(PATIENCE)
                    .until(() -> carbon.statistic().failures.value() >= failures + 2);
            assertEquals(2, warnings(logs), "a second outage warns again, once");
            assertTrue(entrypoint.isRunning());
        }
    }

    @Test
    void aUdpGraphiteThatIsDownIsCountedOnAFollowingSendAndWarnedOnceUntilItListensAgain(Entrypoint entrypoint)
            throws Exception {
        int port;
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            port = socket.getLocalPort();
        }
        CarbonSender carbon = CarbonSender.builder()
                .port(port)
                .interval(Duration.ofMillis(50))
                .build();
        try (CapturedLogs logs = CapturedLogs.of(CarbonSender.class)) {
            entrypoint.startServices(carbon);
            // the ICMP "port unreachable" of one datagram fails the socket's next write, so
            // while it is down every other send fails: still one outage, one warning, and no
            // "receives statistics again" for the sends in between
            Awaitility.await()
                    .atMost(PATIENCE)
                    .until(() -> carbon.statistic().failures.value() >= 3);
            assertEquals(1, warnings(logs), logs.events().toString());
            assertTrue(
                    !logs.contains(Level.INFO, "receives statistics again"),
                    logs.events().toString());

            try (DatagramSocket graphite =
                    new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
                graphite.setSoTimeout((int) PATIENCE.toMillis());
                byte[] buffer = new byte[65536];
                graphite.receive(new DatagramPacket(buffer, buffer.length));
                Awaitility.await().atMost(PATIENCE).until(() -> logs.contains(Level.INFO, "receives statistics again"));
                assertEquals(1, warnings(logs));
            }
            assertTrue(entrypoint.isRunning());
        }
    }

    @Test
    void aTcpGraphiteThatNeverReadsIsAbandonedAfterTheTimeoutWithoutHoldingStop(Entrypoint entrypoint)
            throws Exception {
        String id = UUID.randomUUID().toString();
        // ~10 MB of lines: more than loopback's socket buffers on both sides hold
        List<WideStatistic> wide = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            wide.add(new WideStatistic("wide-" + id + "-" + i, 1000, 200));
        }
        WeakReference<WideStatistic> first = new WeakReference<>(wide.get(0));
        List<Socket> held = new CopyOnWriteArrayList<>();
        try (ServerSocket silent = new ServerSocket()) {
            silent.setReceiveBufferSize(4096);
            silent.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Thread acceptor = Thread.ofPlatform()
                    .name("test-graphite-silent")
                    .daemon(true)
                    .start(() -> {
                        while (!silent.isClosed()) {
                            try {
                                held.add(silent.accept()); // accepted, never read
                            } catch (java.io.IOException e) {
                                return;
                            }
                        }
                    });
            CarbonSender carbon = CarbonSender.builder()
                    .port(silent.getLocalPort())
                    .protocol("tcp")
                    .interval(NEVER)
                    .timeout(Duration.ofMillis(300))
                    .build();
            long stopNanos;
            try (CapturedLogs logs = CapturedLogs.of(CarbonSender.class)) {
                entrypoint.startServices(carbon);
                try {
                    Awaitility.await()
                            .atMost(PATIENCE)
                            .until(() -> carbon.statistic().failures.value() == 1);
                    assertTrue(
                            logs.contains(Level.WARN, "write timed out after 300 ms"),
                            logs.events().toString());
                } finally {
                    long start = System.nanoTime();
                    entrypoint.stopServices(carbon);
                    stopNanos = System.nanoTime() - start;
                }
                assertEquals(2, carbon.statistic().failures.value(), "the send at stop is abandoned too");
                assertEquals(0, carbon.statistic().sends.value());
                assertTrue(held.size() >= 1);
            } finally {
                silent.close();
                assertTrue(acceptor.join(PATIENCE));
                for (Socket socket : held) {
                    socket.close();
                }
            }
            // the last send's 300 ms, not a write blocked on a full window
            assertTrue(Duration.ofNanos(stopNanos).compareTo(Duration.ofSeconds(10)) < 0, "stop took " + stopNanos);
        }
        wide.clear();
        Collect.awaitCollected(first); // later tests should not see 40,000 metrics
    }

    @Test
    void anUnresolvableHostFailsTheStartNamingItAndLeavesNothingRunning() throws Exception {
        CarbonSender carbon =
                CarbonSender.builder().host("no-such-host.invalid").build();
        Entrypoint ep = TestEntrypoints.builder().services(carbon).build();
        try {
            Exception e = assertThrows(Exception.class, ep::start);
            IllegalArgumentException cause = find(e, IllegalArgumentException.class);
            assertNotNull(cause, "an IllegalArgumentException in " + e);
            assertTrue(cause.getMessage().contains("no-such-host.invalid"), cause.getMessage());
            assertInstanceOf(java.net.UnknownHostException.class, cause.getCause());
            assertTrue(!ep.isRunning());
            assertEquals(0, carbon.statistic().sends.value());
        } finally {
            ep.close();
        }
        assertTrue(ep.isClosed());
    }

    private static <T extends Throwable> T find(Throwable error, Class<T> type) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
