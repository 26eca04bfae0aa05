package io.aiomisc.examples;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiomisc.Entrypoint;
import io.aiomisc.Service;
import io.aiomisc.junit.AiomiscTest;
import io.aiomisc.junit.Services;
import io.aiomisc.junit.TcpProxy;
import io.aiomisc.junit.UnusedPort;
import io.aiomisc.net.ReconnectPolicy;
import io.aiomisc.net.RobustTcpClient;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * The README's "Test support (aiomisc-junit)" section as a real test of the example's services: each
 * test gets an entrypoint of its own running the example application's {@code Greeter} and
 * {@code Hello} (HTTP) and the echo example's server, on ports reserved for it; {@link TcpProxy} puts
 * latency, rewriting and disconnects between the example's clients and its servers.
 */
@AiomiscTest(timeout = "PT30S")
class ExampleApplicationAiomiscTest {
    /** Reserved before {@link #services()} runs: the services bind them, the tests connect to them. */
    @UnusedPort
    int httpPort;

    @UnusedPort
    int echoPort;

    @Services
    List<Service> services() {
        // the example's servers listen on 127.0.0.1
        return List.of(
                new ExampleApplication.Greeter(),
                new ExampleApplication.Hello(httpPort),
                new EchoExample.EchoServer(echoPort));
    }

    @Test
    void helloAnswersTheGreetingOnItsReservedPort(Entrypoint entrypoint) throws Exception {
        assertSame(entrypoint, Entrypoint.current()); // the body runs as a task of the test's entrypoint
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> hello = client.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/hello"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, hello.statusCode());
            assertEquals("Hello from aiomisc-java\n", hello.body());
        }
    }

    @Test
    void theEchoClientTakesTheProxysDelayOnEveryLine(Entrypoint entrypoint) throws Exception {
        Duration delay = Duration.ofMillis(100);
        try (TcpProxy proxy = new TcpProxy("127.0.0.1", echoPort).start()) {
            CountDownLatch done = new CountDownLatch(1);
            long began = System.nanoTime();
            // read = client -> server: each of the three lines reaches the server 100 ms late
            try (AutoCloseable slow = proxy.slowdown(delay, Duration.ZERO)) {
                entrypoint.startServices(new EchoExample.EchoClient(proxy.proxyPort(), 3, done));
                done.await(); // bounded by the test's timeout
            }
            Duration took = Duration.ofNanos(System.nanoTime() - began);
            assertTrue(took.compareTo(delay.multipliedBy(3)) >= 0, () -> "three round trips took only " + took);
        }
    }

    @Test
    void aContentProcessorRewritesWhatTheServerSends() throws Exception {
        try (TcpProxy proxy = new TcpProxy("127.0.0.1", echoPort).start()) {
            // write = server -> client
            proxy.setContentProcessors(null, chunk -> new String(chunk, StandardCharsets.UTF_8)
                    .toUpperCase(Locale.ROOT)
                    .getBytes(StandardCharsets.UTF_8));
            try (Socket socket = proxy.createClient()) {
                assertEquals("HELLO\n", roundTrip(socket, "hello\n"));
            }
        }
    }

    @Test
    void disconnectAllEndsEveryConnectionAndTheProxyKeepsAccepting() throws Exception {
        try (TcpProxy proxy = new TcpProxy("127.0.0.1", echoPort).start();
                Socket first = proxy.createClient()) {
            assertEquals("one\n", roundTrip(first, "one\n"));
            assertEquals(1, proxy.clientCount());

            proxy.disconnectAll();

            assertEquals(-1, first.getInputStream().read()); // end-of-stream, not a reset
            assertEquals(0, proxy.clientCount());
            try (Socket second = proxy.createClient()) {
                assertEquals("two\n", roundTrip(second, "two\n"));
            }
        }
    }

    @Test
    void aRobustClientReconnectsAfterDisconnectAll(Entrypoint entrypoint) throws Exception {
        try (TcpProxy proxy = new TcpProxy("127.0.0.1", echoPort).start()) {
            RobustTcpClient client = RobustTcpClient.create(
                    "127.0.0.1",
                    proxy.proxyPort(),
                    ReconnectPolicy.defaults()
                            .withMinDelay(Duration.ofMillis(50))
                            .withMaxDelay(Duration.ofMillis(200)),
                    (reader, writer) -> {
                        writer.write("ping\n".getBytes(StandardCharsets.UTF_8));
                        // the echo, then blocks until the connection ends: readLine is empty at the end
                        while (reader.readLine().length > 0) {}
                    });
            entrypoint.startServices(client); // returns once connected
            await().until(() -> proxy.clientCount() == 1);

            proxy.disconnectAll();

            await().until(() -> client.connections() == 2 && proxy.clientCount() == 1);
            entrypoint.stopServices(client); // before the proxy closes: no reconnecting to a closed port
        }
    }

    private static String roundTrip(Socket socket, String line) throws Exception {
        OutputStream out = socket.getOutputStream();
        InputStream in = socket.getInputStream();
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        out.write(bytes);
        return new String(in.readNBytes(bytes.length), StandardCharsets.UTF_8);
    }
}
