package io.aiomisc.junit.proxy;

import static io.aiomisc.junit.proxy.Wire.ascii;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.aiomisc.junit.TcpProxy;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TcpProxyPassThroughTest {
    private static final int MEGABYTE = 1 << 20;

    @Test
    void severalMegabytesPassBothWaysUnchanged() throws Exception {
        try (TestServer server = TestServer.echo();
                TcpProxy proxy = new TcpProxy("127.0.0.1", server.port()).start();
                Socket client = proxy.createClient()) {
            byte[][] sent = echoRandom(client, 8 * MEGABYTE, 1);
            assertArrayEquals(sent[0], sent[1], "SHA-256 of what was sent and what came back");
        }
    }

    @Test
    void manyConcurrentClientsEachGetTheirOwnBytesBack() throws Exception {
        int clients = 32;
        try (TestServer server = TestServer.echo();
                TcpProxy proxy = new TcpProxy("127.0.0.1", server.port()).start();
                ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            CountDownLatch allConnected = new CountDownLatch(clients);
            CountDownLatch counted = new CountDownLatch(1);
            List<Future<byte[][]>> results = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                long seed = i;
                results.add(pool.submit(() -> {
                    try (Socket client = proxy.createClient()) {
                        Wire.echo(client, ascii("hi")); // connected through to the server
                        allConnected.countDown();
                        counted.await();
                        return echoRandom(client, MEGABYTE / 4, seed);
                    }
                }));
            }
            allConnected.await();
            assertEquals(clients, proxy.clientCount());
            counted.countDown();
            for (Future<byte[][]> result : results) {
                byte[][] digests = result.get();
                assertArrayEquals(digests[0], digests[1]);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> proxy.clientCount() == 0);
        }
    }

    @Test
    void aHalfCloseIsPassedOnAndTheServerStillReplies() throws Exception {
        try (TestServer server = TestServer.start(socket -> {
                    byte[] request = socket.getInputStream().readAllBytes(); // until the client's EOF
                    socket.getOutputStream().write(ascii("got " + request.length));
                });
                TcpProxy proxy = new TcpProxy("127.0.0.1", server.port()).start();
                Socket client = proxy.createClient()) {
            client.getOutputStream().write(ascii("hello"));
            client.shutdownOutput();
            assertArrayEquals(ascii("got 5"), client.getInputStream().readAllBytes());
        }
    }

    @Test
    void theServerClosingFirstStillLetsTheClientSendItsRest() throws Exception {
        BlockingQueue<byte[]> rest = new LinkedBlockingQueue<>();
        try (TestServer server = TestServer.start(socket -> {
                    socket.getOutputStream().write(ascii("bye"));
                    socket.shutdownOutput();
                    rest.add(socket.getInputStream().readAllBytes()); // until the client's EOF
                });
                TcpProxy proxy = new TcpProxy("127.0.0.1", server.port()).start();
                Socket client = proxy.createClient()) {
            InputStream in = client.getInputStream();
            assertArrayEquals(ascii("bye"), in.readNBytes(3));
            assertEquals(-1, in.read());
            client.getOutputStream().write(ascii("rest"));
            client.shutdownOutput();
            assertArrayEquals(ascii("rest"), rest.poll(10, TimeUnit.SECONDS));
            await().atMost(Duration.ofSeconds(10)).until(() -> proxy.clientCount() == 0);
        }
    }

    @Test
    void aClientOfAProxyWhoseTargetIsDownReadsEndOfStream() throws Exception {
        int deadPort;
        try (ServerSocket probe = new ServerSocket(0)) {
            deadPort = probe.getLocalPort(); // nothing listens there once closed
        }
        try (TcpProxy proxy = new TcpProxy("127.0.0.1", deadPort).start();
                Socket client = proxy.createClient()) {
            client.setSoTimeout(10_000);
            assertEquals(-1, client.getInputStream().read());
            await().atMost(Duration.ofSeconds(10)).until(() -> proxy.clientCount() == 0);
        }
    }

    /**
     * Sends {@code size} random bytes (seeded) through an echo server while reading the echo on
     * another thread; returns the SHA-256 of what was sent and of what came back.
     */
    static byte[][] echoRandom(Socket client, int size, long seed) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        MessageDigest sentDigest = sha256();
        Callable<byte[]> reader = () -> {
            MessageDigest digest = sha256();
            InputStream in = client.getInputStream();
            byte[] buffer = new byte[32 * 1024];
            long left = size;
            while (left > 0) {
                int count = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (count < 0) {
                    throw new IOException("end of stream with " + left + " bytes to come");
                }
                digest.update(buffer, 0, count);
                left -= count;
            }
            return digest.digest();
        };
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<byte[]> received = executor.submit(reader);
            OutputStream out = client.getOutputStream();
            byte[] chunk = new byte[48 * 1024 + 7]; // not a multiple of the proxy's chunk size
            for (int left = size; left > 0; left -= chunk.length) {
                int length = Math.min(chunk.length, left);
                random.nextBytes(chunk);
                sentDigest.update(chunk, 0, length);
                out.write(chunk, 0, length);
            }
            return new byte[][] {sentDigest.digest(), received.get()};
        }
    }

    private static MessageDigest sha256() throws NoSuchAlgorithmException {
        return MessageDigest.getInstance("SHA-256");
    }
}
