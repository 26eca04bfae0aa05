package io.aiomisc.net;

import static io.aiomisc.testing.TestEntrypoints.builder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.aiomisc.Entrypoint;
import io.aiomisc.testing.CapturedLogs;
import io.aiomisc.time.ManualTimeSource;
import java.io.IOException;
import java.net.ConnectException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The networking services' waits under a manual clock (no real sleeps), their log lines, and what an
 * interrupt does to each blocking method (the interrupt policy in their Javadoc).
 */
class NetTimeAndInterruptTest {
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private final ManualTimeSource time = new ManualTimeSource();

    private static int closedPort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    /** What a call on a thread of its own ended with, and whether its interrupt flag was set then. */
    private record Outcome(Throwable failure, boolean interruptFlag) {}

    private interface Blocking {
        void run() throws Exception;
    }

    private static CompletableFuture<Outcome> onThread(Thread.Builder builder, Blocking call, Thread[] thread) {
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        thread[0] = builder.start(() -> {
            Throwable failure = null;
            try {
                call.run();
            } catch (Throwable t) {
                failure = t;
            }
            outcome.complete(new Outcome(failure, Thread.currentThread().isInterrupted()));
        });
        return outcome;
    }

    private static Outcome await(CompletableFuture<Outcome> outcome) throws Exception {
        return outcome.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void delaysAreLoggedInHumanUnits() {
        assertEquals("0 ms", ReconnectPolicy.human(Duration.ZERO));
        assertEquals("250 ms", ReconnectPolicy.human(Duration.ofMillis(250)));
        assertEquals("1.5 s", ReconnectPolicy.human(Duration.ofMillis(1500)));
        assertEquals("5 s", ReconnectPolicy.human(Duration.ofSeconds(5)));
        assertEquals("2.5 min", ReconnectPolicy.human(Duration.ofSeconds(150)));
    }

    @Test
    void tcpClientWaitsBetweenConnectAttemptsOnItsTimeSource() throws Exception {
        int port = closedPort();
        TcpClient client = new TcpClient("127.0.0.1", port, 3, Duration.ofSeconds(3)) {
            @Override
            protected void handleConnection(StreamReader reader, StreamWriter writer) {}
        };
        client.setTimeSource(time);
        Thread[] thread = new Thread[1];
        CompletableFuture<Outcome> outcome =
                onThread(Thread.ofVirtual(), client::start, thread); // refused: never ready()
        for (int wait = 0; wait < 2; wait++) {
            time.awaitWaiters(1, PATIENCE);
            assertEquals(List.of(Duration.ofSeconds(3)), time.pendingDelays());
            time.advance(Duration.ofSeconds(3));
        }
        Outcome ended = await(outcome);
        assertInstanceOf(ConnectException.class, ended.failure());
        assertTrue(
                ended.failure().getMessage().contains("127.0.0.1:" + port),
                ended.failure().getMessage());
        assertEquals(Duration.ofSeconds(6), time.elapsed(), "three attempts, two waits, no real sleeping");
    }

    @Test
    void tcpClientStartInterruptedWhileWaitingToRetryThrowsInterruptedException() throws Exception {
        TcpClient client = new TcpClient("127.0.0.1", closedPort(), 5, Duration.ofSeconds(3)) {
            @Override
            protected void handleConnection(StreamReader reader, StreamWriter writer) {}
        };
        client.setTimeSource(time);
        Thread[] thread = new Thread[1];
        CompletableFuture<Outcome> outcome = onThread(Thread.ofVirtual(), client::start, thread);
        time.awaitWaiters(1, PATIENCE);
        thread[0].interrupt();
        Outcome ended = await(outcome);
        assertInstanceOf(InterruptedException.class, ended.failure());
        assertFalse(ended.interruptFlag(), "cleared, as InterruptedException's convention goes");
    }

    @Test
    void aHandlerEndedByAnInterruptEndsTheClientWithInterruptedException() throws Exception {
        CountDownLatch reading = new CountDownLatch(1);
        TcpClient client = new TcpClient("127.0.0.1", 1) {
            @Override
            protected void handleConnection(StreamReader reader, StreamWriter writer) throws IOException {
                reading.countDown();
                reader.readLine(); // the server never writes
            }
        };
        try (ServerSocket listening = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Socket[] sockets = pair(listening);
            try (Socket ours = sockets[0];
                    Socket server = sockets[1]) {
                Thread[] thread = new Thread[1];
                CompletableFuture<Outcome> outcome = onThread(Thread.ofVirtual(), () -> client.talk(ours), thread);
                reading.await();
                Awaitility.await().atMost(PATIENCE).until(() -> thread[0].getState() == Thread.State.WAITING);
                thread[0].interrupt();
                Outcome ended = await(outcome);
                assertInstanceOf(InterruptedException.class, ended.failure(), "not logged as a lost connection");
                assertInstanceOf(SocketException.class, ended.failure().getCause());
                assertFalse(ended.interruptFlag());
            }
        }
    }

    @Test
    void robustClientBacksOffOnItsTimeSourceQuietlyAndStopsOnAnInterrupt() throws Exception {
        ReconnectPolicy policy = ReconnectPolicy.defaults()
                .withMinDelay(Duration.ofSeconds(1))
                .withMaxDelay(Duration.ofSeconds(4))
                .withJitter(0);
        RobustTcpClient client = RobustTcpClient.create("127.0.0.1", closedPort(), policy, (reader, writer) -> {});
        client.setTimeSource(time);
        try (CapturedLogs logs = CapturedLogs.of(RobustTcpClient.class, Level.DEBUG)) {
            Thread[] thread = new Thread[1];
            CompletableFuture<Outcome> outcome =
                    onThread(Thread.ofVirtual(), client::start, thread); // refused: never ready()
            for (long seconds : new long[] {1, 2, 4, 4}) {
                time.awaitWaiters(1, PATIENCE);
                assertEquals(
                        List.of(Duration.ofSeconds(seconds)), time.pendingDelays(), "exponential, capped at maxDelay");
                time.advance(Duration.ofSeconds(seconds));
            }
            time.awaitWaiters(1, PATIENCE);
            thread[0].interrupt();
            Outcome ended = await(outcome);
            assertInstanceOf(InterruptedException.class, ended.failure());
            assertFalse(ended.interruptFlag());

            List<ILoggingEvent> events = logs.events();
            assertEquals(
                    1,
                    events.stream().filter(e -> e.getLevel() == Level.WARN).count(),
                    "the first failure of a streak: " + events);
            assertTrue(logs.contains(Level.WARN, "retrying in 1 s"), events.toString());
            assertTrue(logs.contains(Level.DEBUG, "retrying in 2 s"), events.toString());
            assertTrue(events.stream().noneMatch(e -> e.getLevel() == Level.INFO), events.toString());
            assertTrue(events.stream().noneMatch(e -> e.getFormattedMessage().contains("PT")), "no ISO-8601 durations");
        }
    }

    @Test
    void robustClientReconnectsAfterItsPolicyDelayOnItsTimeSourceWithOneInfoLinePerCycle() throws Exception {
        AtomicInteger accepted = new AtomicInteger();
        try (ServerSocket listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        listening.accept().close(); // every connection ends at once: the client reconnects
                        accepted.incrementAndGet();
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            ReconnectPolicy policy = ReconnectPolicy.defaults()
                    .withMinDelay(Duration.ofMillis(1500))
                    .withMultiplier(1) // the same wait each time: growth is RobustClientBackoffTest's
                    .withJitter(0);
            RobustTcpClient client = RobustTcpClient.create(
                    "127.0.0.1", listening.getLocalPort(), policy, (reader, writer) -> reader.readAll());
            client.setTimeSource(time);
            try (CapturedLogs robustLogs = CapturedLogs.of(RobustTcpClient.class);
                    CapturedLogs clientLogs = CapturedLogs.of(TcpClient.class)) {
                try (Entrypoint ep = builder().services(client).start()) {
                    time.awaitWaiters(1, PATIENCE);
                    assertEquals(List.of(Duration.ofMillis(1500)), time.pendingDelays());
                    assertEquals(1, client.connections());
                    time.advance(Duration.ofMillis(1499));
                    assertEquals(1, time.waiters(), "still waiting: the delay is on the client's time source");
                    assertEquals(1, client.connections());
                    time.advance(Duration.ofMillis(1));
                    Awaitility.await().atMost(PATIENCE).until(() -> client.connections() == 2);
                    time.awaitWaiters(1, PATIENCE);
                    time.advance(Duration.ofMillis(1500));
                    Awaitility.await().atMost(PATIENCE).until(() -> client.connections() == 3);
                    time.awaitWaiters(1, PATIENCE);
                }
                List<String> info = robustLogs.events().stream()
                        .filter(e -> e.getLevel() == Level.INFO)
                        .map(ILoggingEvent::getFormattedMessage)
                        .toList();
                String target = "tcp://127.0.0.1:" + listening.getLocalPort();
                assertEquals(
                        List.of(
                                "Connected to " + target,
                                "Connection to " + target + " ended; reconnecting in 1.5 s",
                                "Connection to " + target + " ended; reconnecting in 1.5 s",
                                "Connection to " + target + " ended; reconnecting in 1.5 s"),
                        info);
                assertEquals(
                        List.of(),
                        clientLogs.events().stream()
                                .map(ILoggingEvent::getFormattedMessage)
                                .toList(),
                        "the rest is DEBUG");
            }
            listening.close();
            acceptor.join();
        }
    }

    /** A server whose handler ignores the stop: it waits until interrupted. */
    private static TcpServer stubborn(Duration stopTimeout, CountDownLatch handling, AtomicInteger interrupted) {
        return new TcpServer("127.0.0.1", 0, stopTimeout) {
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
    }

    @Test
    void tcpServerStopWaitsItsStopTimeoutOnItsTimeSource() throws Exception {
        CountDownLatch handling = new CountDownLatch(1);
        AtomicInteger interrupted = new AtomicInteger();
        TcpServer server = stubborn(Duration.ofSeconds(30), handling, interrupted);
        server.setTimeSource(time);
        try (Entrypoint ep = builder().services(server).start();
                Socket socket = new Socket(
                        server.localAddress().getAddress(),
                        server.localAddress().getPort())) {
            handling.await();
            Thread[] thread = new Thread[1];
            CompletableFuture<Outcome> stopped = onThread(Thread.ofVirtual(), () -> server.stop(null), thread);
            time.awaitWaiters(1, PATIENCE);
            assertEquals(List.of(Duration.ofSeconds(30)), time.pendingDelays());
            assertEquals(0, interrupted.get(), "the handler has its stop timeout");
            time.advance(Duration.ofSeconds(30));
            Outcome ended = await(stopped);
            assertEquals(null, ended.failure());
            assertFalse(ended.interruptFlag());
            assertEquals(1, interrupted.get(), "interrupted once the stop timeout passed");
        }
    }

    @Test
    void tcpServerStopInterruptedInterruptsTheHandlersAtOnceAndRestoresTheFlag() throws Exception {
        CountDownLatch handling = new CountDownLatch(1);
        AtomicInteger interrupted = new AtomicInteger();
        TcpServer server = stubborn(Duration.ofHours(1), handling, interrupted);
        server.setTimeSource(time); // never advanced: only the interrupt ends the wait
        try (Entrypoint ep = builder().services(server).start();
                Socket socket = new Socket(
                        server.localAddress().getAddress(),
                        server.localAddress().getPort())) {
            handling.await();
            Thread[] thread = new Thread[1];
            CompletableFuture<Outcome> stopped = onThread(Thread.ofVirtual(), () -> server.stop(null), thread);
            time.awaitWaiters(1, PATIENCE);
            thread[0].interrupt();
            Outcome ended = await(stopped);
            assertEquals(null, ended.failure(), "stop returns normally");
            assertTrue(ended.interruptFlag(), "with the interrupt flag set again");
            assertEquals(1, interrupted.get());
        }
    }

    @Test
    void udpServerStopInterruptedInterruptsTheHandlersAtOnceAndRestoresTheFlag() throws Exception {
        CountDownLatch handling = new CountDownLatch(1);
        AtomicInteger interrupted = new AtomicInteger();
        UdpServer server = new UdpServer("127.0.0.1", 0, Duration.ofHours(1)) {
            @Override
            protected void handleDatagram(byte[] data, InetSocketAddress from) {
                handling.countDown();
                try {
                    new CountDownLatch(1).await();
                } catch (InterruptedException e) {
                    interrupted.incrementAndGet();
                }
            }
        };
        server.setTimeSource(time);
        try (Entrypoint ep = builder().services(server).start();
                DatagramSocket sender = new DatagramSocket()) {
            sender.send(new DatagramPacket(new byte[] {1}, 1, server.localAddress()));
            handling.await();
            Thread[] thread = new Thread[1];
            CompletableFuture<Outcome> stopped = onThread(Thread.ofVirtual(), () -> server.stop(null), thread);
            time.awaitWaiters(1, PATIENCE);
            assertEquals(List.of(Duration.ofHours(1)), time.pendingDelays(), "the stop timeout is on the time source");
            thread[0].interrupt();
            Outcome ended = await(stopped);
            assertEquals(null, ended.failure());
            assertTrue(ended.interruptFlag());
            assertEquals(1, interrupted.get());
        }
    }

    /** A connected pair on loopback: [client side, server side]. */
    private static Socket[] pair(ServerSocket listening) throws IOException {
        Socket client = new Socket(listening.getInetAddress(), listening.getLocalPort());
        return new Socket[] {client, listening.accept()};
    }

    @Test
    void aReadOnAVirtualThreadIsEndedByAnInterruptWhichClosesTheConnection() throws Exception {
        try (ServerSocket listening = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Socket[] sockets = pair(listening);
            try (Socket client = sockets[0];
                    Socket server = sockets[1]) {
                StreamReader reader = new StreamReader(client.getInputStream());
                Thread[] thread = new Thread[1];
                CompletableFuture<Outcome> read = onThread(Thread.ofVirtual(), () -> reader.readLine(), thread);
                Awaitility.await().atMost(PATIENCE).until(() -> thread[0].getState() == Thread.State.WAITING);
                thread[0].interrupt();
                Outcome ended = await(read);
                assertInstanceOf(SocketException.class, ended.failure());
                assertTrue(ended.interruptFlag(), "the JDK leaves the flag set");
                assertTrue(client.isClosed(), "the interrupt closed the connection");
            }
        }
    }

    @Test
    void aReadOnAPlatformThreadIgnoresAnInterruptUntilTheConnectionCloses() throws Exception {
        try (ServerSocket listening = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Socket[] sockets = pair(listening);
            try (Socket client = sockets[0];
                    Socket server = sockets[1]) {
                StreamReader reader = new StreamReader(client.getInputStream());
                Thread[] thread = new Thread[1];
                CompletableFuture<Outcome> read = onThread(Thread.ofPlatform(), () -> reader.read(10), thread);
                thread[0].interrupt();
                server.getOutputStream().write(new byte[] {'x'});
                Outcome ended = await(read);
                assertEquals(null, ended.failure(), "the read went on and returned the data: " + ended.failure());
                assertTrue(ended.interruptFlag(), "the flag is still set");
                assertFalse(client.isClosed());
            }
        }
    }

    @Test
    void aWriteBlockedOnAVirtualThreadIsEndedByAnInterruptWhichClosesTheConnection() throws Exception {
        try (ServerSocket listening = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Socket[] sockets = pair(listening);
            try (Socket client = sockets[0];
                    Socket server = sockets[1]) {
                client.setOption(StandardSocketOptions.SO_SNDBUF, 4096);
                StreamWriter writer = new StreamWriter(client);
                byte[] chunk = new byte[64 * 1024];
                Thread[] thread = new Thread[1];
                CompletableFuture<Outcome> write = onThread(
                        Thread.ofVirtual(),
                        () -> {
                            while (true) {
                                writer.write(chunk); // the peer never reads: the buffers fill and this blocks
                            }
                        },
                        thread);
                Awaitility.await().atMost(PATIENCE).until(() -> thread[0].getState() == Thread.State.WAITING);
                thread[0].interrupt();
                Outcome ended = await(write);
                assertInstanceOf(SocketException.class, ended.failure());
                assertTrue(ended.interruptFlag());
                assertTrue(client.isClosed());
            }
        }
    }
}
