package io.aiomisc.systemd;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiomisc.plugin.Plugins;
import io.aiomisc.testing.JavaProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code systemd_watchdog} plugin: discovered, and inert where it has nothing to report. */
class SystemdWatchdogPluginTest {
    private static final Duration PATIENCE = SystemdSequenceTest.PATIENCE;

    @Test
    void thePluginIsDiscovered() {
        assertInstanceOf(
                SystemdWatchdogPlugin.class, Plugins.loaded().get("systemd_watchdog"), Plugins.loaded()::toString);
        assertEquals("systemd_watchdog", new SystemdWatchdogPlugin().name());
    }

    @Test
    void thePluginIsDiscoveredInAChildJvm(@TempDir Path dir) throws Exception {
        try (SnReceiver receiver = SnReceiver.bind(dir.resolve("notify"));
                JavaProcess child = JavaProcess.start(
                        SnMain.class, SystemdSequenceTest.environment(receiver.address(), "200000"), "plain")) {
            String plugins = child.awaitStdout(l -> l.startsWith("SN-PLUGINS "), PATIENCE);
            assertTrue(plugins.contains("systemd_watchdog"), plugins);
            child.awaitStdout("SN-STARTED"::equals, PATIENCE);
            child.signal("TERM");
            assertEquals(0, child.awaitExit(PATIENCE), child::transcript);
        }
    }

    @Test
    void anEntrypointWithoutAWatchdogServiceSendsNothing(@TempDir Path dir) throws Exception {
        try (SnReceiver receiver = SnReceiver.bind(dir.resolve("notify"))) {
            try (JavaProcess child = JavaProcess.start(
                    SnMain.class, SystemdSequenceTest.environment(receiver.address(), "200000"), "plain")) {
                child.awaitStdout("SN-STARTED"::equals, PATIENCE);
                child.signal("TERM");
                assertEquals(0, child.awaitExit(PATIENCE), child::transcript);
                assertTrue(child.stdout().contains("SN-STOPPED"), child::transcript);
            }
            // the child has exited: whatever it sent is queued already; a bounded look
            await().during(Duration.ofMillis(300)).atMost(PATIENCE).until(() -> receiver.datagrams()
                    .isEmpty());
        }
    }

    @Test
    void withoutNotifySocketTheEntrypointRunsNormally(@TempDir Path dir) throws Exception {
        try (SnReceiver receiver = SnReceiver.bind(dir.resolve("notify"));
                JavaProcess child = JavaProcess.startAfterShell(
                        "unset NOTIFY_SOCKET",
                        SnMain.class,
                        Map.of("WATCHDOG_USEC", "200000", "JDK_JAVA_OPTIONS", "--enable-native-access=ALL-UNNAMED"),
                        "watchdog")) {
            child.awaitStdout("SN-STARTED"::equals, PATIENCE);
            child.signal("TERM");
            assertEquals(0, child.awaitExit(PATIENCE), child::transcript);
            assertTrue(child.stdout().contains("SN-STOPPED"), child::transcript);
            assertTrue(
                    child.stderr().stream().noneMatch(l -> l.contains("WARN") || l.contains("NOTIFY_SOCKET")),
                    child::transcript);
            assertTrue(receiver.datagrams().isEmpty(), receiver.datagrams()::toString);
        }
    }
}
