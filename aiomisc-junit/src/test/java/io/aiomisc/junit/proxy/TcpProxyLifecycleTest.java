package io.aiomisc.junit.proxy;

import static io.aiomisc.junit.proxy.Wire.ascii;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.HotSpotDiagnosticMXBean;
import io.aiomisc.internal.Threads;
import io.aiomisc.junit.TcpProxy;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TcpProxyLifecycleTest {
    private static final int GENEROUS_MILLIS = 10_000;

    @Test
    void badConstructorArgumentsAreRejectedNamingTheParameter() {
        assertEquals(
                "targetHost",
                assertThrows(NullPointerException.class, () -> new TcpProxy(null, 80))
                        .getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new TcpProxy(" ", 80))
                .getMessage()
                .contains("targetHost"));
        for (int port : new int[] {0, -1, 65536}) {
            assertTrue(assertThrows(IllegalArgumentException.class, () -> new TcpProxy("127.0.0.1", port))
                    .getMessage()
                    .contains("targetPort"));
        }
        assertEquals(
                "listenHost",
                assertThrows(NullPointerException.class, () -> new TcpProxy("127.0.0.1", 80, null))
                        .getMessage());
    }

    @Test
    void theProxyPortIsKnownBeforeStartAndBoundByIt() throws Exception {
        try (TestServer server = TestServer.echo();
                TcpProxy proxy = new TcpProxy("127.0.0.1", server.port());
                TcpProxy other = new TcpProxy("127.0.0.1", server.port())) {
            int port = proxy.proxyPort();
            assertTrue(port > 0 && port <= 65535, "port " + port);
            assertNotEquals(port, other.proxyPort(), "two proxies get two ports");
            assertThrows(ConnectException.class, () -> connect(port).close(), "nothing listens before start()");
            proxy.start();
            assertEquals(port, proxy.proxyPort());
            try (Socket client = connect(port)) {
                Wire.echo(client, ascii("plain socket to proxyPort()"));
            }
        }
    }

    @Test
    void aStartThatCannotBindThrowsAndMayBeRetried() throws Exception {
        try (TestServer server = TestServer.echo();
                TcpProxy proxy = new TcpProxy("127.0.0.1", server.port())) {
            try (ServerSocket squatter = new ServerSocket()) {
                squatter.bind(new InetSocketAddress("127.0.0.1", proxy.proxyPort()));
                IOException e = assertThrows(IOException.class, proxy::start);
                assertTrue(e.getMessage().contains(String.valueOf(proxy.proxyPort())), e.getMessage());
                assertThrows(IllegalStateException.class, proxy::createClient, "still not running");
            }
            proxy.start();
            try (Socket client = proxy.createClient()) {
                Wire.echo(client, ascii("bound at the second try"));
            }
        }
    }

    @Test
    void startTwiceOrAfterCloseAndCreateClientOutsideRunningAreIllegalStates() throws Exception {
        try (TestServer server = TestServer.echo()) {
            TcpProxy proxy = new TcpProxy("127.0.0.1", server.port());
            assertThrows(IllegalStateException.class, proxy::createClient, "before start()");
            proxy.start();
            assertThrows(IllegalStateException.class, proxy::start, "started twice");
            proxy.close();
            assertThrows(IllegalStateException.class, proxy::start, "after close()");
            assertThrows(IllegalStateException.class, proxy::createClient, "after close()");
            assertDoesNotThrow(proxy::close, "close() twice");
        }
    }

    @Test
    void aProxyClosedBeforeStartStaysUnusable() {
        TcpProxy proxy = new TcpProxy("127.0.0.1", 9);
        proxy.close();
        proxy.close();
        assertThrows(IllegalStateException.class, proxy::start);
        assertEquals(0, proxy.clientCount());
    }

    @Test
    void closeEndsEveryConnectionAndWaitsForEveryThread(@TempDir Path directory) throws Exception {
        int before = Threads.live();
        List<Socket> clients = new ArrayList<>();
        CountDownLatch release = new CountDownLatch(1);
        BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
        try (TestServer server = TestServer.start(socket -> {
            byte[] buffer = new byte[1024];
            int count;
            while ((count = socket.getInputStream().read(buffer)) >= 0) {
                received.add(Arrays.copyOf(buffer, count));
                socket.getOutputStream().write(buffer, 0, count);
            }
            release.await(); // after the client's EOF the server keeps its side open
        })) {
            TcpProxy proxy = new TcpProxy("127.0.0.1", server.port()).start();
            try {
                for (int i = 0; i < 4; i++) {
                    Socket client = proxy.createClient();
                    clients.add(client);
                    client.setSoTimeout(GENEROUS_MILLIS);
                    Wire.echo(client, ascii("hello"));
                }
                clients.get(1).shutdownOutput(); // half-closed: its read thread ends, its write thread not
                int acceptor = 1;
                int perClient = 2;
                Awaitility.await().until(() -> Threads.live() == before + acceptor + perClient * 4 - 1);
                proxy.disconnectAll(); // the clients now drain: three threads each
                try (Socket late = proxy.createClient()) {
                    Wire.echo(late, ascii("one more")); // connected when close() comes
                    clients.add(late);
                    received.clear();
                    proxy.setDelay(Duration.ZERO, Duration.ofHours(1));
                    late.getOutputStream().write(ascii("held"));
                    assertArrayEquals(ascii("held"), received.poll(GENEROUS_MILLIS, TimeUnit.MILLISECONDS));
                    // its echo now waits in the proxy for an hour
                    assertTrue(Threads.live() > before);
                    proxy.close();
                    assertEquals(before, Threads.live(), "close() returned before a thread of the proxy ended");
                    assertFalse(proxyThreadsInDump(directory.resolve("after.json"), proxy.proxyPort()));
                    assertEquals(-1, late.getInputStream().read(), "the connected client reads end-of-stream");
                }
            } finally {
                proxy.close();
                release.countDown();
                for (Socket client : clients) {
                    client.close();
                }
            }
        }
    }

    @Test
    void aThreadDumpShowsTheProxysThreadsWhileItRuns(@TempDir Path directory) throws Exception {
        // shows that the dump in closeEndsEveryConnectionAndWaitsForEveryThread would see them
        try (TestServer server = TestServer.echo();
                TcpProxy proxy = new TcpProxy("127.0.0.1", server.port()).start();
                Socket client = proxy.createClient()) {
            Wire.echo(client, ascii("hello"));
            assertTrue(proxyThreadsInDump(directory.resolve("running.json"), proxy.proxyPort()));
        }
    }

    @Test
    void anInterruptedCloseStillClosesTheSocketsAndKeepsTheInterrupt() throws Exception {
        int before = Threads.live();
        try (TestServer server = TestServer.echo();
                TcpProxy proxy = new TcpProxy("127.0.0.1", server.port()).start();
                Socket client = proxy.createClient()) {
            client.setSoTimeout(GENEROUS_MILLIS);
            Wire.echo(client, ascii("hello"));
            Thread.currentThread().interrupt();
            try {
                proxy.close(); // does not wait for the threads
            } finally {
                assertTrue(Thread.interrupted(), "the interrupt status is kept (and cleared here)");
            }
            assertEquals(-1, client.getInputStream().read(), "the socket was closed regardless");
            Awaitility.await().until(() -> Threads.live() == before); // the threads end by themselves
            assertThrows(IllegalStateException.class, proxy::createClient);
        }
    }

    private static Socket connect(int port) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress("127.0.0.1", port), GENEROUS_MILLIS);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        return socket;
    }

    /** Whether a JSON thread dump (virtual threads included) shows a thread of the proxy. */
    private static boolean proxyThreadsInDump(Path file, int port) throws IOException {
        ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                .dumpThreads(file.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
        return Files.readString(file).contains("\"aiomisc-tcp-proxy-" + port);
    }
}
