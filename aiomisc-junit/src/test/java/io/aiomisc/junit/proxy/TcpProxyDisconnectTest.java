package io.aiomisc.junit.proxy;

import static io.aiomisc.junit.proxy.Wire.ascii;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiomisc.internal.Threads;
import io.aiomisc.junit.TcpProxy;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TcpProxyDisconnectTest {
    private static final Duration GENEROUS = Duration.ofSeconds(10);

    @Test
    void everyClientReadsEndOfStreamAndTheProxyKeepsAccepting() throws Exception {
        try (TestServer server = TestServer.echo();
                TcpProxy proxy = new TcpProxy("127.0.0.1", server.port()).start()) {
            List<Socket> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    Socket client = proxy.createClient();
                    clients.add(client);
                    client.setSoTimeout((int) GENEROUS.toMillis());
                    Wire.echo(client, ascii("hello"));
                }
                clients.get(0).getOutputStream().write(ascii("echo left unread"));
                assertEquals(3, proxy.clientCount());
                proxy.disconnectAll();
                assertEquals(0, proxy.clientCount(), "disconnected clients no longer count");
                for (Socket client : clients) {
                    Wire.drainToEnd(client.getInputStream()); // end-of-stream, not an exception
                }
                try (Socket fresh = proxy.createClient()) {
                    Wire.echo(fresh, ascii("still accepting"));
                    assertEquals(1, proxy.clientCount());
                }
            } finally {
                for (Socket client : clients) {
                    client.close();
                }
            }
        }
    }

    @Test
    void aClientWhoseDataTheServerNeverReadGetsEndOfStreamNotAReset() throws Exception {
        CountDownLatch serverGone = new CountDownLatch(1);
        try (TestServer server = TestServer.start(socket -> {
                    // never reads: what the client sends piles up in the buffers and the proxy
                    socket.getInputStream().skipNBytes(1);
                    serverGone.countDown();
                    socket.getInputStream().readAllBytes(); // ends when the proxy closes its side
                });
                TcpProxy proxy = new TcpProxy("127.0.0.1", server.port()).start();
                Socket client = proxy.createClient();
                ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            client.setSoTimeout((int) GENEROUS.toMillis());
            client.getOutputStream().write(1);
            assertTrue(serverGone.await(GENEROUS.toMillis(), TimeUnit.MILLISECONDS));
            int size = 4 << 20;
            Future<?> writer = executor.submit(() -> {
                OutputStream out = client.getOutputStream();
                byte[] chunk = new byte[64 * 1024];
                for (int sent = 0; sent < size; sent += chunk.length) {
                    out.write(chunk); // blocks once the buffers are full, until the proxy drains
                }
                return null;
            });
            proxy.disconnectAll();
            assertEquals(-1, client.getInputStream().read(), "end-of-stream, no reset");
            writer.get(GENEROUS.toMillis(), TimeUnit.MILLISECONDS); // drained: the writes all went
        }
    }

    @Test
    void aChunkHeldByADelayIsDroppedAndTheClientReadsEndOfStream() throws Exception {
        try (TestServer server = TestServer.recordingEcho();
                TcpProxy proxy = new TcpProxy("127.0.0.1", server.port()).start();
                Socket client = proxy.createClient()) {
            client.setSoTimeout((int) GENEROUS.toMillis());
            proxy.setDelay(Duration.ZERO, Duration.ofHours(1));
            client.getOutputStream().write(ascii("held"));
            assertArrayEquals(ascii("held"), server.received.poll(GENEROUS.toMillis(), TimeUnit.MILLISECONDS));
            proxy.disconnectAll();
            assertEquals(-1, client.getInputStream().read(), "the held echo is dropped");
        }
    }

    @Test
    void aDisconnectedClientThatKeepsItsSocketOpenIsClosedAfterTheDrain() throws Exception {
        int before = Threads.live();
        try (TestServer server = TestServer.echo();
                TcpProxy proxy = new TcpProxy("127.0.0.1", server.port()).start();
                Socket client = proxy.createClient()) {
            client.setSoTimeout((int) GENEROUS.toMillis());
            Wire.echo(client, ascii("hello"));
            proxy.disconnectAll();
            assertEquals(-1, client.getInputStream().read());
            // the client neither sends nor closes: after DRAIN_TIMEOUT only the acceptor is left
            await().atMost(TcpProxy.DRAIN_TIMEOUT.plus(GENEROUS)).until(() -> Threads.live() == before + 1);
        }
        assertEquals(before, Threads.live(), "close() left no thread behind");
    }

    @Test
    void disconnectingWhileTheTargetIsDownIsHarmless() throws Exception {
        int deadPort;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
            deadPort = probe.getLocalPort();
        }
        try (TcpProxy proxy = new TcpProxy("127.0.0.1", deadPort).start();
                Socket client = proxy.createClient()) {
            client.setSoTimeout((int) GENEROUS.toMillis());
            proxy.disconnectAll();
            proxy.disconnectAll();
            assertEquals(-1, client.getInputStream().read());
        }
    }
}
