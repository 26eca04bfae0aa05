package io.aiomisc.sentry;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.aiomisc.Entrypoint;
import io.aiomisc.testing.TestEntrypoints;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class SentrySmokeTest {
    @Test
    void anErrorLoggedBeforeCloseReachesTheEndpoint() throws Exception {
        LinkedBlockingQueue<String> bodies = new LinkedBlockingQueue<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] raw = exchange.getRequestBody().readAllBytes();
            InputStream in = new ByteArrayInputStream(raw);
            if ("gzip".equals(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                in = new GZIPInputStream(in);
            }
            bodies.add(
                    exchange.getRequestURI().getPath() + "\n" + new String(in.readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        try {
            SentryService sentry = SentryService.builder("http://publickey1:secretkey1@127.0.0.1:"
                            + server.getAddress().getPort() + "/42")
                    .environment("smoke-env")
                    .release("smoke@1.0")
                    .tag("region", "eu")
                    .build();
            try (Entrypoint ep =
                    TestEntrypoints.builder().services(sentry).build().start()) {
                LoggerFactory.getLogger(SentrySmokeTest.class).error("it broke", new IllegalStateException("boom"));
            }
            String body = bodies.poll(10, TimeUnit.SECONDS);
            while (body != null && !body.contains("\"exception\"")) {
                body = bodies.poll(10, TimeUnit.SECONDS);
            }
            assertTrue(body != null, "no event arrived");
            assertTrue(body.startsWith("/api/42/envelope/"), body);
            assertTrue(body.contains("IllegalStateException") && body.contains("boom"), body);
            assertTrue(body.contains("smoke-env") && body.contains("smoke@1.0") && body.contains("\"region\""), body);
        } finally {
            server.stop(0);
        }
    }
}
