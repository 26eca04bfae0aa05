package io.aiomisc.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiomisc.Entrypoint;
import io.aiomisc.Service;
import io.aiomisc.junit.AiomiscTest;
import io.aiomisc.junit.Services;
import io.aiomisc.junit.UnusedPort;
import io.aiomisc.stats.Statistics;
import io.aiomisc.stats.ThreadPoolStatistic;
import io.aiomisc.thread.Threaded;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayInputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@AiomiscTest
class PrometheusServiceTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final String SUBMITTED = "aiomisc_ThreadPoolStatistic_submitted";

    @UnusedPort
    int port;

    /** Started by the test's entrypoint on {@link #port}. */
    PrometheusService prometheus;

    final HttpClient client = HttpClient.newHttpClient();

    @Services
    List<Service> services() {
        prometheus = new PrometheusService("127.0.0.1", port);
        return List.of(prometheus);
    }

    @AfterEach
    void closeClient() {
        client.close();
    }

    private static URI uri(PrometheusService service, String path) {
        return URI.create("http://127.0.0.1:" + service.localAddress().getPort() + path);
    }

    private static HttpResponse<String> get(HttpClient client, PrometheusService service) throws Exception {
        return client.send(
                HttpRequest.newBuilder(uri(service, "/metrics"))
                        .timeout(PATIENCE)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static List<PrometheusText.Sample> scrape(HttpClient client, PrometheusService service) throws Exception {
        HttpResponse<String> response = get(client, service);
        assertEquals(200, response.statusCode());
        return PrometheusText.parse(response.body());
    }

    private static double submitted(List<PrometheusText.Sample> samples) {
        PrometheusText.Sample sample = PrometheusText.find(samples, SUBMITTED, Map.of("name", "default"));
        assertNotNull(sample, SUBMITTED + "{name=\"default\"} in the scrape");
        return sample.value();
    }

    @Test
    void theScrapeParsesAsTextFormat004AndCarriesThePoolsCalls() throws Exception {
        // other tests' entrypoints' "default" pools could be collected mid-test and lower the sum:
        // wait until the only one left is this test's
        Awaitility.await().atMost(PATIENCE).until(() -> {
            System.gc();
            return Statistics.all(ThreadPoolStatistic.class).stream()
                            .filter(m -> "default".equals(m.name()) && "submitted".equals(m.metric()))
                            .count()
                    == 1;
        });
        int calls = 17;
        HttpResponse<String> response = get(client, prometheus);
        assertEquals(200, response.statusCode());
        String type = response.headers().firstValue("Content-Type").orElseThrow();
        assertTrue(type.startsWith("text/plain"), type);
        assertTrue(type.contains("version=0.0.4"), type);
        List<PrometheusText.Sample> samples = PrometheusText.parse(response.body());
        double before = submitted(samples);
        for (PrometheusText.Sample sample : samples) {
            if (sample.name().startsWith("aiomisc_")) {
                assertEquals(Map.of("name", sample.labels().get("name")), sample.labels(), sample.toString());
            }
        }
        for (int i = 0; i < calls; i++) {
            int n = i;
            assertEquals(n, Threaded.threaded(() -> n).get()); // on the test entrypoint's pool
        }
        Awaitility.await()
                .atMost(Duration.ofSeconds(3))
                .until(() -> submitted(scrape(client, prometheus)) == before + calls);
        List<PrometheusText.Sample> after = scrape(client, prometheus);
        assertEquals(before + calls, submitted(after));
        assertNotNull(PrometheusText.find(after, "aiomisc_ThreadPoolStatistic_sum_time", Map.of("name", "default")));
    }

    @Test
    void headGivesNoBodyOtherPathsAre404AndOtherMethods405(Entrypoint entrypoint) throws Exception {
        HttpResponse<String> head = client.send(
                HttpRequest.newBuilder(uri(prometheus, "/metrics"))
                        .HEAD()
                        .timeout(PATIENCE)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, head.statusCode());
        assertEquals("", head.body());
        assertTrue(head.headers().firstValue("Content-Type").orElseThrow().contains("version=0.0.4"));

        for (String path : List.of("/other", "/", "/metrics/x", "/metricsx")) {
            HttpResponse<String> missing = client.send(
                    HttpRequest.newBuilder(uri(prometheus, path))
                            .timeout(PATIENCE)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(404, missing.statusCode(), path);
        }

        for (String method : List.of("POST", "PUT", "DELETE")) {
            HttpResponse<String> refused = client.send(
                    HttpRequest.newBuilder(uri(prometheus, "/metrics"))
                            .method(method, HttpRequest.BodyPublishers.ofString("x"))
                            .timeout(PATIENCE)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(405, refused.statusCode(), method);
            assertEquals("GET, HEAD", refused.headers().firstValue("Allow").orElseThrow(), method);
        }
        assertTrue(entrypoint.isRunning());
    }

    @Test
    void gzipIsServedWhenAcceptedAndDecompressesToTheSameFormat(Entrypoint entrypoint) throws Exception {
        HttpResponse<byte[]> response = client.send(
                HttpRequest.newBuilder(uri(prometheus, "/metrics"))
                        .header("Accept-Encoding", "gzip, deflate")
                        .timeout(PATIENCE)
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode());
        assertEquals("gzip", response.headers().firstValue("Content-Encoding").orElseThrow());
        byte[] body = response.body();
        assertArrayEquals(new byte[] {0x1f, (byte) 0x8b}, new byte[] {body[0], body[1]}, "gzip magic");
        String text;
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<PrometheusText.Sample> samples = PrometheusText.parse(text);
        assertTrue(samples.stream().anyMatch(s -> s.name().equals(SUBMITTED)), text);

        HttpResponse<String> plain = get(client, prometheus);
        assertTrue(plain.headers().firstValue("Content-Encoding").isEmpty(), "no gzip unless accepted");
        assertTrue(entrypoint.isRunning());
    }

    @Test
    void openMetricsIsServedWhenTheScraperAsksForIt(Entrypoint entrypoint) throws Exception {
        HttpResponse<String> response = client.send(
                HttpRequest.newBuilder(uri(prometheus, "/metrics"))
                        .header("Accept", "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5")
                        .timeout(PATIENCE)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        String type = response.headers().firstValue("Content-Type").orElseThrow();
        assertTrue(type.startsWith("application/openmetrics-text"), type);
        assertTrue(response.body().endsWith("# EOF\n"), response.body());
        assertTrue(response.body().contains(SUBMITTED + "{name=\"default\"}"), response.body());
        assertTrue(entrypoint.isRunning());
    }

    @Test
    void aMeterAddedToTheRegistryIsScraped(Entrypoint entrypoint) throws Exception {
        String tag = UUID.randomUUID().toString();
        prometheus.registry().counter("test.user.requests", "id", tag).increment(3);
        List<PrometheusText.Sample> samples = scrape(client, prometheus);
        PrometheusText.Sample mine = PrometheusText.find(samples, "test_user_requests_total", Map.of("id", tag));
        assertNotNull(mine, samples.toString());
        assertEquals(3.0, mine.value());
        assertTrue(entrypoint.isRunning());
    }

    @Test
    void aPortInUseFailsTheStartWithABindExceptionNamingItAndLeavesNothingRunning(Entrypoint entrypoint)
            throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int takenPort = taken.getLocalPort();
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            PrometheusService refused = new PrometheusService("127.0.0.1", takenPort, registry);
            Exception e = assertThrows(Exception.class, () -> entrypoint.startServices(refused));
            BindException bind = null;
            StringBuilder messages = new StringBuilder();
            for (Throwable t = e; t != null; t = t.getCause()) {
                messages.append(t.getMessage()).append(" | ");
                if (bind == null && t instanceof BindException b) {
                    bind = b;
                }
            }
            assertNotNull(bind, "a BindException in " + e);
            assertTrue(bind.getMessage().contains("http://127.0.0.1:" + takenPort + "/metrics"), bind.getMessage());
            assertTrue(messages.toString().contains(String.valueOf(takenPort)), messages.toString());
            assertThrows(IllegalStateException.class, refused::localAddress);
            assertTrue(
                    registry.getMeters().stream()
                            .noneMatch(m -> m.getId().getName().startsWith("aiomisc.")),
                    "no binder left behind");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 65536, Integer.MAX_VALUE})
    void aPortOutside0To65535IsRefusedAtConstruction(int outside) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new PrometheusService("127.0.0.1", outside));
        assertTrue(e.getMessage().contains(String.valueOf(outside)), e.getMessage());
    }

    @Test
    void badAddressesAndRegistriesAreRefusedAtConstruction() {
        assertThrows(IllegalArgumentException.class, () -> new PrometheusService(" ", 0));
        assertThrows(NullPointerException.class, () -> new PrometheusService(null, 0));
        assertThrows(NullPointerException.class, () -> new PrometheusService("127.0.0.1", 0, null));
    }

    @Test
    void localAddressBeforeStartFails() {
        PrometheusService unstarted = new PrometheusService("127.0.0.1", 0);
        IllegalStateException e = assertThrows(IllegalStateException.class, unstarted::localAddress);
        assertTrue(e.getMessage().contains("not started"), e.getMessage());
    }

    @Test
    void afterStopThePortIsFreeAndTheBindersMetersLeaveASharedRegistry(Entrypoint entrypoint) throws Exception {
        PrometheusMeterRegistry shared = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        shared.counter("test.shared.own").increment();
        PrometheusService own = new PrometheusService("127.0.0.1", 0, shared);
        assertEquals(shared, own.registry());
        entrypoint.startServices(own);
        int bound = own.localAddress().getPort();
        assertTrue(own.localAddress().getAddress().isLoopbackAddress());
        submitted(scrape(client, own));
        assertTrue(shared.getMeters().stream().anyMatch(m -> m.getId().getName().startsWith("aiomisc.")));

        entrypoint.stopServices(own);
        assertThrows(IllegalStateException.class, own::localAddress);
        assertTrue(
                shared.getMeters().stream().noneMatch(m -> m.getId().getName().startsWith("aiomisc.")),
                "the binder's meters are gone");
        assertNotNull(shared.find("test.shared.own").counter(), "the user's own meters stay");
        try (ServerSocket again = new ServerSocket()) {
            again.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), bound));
            assertEquals(bound, again.getLocalPort());
        }
    }
}
