package io.aiomisc.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiomisc.systemd.SdNotify;
import io.aiomisc.systemd.SdWatchdogService;
import io.aiomisc.testing.JavaProcess;
import java.io.IOException;
import java.net.DatagramPacket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXDatagramSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

class SystemdExampleTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Path UNIT = Path.of("src", "main", "systemd", "aiomisc-example.service");
    /** The plugin's messages for two services, without the watchdog's pings (their number depends on timing). */
    private static final List<String> SEQUENCE = List.of(
            "STATUS=Starting 2 services",
            "STATUS=Started 2 services",
            "READY=1",
            "STATUS=Stopping 2 services",
            "STOPPING=1");

    @Test
    void theFakeSystemdReceivesStatusPingsReadyAndStoppingInOrder() throws Exception {
        List<String> received = SystemdExample.fakeSystemd(Duration.ofSeconds(1));
        assertEquals(SEQUENCE, withoutPings(received), received::toString);
        int firstPing = received.indexOf("WATCHDOG=1");
        assertTrue(firstPing >= 0, received::toString);
        // the watchdog pings once before it reports ready, so before READY=1
        assertTrue(firstPing < received.indexOf("READY=1"), received::toString);
    }

    @Test
    void theProgramPrintsTheReceivedSequenceAndEndsWithStatusZero() throws Exception {
        try (JavaProcess app = JavaProcess.start(SystemdExample.class, Map.of(), "1")) {
            assertEquals(0, app.awaitExit(WAIT), app::transcript);
            List<String> out = app.stdout();
            int header = out.indexOf("The fake systemd received, in order:");
            assertTrue(header >= 0, app::transcript);
            List<String> printed = out.subList(header + 1, out.size()).stream()
                    .map(String::strip)
                    .toList();
            assertEquals(SEQUENCE, withoutPings(printed), app::transcript);
            assertTrue(printed.contains("WATCHDOG=1"), app::transcript);
            assertTrue(app.stderr().stream().anyMatch(line -> line.contains("Worker stopped")), app::transcript);
        }
    }

    /** The unit file's mode: under a (here: the test's) notify socket until SIGTERM, as systemd stops it. */
    @Test
    void theServiceModeIsReadyUnderTheNotifySocketAndSaysStoppingOnSigterm(@TempDir Path directory) throws Exception {
        Path path = directory.resolve("notify");
        try (AFUNIXDatagramSocket systemd = AFUNIXDatagramSocket.newInstance()) {
            systemd.bind(AFUNIXSocketAddress.of(path));
            systemd.setSoTimeout((int) WAIT.toMillis()); // a missing datagram fails the test, not hangs it
            Map<String, String> environment =
                    Map.of(SdNotify.NOTIFY_SOCKET, path.toString(), SdWatchdogService.WATCHDOG_USEC, "10000000");
            try (JavaProcess app = JavaProcess.start(SystemdExample.class, environment, "--service")) {
                List<String> received = new ArrayList<>();
                receiveUntil(systemd, "READY=1", received, app);
                app.signal("TERM");
                receiveUntil(systemd, "STOPPING=1", received, app);
                assertEquals(0, app.awaitExit(WAIT), app::transcript);
                assertEquals(SEQUENCE, withoutPings(received), app::transcript);
                // WatchdogSec=10 exported and no interval given: nothing to announce
                assertFalse(received.stream().anyMatch(m -> m.startsWith("WATCHDOG_USEC=")), received::toString);
            }
        }
    }

    /** The unit file in src/main/systemd runs the mode tested above, as a Type=notify unit with the watchdog. */
    @Test
    void theUnitFileIsATypeNotifyUnitWithTheWatchdogThatRunsTheServiceMode() throws Exception {
        Map<String, List<String>> settings = new HashMap<>();
        for (String line : Files.readAllLines(UNIT)) {
            int equals = line.indexOf('=');
            if (!line.startsWith("#") && equals > 0) {
                settings.computeIfAbsent(line.substring(0, equals), key -> new ArrayList<>())
                        .add(line.substring(equals + 1));
            }
        }
        assertEquals(List.of("notify"), settings.get("Type"));
        assertEquals(List.of("main"), settings.get("NotifyAccess"));
        assertEquals(List.of("10"), settings.get("WatchdogSec"));
        assertEquals(List.of("on-failure"), settings.get("Restart"));
        assertEquals(List.of("AIOMISC_LOG_FORMAT=journald"), settings.get("Environment"));
        List<String> command = List.of(settings.get("ExecStart").getFirst().split(" "));
        assertTrue(command.getFirst().endsWith("/java"), command::toString);
        assertEquals(
                List.of(SystemdExample.class.getName(), "--service"),
                command.subList(command.size() - 2, command.size()));
    }

    /** Receives until {@code last}; a missing datagram fails with what arrived and the app's transcript. */
    private static void receiveUntil(AFUNIXDatagramSocket socket, String last, List<String> received, JavaProcess app)
            throws IOException {
        try {
            receiveUntil(socket, last, received);
        } catch (java.net.SocketTimeoutException e) {
            throw new AssertionError(
                    "no " + last + " within " + WAIT + "; received " + received + "\n" + app.transcript()
                            + "\n--- threads ---\n" + app.threadDump(),
                    e);
        }
    }

    private static void receiveUntil(AFUNIXDatagramSocket socket, String last, List<String> received)
            throws IOException {
        byte[] buffer = new byte[4096];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        String datagram;
        do {
            packet.setLength(buffer.length);
            socket.receive(packet);
            datagram = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
            received.add(datagram);
        } while (!datagram.equals(last));
    }

    private static List<String> withoutPings(List<String> messages) {
        return messages.stream().filter(m -> !m.equals("WATCHDOG=1")).toList();
    }
}
