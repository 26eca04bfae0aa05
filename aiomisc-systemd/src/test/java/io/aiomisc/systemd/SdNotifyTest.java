package io.aiomisc.systemd;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import io.aiomisc.testing.CapturedLogs;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link SdNotify} against datagram sockets the test binds. */
class SdNotifyTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    static String abstractName() {
        return "aiomisc-sn-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID();
    }

    @Test
    void sendsSeveralLinesAsOneDatagramToAPath(@TempDir Path dir) throws Exception {
        try (SnReceiver receiver = SnReceiver.bind(dir.resolve("notify"));
                SdNotify notify = SdNotify.connect(receiver.address())) {
            assertEquals(receiver.address(), notify.address());
            notify.send("READY=1", "STATUS=Serving requests", "MAINPID=42");
            notify.send("WATCHDOG=1");
            await().atMost(PATIENCE).until(() -> receiver.datagrams().size() == 2);
            assertEquals(List.of("READY=1\nSTATUS=Serving requests\nMAINPID=42", "WATCHDOG=1"), receiver.datagrams());
        }
    }

    @Test
    void sendsToAnAbstractNamespaceAddress() throws Exception {
        try (SnReceiver receiver = SnReceiver.bindAbstract(abstractName());
                SdNotify notify = SdNotify.connect(receiver.address())) {
            assertTrue(notify.address().startsWith("@"), notify.address());
            notify.send("STATUS=abstract", "READY=1");
            await().atMost(PATIENCE).until(() -> receiver.datagrams().size() == 1);
            assertEquals(List.of("STATUS=abstract\nREADY=1"), receiver.datagrams());
        }
    }

    @Test
    void connectingWhereNothingListensNamesThePath(@TempDir Path dir) {
        String missing = dir.resolve("nobody-here").toString();
        IOException e = assertThrows(IOException.class, () -> SdNotify.connect(missing));
        assertTrue(e.getMessage().contains(missing), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"relative/path", "", "@", "notify"})
    void malformedAddressesAreRejectedNamingTheValue(String address) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SdNotify.connect(address));
        assertTrue(e.getMessage().contains("'" + address + "'"), e.getMessage());
    }

    @Test
    void aNullAddressIsRejected() {
        assertThrows(NullPointerException.class, () -> SdNotify.connect(null));
    }

    @Test
    void badLinesAreRejectedAndNothingIsSent(@TempDir Path dir) throws Exception {
        try (SnReceiver receiver = SnReceiver.bind(dir.resolve("notify"));
                SdNotify notify = SdNotify.connect(receiver.address())) {
            IllegalArgumentException none = assertThrows(IllegalArgumentException.class, notify::send);
            assertTrue(none.getMessage().contains("at least one"), none.getMessage());
            IllegalArgumentException newline =
                    assertThrows(IllegalArgumentException.class, () -> notify.send("READY=1", "STATUS=a\nb"));
            assertTrue(newline.getMessage().contains("STATUS=a\nb"), newline.getMessage());
            IllegalArgumentException noEquals =
                    assertThrows(IllegalArgumentException.class, () -> notify.send("READY"));
            assertTrue(noEquals.getMessage().contains("'READY'"), noEquals.getMessage());
            IllegalArgumentException noKey = assertThrows(IllegalArgumentException.class, () -> notify.send("=1"));
            assertTrue(noKey.getMessage().contains("'=1'"), noKey.getMessage());
            assertThrows(NullPointerException.class, () -> notify.send((String[]) null));
            assertThrows(NullPointerException.class, () -> notify.send("READY=1", null));

            // the receiver proves nothing went out: the next datagram is the first one
            notify.send("STATUS=marker");
            await().atMost(PATIENCE).until(() -> !receiver.datagrams().isEmpty());
            assertEquals(List.of("STATUS=marker"), receiver.datagrams());
        }
    }

    @Test
    void sendAfterCloseIsAnIllegalStateAndCloseIsIdempotent(@TempDir Path dir) throws Exception {
        try (SnReceiver receiver = SnReceiver.bind(dir.resolve("notify"))) {
            SdNotify notify = SdNotify.connect(receiver.address());
            notify.close();
            notify.close();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> notify.send("READY=1"));
            assertTrue(e.getMessage().contains(receiver.address()), e.getMessage());
        }
    }

    @Test
    void sendingToASocketThatWentAwayNamesTheAddress(@TempDir Path dir) throws Exception {
        SnReceiver receiver = SnReceiver.bind(dir.resolve("notify"));
        try (SdNotify notify = SdNotify.connect(receiver.address())) {
            receiver.close();
            IOException e = assertThrows(IOException.class, () -> notify.send("WATCHDOG=1"));
            assertTrue(e.getMessage().contains(receiver.address()), e.getMessage());
        }
    }

    @Test
    void concurrentSendsArriveWhole(@TempDir Path dir) throws Exception {
        int threads = 16;
        int perThread = 50;
        // long lines: an interleaving of two sends would show as a mixed datagram
        String padding = "x".repeat(2000);
        try (SnReceiver receiver = SnReceiver.bind(dir.resolve("notify"));
                SdNotify notify = SdNotify.connect(receiver.address());
                ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> sends = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                sends.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < perThread; i++) {
                        notify.send("STATUS=" + thread + "-" + i, "PAD=" + padding, "END=" + thread + "-" + i);
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> send : sends) {
                send.get();
            }
            await().atMost(PATIENCE).until(() -> receiver.datagrams().size() == threads * perThread);
            Set<String> seen = new HashSet<>();
            for (String datagram : receiver.datagrams()) {
                String[] lines = datagram.split("\n", -1);
                assertEquals(3, lines.length, datagram);
                String id = lines[0].substring("STATUS=".length());
                assertEquals("PAD=" + padding, lines[1]);
                assertEquals("END=" + id, lines[2]);
                assertTrue(seen.add(id), "twice: " + id);
            }
            assertEquals(threads * perThread, seen.size());
        }
    }

    @Test
    void noNotifySocketInTheEnvironmentIsEmpty() {
        try (CapturedLogs logs = CapturedLogs.of(SdNotify.class, Level.DEBUG)) {
            assertTrue(SdNotify.fromEnvironment(Map.of()).isEmpty());
            assertTrue(SdNotify.fromEnvironment(Map.of("NOTIFY_SOCKET", "")).isEmpty());
            assertTrue(logs.events().stream().noneMatch(e -> e.getLevel() == Level.WARN), logs.events()::toString);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"relative/path", "@", "/nonexistent-dir-aiomisc/notify"})
    void aMalformedOrUnreachableNotifySocketIsEmptyWithAWarning(String value) {
        try (CapturedLogs logs = CapturedLogs.of(SdNotify.class)) {
            assertTrue(SdNotify.fromEnvironment(Map.of("NOTIFY_SOCKET", value)).isEmpty());
            assertTrue(logs.contains(Level.WARN, "NOTIFY_SOCKET=" + value), logs.events()::toString);
        }
    }

    @Test
    void theEnvironmentsSocketIsConnected(@TempDir Path dir) throws Exception {
        try (SnReceiver receiver = SnReceiver.bind(dir.resolve("notify"));
                SdNotify notify = SdNotify.fromEnvironment(Map.of("NOTIFY_SOCKET", receiver.address()))
                        .orElseThrow()) {
            notify.send("READY=1");
            await().atMost(PATIENCE).until(() -> receiver.count("READY=1") == 1);
        }
    }
}
