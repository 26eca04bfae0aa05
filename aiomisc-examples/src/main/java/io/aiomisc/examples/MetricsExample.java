package io.aiomisc.examples;

import io.aiomisc.Entrypoint;
import io.aiomisc.metrics.CarbonSender;
import io.aiomisc.metrics.PrometheusService;
import io.aiomisc.thread.Threaded;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The README's "Metrics" section, runnable: {@code bin/run-example metrics [PORT] [CALLS]}. An
 * entrypoint with a {@link PrometheusService} on 127.0.0.1:PORT (default 0: any free port) and a
 * {@link CarbonSender} sending every second; it makes CALLS (default 100) calls on the entrypoint's
 * pool, scrapes its own {@code /metrics} and prints the pool's lines, then prints the pool's lines
 * Graphite received, and ends.
 *
 * <p>Graphite: without {@code CARBON_HOST} the example plays it, a UDP socket on 127.0.0.1 that
 * prints what arrives; with {@code CARBON_HOST} (and {@code CARBON_PORT}, {@code CARBON_PROTOCOL})
 * it sends there instead and prints what it sends ({@link CarbonSender#lines()}).
 */
public final class MetricsExample {
    private static final Logger log = LoggerFactory.getLogger(MetricsExample.class);
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String NAMESPACE = "aiomisc-example";

    private MetricsExample() {}

    /**
     * Runs the example.
     *
     * @param args {@code [PORT] [CALLS]}: the Prometheus port (default 0) and the number of pool
     *             calls (default 100)
     * @throws Exception if the entrypoint fails to start or Graphite's lines do not arrive in 30 s
     */
    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        int calls = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        String carbonHost = System.getenv("CARBON_HOST");
        boolean fake = carbonHost == null || carbonHost.isBlank();
        try (DatagramSocket graphite = fake ? new DatagramSocket(new InetSocketAddress("127.0.0.1", 0)) : null) {
            CarbonSender.Builder builder =
                    CarbonSender.builder().namespace(NAMESPACE).interval(Duration.ofSeconds(1));
            if (fake) {
                builder.host("127.0.0.1").port(graphite.getLocalPort());
            } else {
                builder.host(carbonHost);
                String carbonPort = System.getenv("CARBON_PORT");
                if (carbonPort != null && !carbonPort.isBlank()) {
                    builder.port(Integer.parseInt(carbonPort.strip()));
                }
                String protocol = System.getenv("CARBON_PROTOCOL");
                if (protocol != null && !protocol.isBlank()) {
                    builder.protocol(protocol.strip());
                }
            }
            CarbonSender carbon = builder.build();
            PrometheusService prometheus = new PrometheusService("127.0.0.1", port);
            try (Entrypoint entrypoint =
                    Entrypoint.builder().services(prometheus, carbon).start()) {
                // in the entrypoint's scope, so that Threaded.threaded uses its pool ("default")
                entrypoint.runUntilComplete(() -> {
                    for (int i = 0; i < calls; i++) {
                        int n = i;
                        Threaded.threaded(() -> n * n).await();
                    }
                    return null;
                });
                InetSocketAddress address = prometheus.localAddress();
                String url = "http://" + address.getHostString() + ":" + address.getPort() + PrometheusService.PATH;
                System.out.println("GET " + url + " (the entrypoint pool's lines):");
                for (String line : scrape(url).split("\n")) {
                    if (line.startsWith("aiomisc_ThreadPoolStatistic_")) {
                        System.out.println("  " + line);
                    }
                }
                if (fake) {
                    System.out.println("Graphite (udp://127.0.0.1:" + graphite.getLocalPort()
                            + ") received, once the calls were counted:");
                    for (String line : receiveUntilCounted(graphite, calls)) {
                        System.out.println("  " + line);
                    }
                } else {
                    System.out.println("Sending to " + carbon + " every second; the pool's lines now:");
                    for (String line : carbon.lines()) {
                        if (line.contains(".ThreadPoolStatistic.default.")) {
                            System.out.print("  " + line);
                        }
                    }
                }
                log.info(
                        "Carbon sends so far: {}, failed: {}",
                        carbon.statistic().sends.value(),
                        carbon.statistic().failures.value());
            }
        }
        log.info("Metrics example finished");
    }

    private static String scrape(String url) throws Exception {
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(WAIT).build()) {
            HttpResponse<String> response = client.send(
                    HttpRequest.newBuilder(URI.create(url)).timeout(WAIT).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET " + url + " answered " + response.statusCode());
            }
            return response.body();
        }
    }

    /**
     * Reads datagrams until one says the pool counted {@code calls} submissions, and returns that
     * datagram's lines about the pool.
     */
    private static List<String> receiveUntilCounted(DatagramSocket graphite, int calls) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        byte[] buffer = new byte[CarbonSender.DATAGRAM_SIZE];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        String submitted = NAMESPACE + ".ThreadPoolStatistic.default.submitted ";
        while (true) {
            long left = deadline - System.nanoTime();
            packet.setLength(buffer.length);
            try {
                if (left <= 0) {
                    throw new SocketTimeoutException();
                }
                graphite.setSoTimeout((int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                graphite.receive(packet);
            } catch (SocketTimeoutException e) {
                throw new IllegalStateException("Graphite received no count of " + calls + " calls in " + WAIT, e);
            }
            List<String> pool = new ArrayList<>();
            boolean counted = false;
            for (String line :
                    new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8).split("\n")) {
                if (line.contains(".ThreadPoolStatistic.default.")) {
                    pool.add(line);
                }
                if (line.startsWith(submitted)) {
                    counted = Long.parseLong(line.substring(submitted.length(), line.indexOf(' ', submitted.length())))
                            >= calls;
                }
            }
            if (counted) {
                return pool;
            }
        }
    }
}
