package io.aiomisc.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.aiomisc.testing.JavaProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Defect 1 of issue 11: running out of descriptors must not switch the TCP server off for good. */
class AcceptUnderDescriptorExhaustionTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    @Test
    @Timeout(120)
    void theServerServesAgainOnceIdleClientsHaveReleasedTheirDescriptors() throws Exception {
        try (JavaProcess child = JavaProcess.startAfterShell("ulimit -n 128", EchoServerMain.class, Map.of())) {
            String portLine = child.awaitStdout(line -> line.startsWith("PORT "), PATIENCE);
            int port = Integer.parseInt(portLine.substring("PORT ".length()).trim());
            InetAddress loopback = InetAddress.getByName("127.0.0.1");
            List<Socket> idle = new ArrayList<>();
            try {
                for (int i = 0; i < 200; i++) { // more than the child's 128 descriptors: the backlog holds the rest
                    idle.add(new Socket(loopback, port));
                }
                // the server has run out of descriptors (before the fix it then closed its listener)
                Awaitility.await("the child's log mentions the exhaustion")
                        .atMost(PATIENCE)
                        .until(() -> child.transcript().contains("Too many open files"));
            } catch (IOException e) {
                throw new AssertionError("connecting failed: " + e + "\n" + child.transcript(), e);
            } finally {
                for (Socket socket : idle) {
                    socket.close();
                }
            }
            try (Socket fresh = new Socket(loopback, port)) {
                fresh.setSoTimeout((int) PATIENCE.toMillis());
                fresh.getOutputStream().write("still there?\n".getBytes(StandardCharsets.UTF_8));
                byte[] answer = new StreamReader(fresh.getInputStream()).readLine();
                assertEquals("still there?\n", new String(answer, StandardCharsets.UTF_8), child.transcript());
            } catch (IOException e) {
                throw new AssertionError("the server does not serve again: " + e + "\n" + child.transcript(), e);
            }
        }
    }
}
