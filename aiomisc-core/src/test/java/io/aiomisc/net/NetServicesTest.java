package io.aiomisc.net;

import static io.aiomisc.testing.TestEntrypoints.builder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.aiomisc.Entrypoint;
import io.aiomisc.internal.TaskLauncher;
import io.aiomisc.task.Task;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** TCP and UDP servers and clients on loopback, each test bounded in time. */
class NetServicesTest {

    /** The manual's echo server: echoes every line. */
    static class EchoServer extends TcpServer {
        EchoServer(String address, int port) {
            super(address, port);
        }

        EchoServer(String address, int port, Duration stopTimeout) {
            super(address, port, stopTimeout);
        }

        @Override
        protected void handleClient(StreamReader reader, StreamWriter writer) throws IOException {
            for (byte[] line = reader.readLine(); line.length > 0; line = reader.readLine()) {
                writer.write(line);
            }
        }
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String exchange(InetSocketAddress address, String line) throws IOException {
        try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
            socket.getOutputStream().write(bytes(line));
            return new String(new StreamReader(socket.getInputStream()).readLine(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void echoOverTcp() throws Exception {
        EchoServer server = new EchoServer("127.0.0.1", 0);
        try (Entrypoint ep = builder().services(server).start()) {
            assertTrue(server.localAddress().getPort() > 0);
            assertEquals("hello world\n", exchange(server.localAddress(), "hello world\n"));
        }
    }

    @Test
    void aThousandConcurrentConnections() throws Exception {
        EchoServer server = new EchoServer("127.0.0.1", 0);
        try (Entrypoint ep = builder().services(server).start()) {
            InetSocketAddress address = server.localAddress();
            CountDownLatch allConnected = new CountDownLatch(1000);
            List<Task<String>> clients = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                String line = "client " + i + "\n";
                clients.add(TaskLauncher.startDetached(() -> {
                    try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
                        allConnected.countDown();
                        allConnected.await(); // all 1000 are connected at once
                        socket.getOutputStream().write(bytes(line));
                        return new String(new StreamReader(socket.getInputStream()).readLine(), StandardCharsets.UTF_8);
                    }
                }));
            }
            for (int i = 0; i < clients.size(); i++) {
                assertEquals("client " + i + "\n", clients.get(i).await(Duration.ofSeconds(30)));
            }
        }
    }

    @Test
    void acceptedConnectionsHaveTcpNoDelay() throws Exception {
        AtomicReference<Boolean> noDelay = new AtomicReference<>();
        TcpServer server = new TcpServer("127.0.0.1", 0) {
            @Override
            protected void handleClient(StreamReader reader, StreamWriter writer) throws IOException {
                noDelay.set(writer.getOption(StandardSocketOptions.TCP_NODELAY));
                writer.write(bytes("ok\n"));
            }
        };
        try (Entrypoint ep = builder().services(server).start();
                Socket socket = new Socket(
                        server.localAddress().getAddress(),
                        server.localAddress().getPort())) {
            new StreamReader(socket.getInputStream()).readLine();
            assertEquals(Boolean.TRUE, noDelay.get());
        }
    }

    @Test
    void stopIsNotHeldOpenByIdleClients() throws Exception {
        EchoServer server = new EchoServer("127.0.0.1", 0);
        Entrypoint ep = builder().services(server).start();
        List<Socket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                idle.add(new Socket(
                        server.localAddress().getAddress(),
                        server.localAddress().getPort()));
            }
            Awaitility.await().until(() -> server.connections() == 20);
            long started = System.nanoTime();
            ep.close();
            assertTrue(
                    System.nanoTime() - started < Duration.ofSeconds(3).toNanos(), "well under the 5 s stop timeout");
            assertEquals(0, server.connections());
            for (Socket socket : idle) {
                assertEquals(-1, socket.getInputStream().read(), "the server closed the connection");
            }
        } finally {
            for (Socket socket : idle) {
                socket.close();
            }
        }
    }

    @Test
    void aHandlerThatIgnoresTheStopIsInterruptedAfterTheStopTimeout() throws Exception {
        CountDownLatch handling = new CountDownLatch(1);
        AtomicInteger interrupted = new AtomicInteger();
        TcpServer stubborn = new TcpServer("127.0.0.1", 0, Duration.ofMillis(200)) {
            @Override
            protected void handleClient(StreamReader reader, StreamWriter writer) {
                handling.countDown();
                try {
                    new CountDownLatch(1).await();
                } catch (InterruptedException e) {
                    interrupted.incrementAndGet();
                }
            }
        };
        Entrypoint ep = builder().services(stubborn).start();
        try (Socket socket = new Socket(
                stubborn.localAddress().getAddress(), stubborn.localAddress().getPort())) {
            handling.await();
            ep.close();
            assertEquals(1, interrupted.get());
        }
    }

    @Test
    void aFailingHandlerIsLoggedAndTheServerGoesOn() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        TcpServer server = new TcpServer("127.0.0.1", 0) {
            @Override
            protected void handleClient(StreamReader reader, StreamWriter writer) throws IOException {
                if (calls.incrementAndGet() == 1) {
                    throw new IllegalStateException("handler bug");
                }
                writer.write(bytes("second\n"));
            }
        };
        try (io.aiomisc.testing.CapturedLogs logs = io.aiomisc.testing.CapturedLogs.of(TcpServer.class);
                Entrypoint ep = builder().services(server).start()) {
            try (Socket first = new Socket(
                    server.localAddress().getAddress(), server.localAddress().getPort())) {
                assertEquals(-1, first.getInputStream().read());
            }
            assertEquals("second\n", exchange(server.localAddress(), ""));
            // the connection is closed before the failure is logged: wait for the log
            Awaitility.await()
                    .until(() -> logs.contains(ch.qos.logback.classic.Level.ERROR, "Error when handling client"));
        }
    }

    @Test
    void ipv6LoopbackWhereAvailable() throws Exception {
        boolean available;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("::1"))) {
            available = true;
        } catch (IOException e) {
            available = false;
        }
        assumeTrue(available, "this machine has no IPv6 loopback");
        EchoServer server = new EchoServer("::1", 0);
        try (Entrypoint ep = builder().services(server).start()) {
            assertEquals("v6\n", exchange(server.localAddress(), "v6\n"));
        }
    }

    @Test
    void udpEcho() throws Exception {
        UdpServer server = new UdpServer("127.0.0.1", 0) {
            @Override
            protected void handleDatagram(byte[] data, InetSocketAddress from) throws IOException {
                sendTo(data, from);
            }
        };
        try (Entrypoint ep = builder().services(server).start();
                DatagramSocket client = new DatagramSocket()) {
            client.setSoTimeout(10_000);
            byte[] payload = bytes("ping");
            client.send(new DatagramPacket(payload, payload.length, server.localAddress()));
            DatagramPacket answer = new DatagramPacket(new byte[100], 100);
            client.receive(answer);
            assertEquals("ping", new String(answer.getData(), 0, answer.getLength(), StandardCharsets.UTF_8));
        }
        assertThrows(
                IllegalStateException.class, () -> server.sendTo(new byte[1], new InetSocketAddress("127.0.0.1", 9)));
    }

    /** Reads lines until the end and counts connections. */
    static class LineClient extends RobustTcpClient {
        final AtomicInteger connected = new AtomicInteger();
        final List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        volatile boolean failOnFirst;

        LineClient(InetSocketAddress address, ReconnectPolicy policy) {
            super(address.getAddress().getHostAddress(), address.getPort(), policy);
        }

        @Override
        protected void handleConnection(StreamReader reader, StreamWriter writer) throws IOException {
            int number = connected.incrementAndGet();
            writer.write(bytes("hello " + number + "\n"));
            if (failOnFirst && number == 1) {
                throw new IOException("handler failed on purpose");
            }
            for (byte[] line = reader.readLine(); line.length > 0; line = reader.readLine()) {
                lines.add(new String(line, StandardCharsets.UTF_8));
            }
        }
    }

    private static final ReconnectPolicy FAST =
            ReconnectPolicy.defaults().withMinDelay(Duration.ofMillis(20)).withMaxDelay(Duration.ofMillis(200));

    @Test
    void robustClientReconnectsAfterTheServerRestarts() throws Exception {
        EchoServer first = new EchoServer("127.0.0.1", 0);
        try (Entrypoint server = builder().services(first).start()) {
            InetSocketAddress address = first.localAddress();
            LineClient client = new LineClient(address, FAST);
            try (Entrypoint clients = builder().services(client).start()) {
                Awaitility.await().until(() -> client.lines.contains("hello 1\n"));
                server.stopServices(first);
                EchoServer second = new EchoServer("127.0.0.1", address.getPort());
                server.startServices(second);
                Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> client.lines.contains("hello 2\n"));
                assertTrue(client.connections() >= 2);
            }
        }
    }

    @Test
    void robustClientReconnectsAfterItsHandlerThrows() throws Exception {
        EchoServer server = new EchoServer("127.0.0.1", 0);
        try (Entrypoint ep = builder().services(server).start()) {
            LineClient client = new LineClient(server.localAddress(), FAST);
            client.failOnFirst = true;
            try (Entrypoint clients = builder().services(client).start()) {
                Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> client.lines.contains("hello 2\n"));
            }
        }
    }

    @Test
    void robustClientWithAStartTimeoutFailsToStartWhenNothingListens() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        LineClient client = new LineClient(
                new InetSocketAddress("127.0.0.1", closedPort), FAST.withStartTimeout(Duration.ofMillis(300)));
        long started = System.nanoTime();
        TimeoutException thrown = assertThrows(
                TimeoutException.class, () -> builder().services(client).start());
        assertTrue(thrown.getMessage().contains(Integer.toString(closedPort)), thrown.getMessage());
        assertTrue(System.nanoTime() - started < Duration.ofSeconds(10).toNanos());
    }

    @Test
    void robustClientWaitsForTheFirstConnectionAndRetriesWhileRefused() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        LineClient client = new LineClient(new InetSocketAddress("127.0.0.1", port), FAST);
        Task<Entrypoint> starting =
                TaskLauncher.startDetached(() -> builder().services(client).start());
        Awaitility.await().pollDelay(Duration.ofMillis(100)).until(() -> !starting.isDone());
        EchoServer late = new EchoServer("127.0.0.1", port);
        try (Entrypoint server = builder().services(late).start();
                Entrypoint clients = starting.await(Duration.ofSeconds(20))) {
            Awaitility.await().until(() -> client.lines.contains("hello 1\n"));
        }
    }

    @Test
    void tcpClientTalksOnceAndFailsToStartWhenRefused() throws Exception {
        EchoServer server = new EchoServer("127.0.0.1", 0);
        List<String> answers = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (Entrypoint ep = builder().services(server).start()) {
            TcpClient client = new TcpClient("127.0.0.1", server.localAddress().getPort()) {
                @Override
                protected void handleConnection(StreamReader reader, StreamWriter writer) throws IOException {
                    writer.write(bytes("once\n"));
                    answers.add(new String(reader.readLine(), StandardCharsets.UTF_8));
                }
            };
            try (Entrypoint clients = builder().services(client).start()) {
                Awaitility.await().until(() -> answers.contains("once\n"));
            }
        }
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        TcpClient refused = new TcpClient("127.0.0.1", closedPort, 1, Duration.ZERO) {
            @Override
            protected void handleConnection(StreamReader reader, StreamWriter writer) {}
        };
        ConnectException thrown = assertThrows(
                ConnectException.class, () -> builder().services(refused).start());
        assertTrue(thrown.getMessage().contains("127.0.0.1:" + closedPort), thrown.getMessage());
    }

    @Test
    void portOutOfRangeIsRejectedAtConstruction() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new EchoServer("127.0.0.1", 65536))
                .getMessage()
                .contains("65536"));
        assertThrows(IllegalArgumentException.class, () -> new EchoServer("127.0.0.1", -1));
        assertThrows(IllegalArgumentException.class, () -> new UdpServer("127.0.0.1", 70000) {
            @Override
            protected void handleDatagram(byte[] data, InetSocketAddress from) {}
        });
        assertThrows(IllegalArgumentException.class, () -> FAST.withJitter(2));
        assertThrows(IllegalArgumentException.class, () -> FAST.withStartTimeout(Duration.ZERO));
        assertThrows(NullPointerException.class, () -> new EchoServer(null, 0));
    }

    @Test
    void anUnresolvableAddressFailsTheStartNamingTheHost() {
        EchoServer server = new EchoServer("no-such-host.invalid", 0);
        UnknownHostException thrown = assertThrows(
                UnknownHostException.class, () -> builder().services(server).start());
        assertTrue(thrown.getMessage().contains("no-such-host.invalid"), thrown.getMessage());
    }

    @Test
    void aPortInUseFailsTheStartAndLeavesNothingBound() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            EchoServer server = new EchoServer("127.0.0.1", taken.getLocalPort());
            BindException thrown = assertThrows(
                    BindException.class, () -> builder().services(server).start());
            assertTrue(thrown.getMessage().contains(Integer.toString(taken.getLocalPort())), thrown.getMessage());
            assertThrows(IllegalStateException.class, server::localAddress);
        }
    }

    @Test
    void bindSocketBindsAnEphemeralPortWithReuseFlags() throws Exception {
        try (ServerSocket socket =
                Sockets.bindSocket("127.0.0.1", 0, SocketOptionValue.of(StandardSocketOptions.SO_RCVBUF, 65536))) {
            assertTrue(socket.getLocalPort() > 0);
            assertTrue(socket.getReuseAddress());
            try (ServerSocket shared = Sockets.bindSocket("127.0.0.1", socket.getLocalPort())) {
                assertEquals(
                        socket.getLocalPort(),
                        shared.getLocalPort(),
                        "SO_REUSEPORT lets a second socket share the port");
            }
            assertThrows(BindException.class, () -> Sockets.bindSocket("127.0.0.1", socket.getLocalPort(), false));
        }
        try (ServerSocket dual = Sockets.bindSocket("::", 0)) {
            try (Socket v4 = new Socket("127.0.0.1", dual.getLocalPort());
                    Socket accepted = dual.accept()) {
                assertTrue(accepted.isConnected(), "the IPv6 wildcard accepts IPv4 too");
            }
        } catch (IOException noIpv6) {
            assumeTrue(false, "no IPv6 here: " + noIpv6);
        }
    }

    @Test
    void lambdaFactoriesMakeServersAndClientsAndRejectANullHandler() throws Exception {
        TcpServer server = TcpServer.create("127.0.0.1", 0, (reader, writer) -> writer.write(reader.readLine()));
        UdpServer udp = UdpServer.create("127.0.0.1", 0, (data, from, self) -> self.sendTo(data, from));
        assertEquals("TcpServer", server.name());
        try (Entrypoint ep = builder().services(server, udp).start()) {
            List<String> answers = new java.util.concurrent.CopyOnWriteArrayList<>();
            ConnectionHandler ask = (reader, writer) -> {
                writer.write(bytes("lambda\n"));
                answers.add(new String(reader.readLine(), StandardCharsets.UTF_8));
            };
            InetSocketAddress at = server.localAddress();
            TcpClient once = TcpClient.create("127.0.0.1", at.getPort(), ask);
            RobustTcpClient robust = RobustTcpClient.create("127.0.0.1", at.getPort(), FAST, ask);
            try (Entrypoint clients = builder().services(once, robust).start()) {
                Awaitility.await().until(() -> answers.size() >= 3);
            }
            assertEquals("lambda\n", answers.get(0));
            try (DatagramSocket client = new DatagramSocket()) {
                client.setSoTimeout(10_000);
                client.send(new DatagramPacket(bytes("u"), 1, udp.localAddress()));
                DatagramPacket answer = new DatagramPacket(new byte[10], 10);
                client.receive(answer);
                assertEquals(1, answer.getLength());
            }
        }
        for (org.junit.jupiter.api.function.Executable nullHandler : List.<org.junit.jupiter.api.function.Executable>of(
                () -> TcpServer.create("127.0.0.1", 0, null),
                () -> TcpClient.create("127.0.0.1", 1, null),
                () -> RobustTcpClient.create("127.0.0.1", 1, FAST, null),
                () -> UdpServer.create("127.0.0.1", 0, null),
                () -> TlsServer.create("127.0.0.1", 0, TlsConfig.builder().build(), null),
                () -> TlsClient.create("127.0.0.1", 1, TlsConfig.builder().build(), null),
                () -> RobustTlsClient.create("127.0.0.1", 1, TlsConfig.builder().build(), FAST, null))) {
            assertEquals(
                    "handler",
                    assertThrows(NullPointerException.class, nullHandler).getMessage());
        }
    }

    @Test
    void aPeerResettingTheConnectionIsLoggedAtDebugNotAsAnError() throws Exception {
        EchoServer server = new EchoServer("127.0.0.1", 0);
        try (io.aiomisc.testing.CapturedLogs logs =
                        io.aiomisc.testing.CapturedLogs.of(TcpServer.class, ch.qos.logback.classic.Level.DEBUG);
                Entrypoint ep = builder().services(server).start()) {
            try (Socket socket = new Socket(
                    server.localAddress().getAddress(), server.localAddress().getPort())) {
                socket.getOutputStream().write(bytes("one\n"));
                assertEquals(
                        "one\n",
                        new String(new StreamReader(socket.getInputStream()).readLine(), StandardCharsets.UTF_8));
                socket.getOutputStream().write(bytes("unanswered"));
                socket.setSoLinger(true, 0); // close with a reset
            }
            Awaitility.await().until(() -> logs.contains(ch.qos.logback.classic.Level.DEBUG, "lost"));
            assertTrue(
                    logs.events().stream().noneMatch(e -> e.getLevel() == ch.qos.logback.classic.Level.ERROR),
                    () -> logs.events().toString());
        }
    }

    @Test
    void theFirstConnectionsGetDedicatedPlatformThreadsTheRestVirtualOnesAllWithTheEntrypoint() throws Exception {
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        CountDownLatch bothConnected = new CountDownLatch(2);
        TcpServer server = new TcpServer("127.0.0.1", 0) {
            @Override
            protected int dedicatedThreads() {
                return 1;
            }

            @Override
            protected void handleClient(StreamReader reader, StreamWriter writer) throws Exception {
                seen.add((Thread.currentThread().isVirtual() ? "virtual" : "platform")
                        + (io.aiomisc.internal.Current.scope() != null ? "+entrypoint" : ""));
                bothConnected.countDown();
                bothConnected.await();
                writer.write(reader.readLine());
            }
        };
        try (Entrypoint ep = builder().services(server).start()) {
            InetSocketAddress at = server.localAddress();
            try (Socket first = new Socket(at.getAddress(), at.getPort())) {
                Awaitility.await().until(() -> seen.size() == 1);
                try (Socket second = new Socket(at.getAddress(), at.getPort())) {
                    Awaitility.await().until(() -> seen.size() == 2);
                    for (Socket socket : List.of(first, second)) {
                        socket.getOutputStream().write(bytes("x\n"));
                        assertEquals(
                                "x\n",
                                new String(
                                        new StreamReader(socket.getInputStream()).readLine(), StandardCharsets.UTF_8));
                    }
                }
            }
            assertEquals(List.of("platform+entrypoint", "virtual+entrypoint"), seen);
            Awaitility.await().until(() -> server.connections() == 0);
            // the dedicated thread is free again (once back in its pool): a later connection gets it
            Awaitility.await()
                    .until(() -> "y\n".equals(exchange(at, "y\n"))
                            && seen.get(seen.size() - 1).equals("platform+entrypoint"));
        }
        assertThrows(IllegalArgumentException.class, () -> builder()
                .services(new TcpServer("127.0.0.1", 0) {
                    @Override
                    protected int dedicatedThreads() {
                        return -1;
                    }

                    @Override
                    protected void handleClient(StreamReader reader, StreamWriter writer) {}
                })
                .start());
    }
}
