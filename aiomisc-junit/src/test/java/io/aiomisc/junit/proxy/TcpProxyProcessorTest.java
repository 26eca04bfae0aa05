package io.aiomisc.junit.proxy;

import static io.aiomisc.junit.proxy.Wire.ascii;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiomisc.junit.TcpProxy;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TcpProxyProcessorTest {
    private static final Duration GENEROUS = Duration.ofSeconds(10);
    private static final UnaryOperator<byte[]> UPPERCASE = chunk -> new String(chunk, StandardCharsets.US_ASCII)
            .toUpperCase(Locale.ROOT)
            .getBytes(StandardCharsets.US_ASCII);
    private static final UnaryOperator<byte[]> REVERSE = chunk -> {
        byte[] reversed = new byte[chunk.length];
        for (int i = 0; i < chunk.length; i++) {
            reversed[i] = chunk[chunk.length - 1 - i];
        }
        return reversed;
    };

    private TestServer server;
    private TcpProxy proxy;
    private Socket client;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.recordingEcho();
        proxy = new TcpProxy("127.0.0.1", server.port()).start();
        client = proxy.createClient();
        client.setSoTimeout((int) GENEROUS.toMillis());
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        proxy.close();
        server.close();
    }

    @Test
    void theReadProcessorRewritesWhatTheServerGetsAndTheWriteProcessorWhatTheClientGets() throws Exception {
        proxy.setContentProcessors(UPPERCASE, REVERSE);
        client.getOutputStream().write(ascii("abc"));
        assertArrayEquals(ascii("ABC"), receivedByServer());
        assertArrayEquals(ascii("CBA"), client.getInputStream().readNBytes(3));
    }

    @Test
    void aProcessorMayChangeTheLength() throws Exception {
        proxy.setContentProcessors(chunk -> Arrays.copyOf(chunk, chunk.length * 2), null);
        client.getOutputStream().write(ascii("ab"));
        assertArrayEquals(new byte[] {'a', 'b', 0, 0}, client.getInputStream().readNBytes(4));
    }

    @Test
    void nullProcessorsPassBytesUnchangedOnAConnectionThatHadProcessors() throws Exception {
        proxy.setContentProcessors(UPPERCASE, UPPERCASE);
        client.getOutputStream().write(ascii("x"));
        assertArrayEquals(ascii("X"), client.getInputStream().readNBytes(1));
        proxy.setContentProcessors(null, null);
        Wire.echo(client, ascii("lower"));
    }

    @Test
    void anEmptyArrayDropsTheChunk() throws Exception {
        dropsChunksReturning(new byte[0]);
    }

    @Test
    void nullDropsTheChunk() throws Exception {
        dropsChunksReturning(null);
    }

    private void dropsChunksReturning(byte[] dropped) throws Exception {
        CountDownLatch droppedOne = new CountDownLatch(1);
        proxy.setContentProcessors(
                chunk -> {
                    if (new String(chunk, StandardCharsets.US_ASCII).contains("drop")) {
                        droppedOne.countDown();
                        return dropped;
                    }
                    return chunk;
                },
                null);
        client.getOutputStream().write(ascii("drop"));
        assertTrue(droppedOne.await(GENEROUS.toMillis(), TimeUnit.MILLISECONDS), "the processor saw the chunk");
        Wire.echo(client, ascii("keep")); // the dropped chunk would have come back first
        assertArrayEquals(ascii("keep"), receivedByServer());
        assertEquals(0, server.received.size(), "nothing else reached the server");
    }

    @Test
    void aProcessorThatThrowsClosesItsConnectionOnlyAndOthersKeepWorking() throws Exception {
        proxy.setContentProcessors(
                chunk -> {
                    if (new String(chunk, StandardCharsets.US_ASCII).contains("boom")) {
                        throw new IllegalStateException("processor failed on purpose");
                    }
                    return chunk;
                },
                null);
        try (Socket other = proxy.createClient()) {
            Wire.echo(other, ascii("before"));
            client.getOutputStream().write(ascii("boom"));
            assertEquals(-1, client.getInputStream().read(), "the failed connection ends");
            await().atMost(GENEROUS).until(() -> proxy.clientCount() == 1);
            Wire.echo(other, ascii("after"));
            try (Socket fresh = proxy.createClient()) {
                Wire.echo(fresh, ascii("new"));
            }
        }
    }

    @Test
    void aWriteProcessorThatThrowsAnErrorClosesItsConnection() throws Exception {
        proxy.setContentProcessors(null, chunk -> {
            throw new AssertionError("a test's assertion inside a processor");
        });
        client.getOutputStream().write(ascii("ping"));
        assertEquals(-1, client.getInputStream().read(), "the failed connection ends");
        await().atMost(GENEROUS).until(() -> proxy.clientCount() == 0);
        proxy.setContentProcessors(null, null);
        try (Socket fresh = proxy.createClient()) {
            Wire.echo(fresh, ascii("new"));
        }
    }

    private byte[] receivedByServer() throws InterruptedException {
        return server.received.poll(GENEROUS.toMillis(), TimeUnit.MILLISECONDS);
    }
}
