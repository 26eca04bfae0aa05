package io.aiomisc.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.aiomisc.testing.JavaProcess;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class SentryExampleTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void withoutADsnItSaysWhatItNeedsAndExitsWithTwo() throws Exception {
        try (JavaProcess app = JavaProcess.start(SentryExample.class, Map.of("SENTRY_DSN", ""))) {
            assertEquals(2, app.awaitExit(WAIT), app::transcript);
            assertTrue(
                    app.stderr().stream().anyMatch(l -> l.startsWith("SentryExample needs a Sentry project's DSN")),
                    app::transcript);
        }
    }

    @Test
    void aMalformedDsnFailsBeforeStartingWithoutItsKeys() throws Exception {
        try (JavaProcess app =
                JavaProcess.start(SentryExample.class, Map.of("SENTRY_DSN", "https://public:s3cr3t@example.com/"))) {
            assertTrue(app.awaitExit(WAIT) != 0, app::transcript);
            assertTrue(app.stderr().stream().anyMatch(l -> l.contains("Malformed Sentry DSN")), app::transcript);
            assertTrue(app.transcript().lines().noneMatch(l -> l.contains("s3cr3t")), app::transcript);
        }
    }

    /** A fake Sentry on loopback receives the logged error, with its exception and the example's tag. */
    @Test
    void reportsTheLoggedErrorWithItsExceptionToTheDsn() throws Exception {
        LinkedBlockingQueue<String> envelopes = new LinkedBlockingQueue<>();
        HttpServer sentry = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        sentry.createContext("/", exchange -> {
            try (exchange) {
                byte[] body = exchange.getRequestBody().readAllBytes();
                if ("gzip".equals(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                    try (InputStream unzipped = new GZIPInputStream(new java.io.ByteArrayInputStream(body))) {
                        body = unzipped.readAllBytes();
                    }
                }
                envelopes.add(exchange.getRequestURI().getPath() + "\n" + new String(body, StandardCharsets.UTF_8));
                exchange.sendResponseHeaders(200, -1);
            }
        });
        sentry.start();
        try {
            String dsn = "http://public:s3cr3t@127.0.0.1:" + sentry.getAddress().getPort() + "/42";
            try (JavaProcess app = JavaProcess.start(
                    SentryExample.class,
                    Map.of("SENTRY_DSN", dsn, "SENTRY_ENVIRONMENT", "test", "SENTRY_RELEASE", "example@1"))) {
                assertEquals(0, app.awaitExit(WAIT), app::transcript);
                // the event's envelope; the SDK may send others (client reports) beside it
                String envelope;
                do {
                    envelope = envelopes.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
                    assertTrue(envelope != null, app::transcript);
                } while (!envelope.contains("\"exception\""));
                String event = envelope;
                assertTrue(event.startsWith("/api/42/envelope/\n"), event);
                for (String expected : new String[] {
                    "\"type\":\"IllegalStateException\"",
                    "card declined for order 42",
                    "Cannot charge order 42",
                    "\"example\":\"sentry\"",
                    "\"environment\":\"test\"",
                    "\"release\":\"example@1\""
                }) {
                    assertTrue(event.contains(expected), () -> expected + "\n" + event);
                }
                assertTrue(app.stderr().stream().anyMatch(l -> l.contains("Sentry example finished")), app::transcript);
                assertTrue(app.transcript().lines().noneMatch(l -> l.contains("s3cr3t")), app::transcript);
            }
        } finally {
            sentry.stop(0);
        }
    }
}
