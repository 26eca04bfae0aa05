package io.aiomisc.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiomisc.Entrypoint;
import io.aiomisc.junit.AiomiscTest;
import io.aiomisc.thread.Threaded;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@AiomiscTest
class MetricsSmokeTest {
    @Test
    void prometheusServesThePoolAndCarbonSendsIt(Entrypoint entrypoint) throws Exception {
        PrometheusService prometheus = new PrometheusService("127.0.0.1", 0);
        try (DatagramSocket graphite = new DatagramSocket(0, InetAddress.getLoopbackAddress());
                HttpClient client = HttpClient.newHttpClient()) {
            graphite.setSoTimeout(10_000);
            CarbonSender carbon = CarbonSender.builder()
                    .port(graphite.getLocalPort())
                    .namespace("Smoke.Test")
                    .interval(Duration.ofMillis(100))
                    .build();
            entrypoint.startServices(prometheus, carbon);
            Threaded.threaded(() -> 1).get();
            HttpResponse<String> response = client.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                                    + prometheus.localAddress().getPort() + "/metrics"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            assertTrue(
                    response.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain"));
            assertTrue(
                    response.body().contains("aiomisc_ThreadPoolStatistic_submitted{name=\"default\"}"),
                    response.body());
            byte[] buffer = new byte[2048];
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            graphite.receive(packet);
            String text = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
            assertTrue(text.startsWith("smoke_test."), text);
        }
    }
}
