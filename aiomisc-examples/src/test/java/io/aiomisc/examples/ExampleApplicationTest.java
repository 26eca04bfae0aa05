package io.aiomisc.examples;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiomisc.examples.grpc.proto.GreeterGrpc;
import io.aiomisc.examples.grpc.proto.HelloReply;
import io.aiomisc.examples.grpc.proto.HelloRequest;
import io.aiomisc.service.Profiler;
import io.aiomisc.testing.JavaProcess;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExampleApplicationTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void runsBothServicesAndStopsCleanlyOnSigterm() throws Exception {
        try (JavaProcess app = JavaProcess.start(ExampleApplication.class, Map.of(), "50")) {
            app.awaitStderr(line -> line.contains("(beat 2)"), WAIT);
            // signals are caught once every service has started (the gRPC server takes a while):
            // the application logs this line after that
            app.awaitStderr(line -> line.contains("Example application running"), WAIT);
            app.signal("TERM");
            assertEquals(0, app.awaitExit(WAIT), app::transcript);
            List<String> log = app.stderr();
            for (String expected : List.of(
                    "Greeter started",
                    "Heartbeat ready",
                    "Interrupt signal received, shutting down...",
                    "Heartbeat stopping",
                    "Greeter stopped (Interrupt signal received: SIGTERM)",
                    "Heartbeat finished after",
                    "Example application stopped cleanly")) {
                assertTrue(log.stream().anyMatch(line -> line.contains(expected)), expected + "\n" + app.transcript());
            }
        }
    }

    @Test
    void logsJsonToStdoutWhenTheEnvironmentSaysSo() throws Exception {
        try (JavaProcess app =
                JavaProcess.start(ExampleApplication.class, Map.of("AIOMISC_LOG_FORMAT", "json"), "50")) {
            app.awaitStdout(line -> line.contains("(beat 2)"), WAIT);
            app.awaitStdout(line -> line.contains("Example application running"), WAIT); // signals caught
            app.signal("TERM");
            assertEquals(0, app.awaitExit(WAIT), app::transcript);
            com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
            List<String> messages = new java.util.ArrayList<>();
            for (String line : app.stdout()) {
                com.fasterxml.jackson.databind.JsonNode record;
                try {
                    record = json.readTree(line);
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new AssertionError("not JSON: " + line + "\n" + app.transcript(), e);
                }
                messages.add(record.get("msg").asText());
                assertTrue(List.of("info", "warn").contains(record.get("level").asText()), line);
            }
            assertTrue(messages.contains("Greeter started"), messages::toString);
            assertTrue(app.stderr().stream().noneMatch(line -> line.contains("Heartbeat interval")), app::transcript);
            assertTrue(messages.contains("Example application stopped cleanly"), messages::toString);
        }
    }

    @Test
    void servesHelloAndHealthOverHttpOnTheLoggedPorts() throws Exception {
        try (JavaProcess app = JavaProcess.start(ExampleApplication.class, Map.of(), "60000", "0", "0");
                HttpClient client = HttpClient.newBuilder()
                        .connectTimeout(WAIT)
                        .version(HttpClient.Version.HTTP_1_1)
                        .build()) {
            String httpUrl = urlIn(app.awaitStderr(line -> line.contains("HTTP on http://"), WAIT), "HTTP on ");
            String healthUrl = urlIn(app.awaitStderr(line -> line.contains("Health on http://"), WAIT), "Health on ");
            // ready only once every service has started: the application logs this line after that
            app.awaitStderr(line -> line.contains("Example application running"), WAIT);

            HttpResponse<String> hello = get(client, httpUrl + "/hello");
            assertEquals(200, hello.statusCode(), app::transcript);
            assertEquals("Hello from aiomisc-java\n", hello.body());
            assertEquals(404, get(client, httpUrl + "/nothing").statusCode());

            HttpResponse<String> ready = get(client, healthUrl + "/health/ready");
            assertEquals(200, ready.statusCode(), app::transcript);
            assertEquals("{\"status\":\"ready\"}", ready.body());
            HttpResponse<String> live = get(client, healthUrl + "/health/live");
            assertEquals(200, live.statusCode(), app::transcript);
            assertEquals("{\"status\":\"live\"}", live.body());

            // the access log, one record per request
            app.awaitStderr(line -> line.contains("\"GET /hello HTTP/1.1\" 200"), WAIT);
            stopsCleanlyOnTerm(app);
        }
    }

    @Test
    void servesTheGreeterOverGrpcWithHealthAndReflectionOnTheLoggedPort() throws Exception {
        try (JavaProcess app = JavaProcess.start(ExampleApplication.class, Map.of(), "60000", "0", "0", "0")) {
            String line = app.awaitStderr(l -> l.contains("gRPC Greeter on grpc://"), WAIT);
            Matcher address = GRPC.matcher(line);
            assertTrue(address.find(), line);
            int port = Integer.parseInt(address.group(1));
            // GrpcService's own line names the same address
            assertTrue(
                    app.stderr().stream().anyMatch(l -> l.contains("Listening grpc://127.0.0.1:" + port)),
                    app::transcript);
            app.awaitStderr(l -> l.contains("Example application running"), WAIT);

            ManagedChannel channel = Grpc.newChannelBuilderForAddress(
                            "127.0.0.1", port, InsecureChannelCredentials.create())
                    .build();
            try {
                HelloReply hello = GreeterGrpc.newBlockingStub(channel)
                        .withDeadlineAfter(WAIT.toSeconds(), TimeUnit.SECONDS)
                        .sayHello(HelloRequest.newBuilder().setName("app").build());
                assertEquals("Hello, app!", hello.getMessage());
                assertEquals(
                        HealthCheckResponse.ServingStatus.SERVING,
                        HealthGrpc.newBlockingStub(channel)
                                .withDeadlineAfter(WAIT.toSeconds(), TimeUnit.SECONDS)
                                .check(HealthCheckRequest.newBuilder()
                                        .setService(GreeterGrpc.SERVICE_NAME)
                                        .build())
                                .getStatus());
                assertTrue(listedServices(channel).contains(GreeterGrpc.SERVICE_NAME), app::transcript);
            } finally {
                channel.shutdownNow();
                assertTrue(channel.awaitTermination(10, TimeUnit.SECONDS), "the channel did not terminate");
            }
            stopsCleanlyOnTerm(app);
        }
    }

    @Test
    void servesThePoolsStatisticsOnTheLoggedPrometheusEndpoint() throws Exception {
        try (JavaProcess app = JavaProcess.start(ExampleApplication.class, Map.of(), "50", "0", "0", "0", "0");
                HttpClient client = HttpClient.newBuilder()
                        .connectTimeout(WAIT)
                        .version(HttpClient.Version.HTTP_1_1)
                        .build()) {
            String line = app.awaitStderr(l -> l.contains("Prometheus metrics on http://"), WAIT);
            String metricsUrl = urlIn(line, "Prometheus metrics on ");
            assertTrue(line.contains(metricsUrl + "/metrics"), line);
            // PrometheusService's own line names the same address
            assertTrue(
                    app.stderr().stream().anyMatch(l -> l.contains("Listening " + metricsUrl + "/metrics")),
                    app::transcript);
            // each beat is logged from the entrypoint's pool: after two, the pool has done work
            app.awaitStderr(l -> l.contains("(beat 2)"), WAIT);

            HttpResponse<String> scrape = get(client, metricsUrl + "/metrics");
            assertEquals(200, scrape.statusCode(), app::transcript);
            assertEquals(
                    "text/plain; version=0.0.4; charset=utf-8",
                    scrape.headers().firstValue("Content-Type").orElse(""));
            Map<String, Double> pool = new java.util.HashMap<>();
            for (String sample : scrape.body().split("\n")) {
                Matcher metric = POOL_SAMPLE.matcher(sample);
                if (metric.matches()) {
                    pool.put(metric.group(1), Double.parseDouble(metric.group(2)));
                }
            }
            for (String metric : List.of("threads", "error", "success", "submitted", "sum_time", "done")) {
                assertTrue(pool.containsKey(metric), () -> metric + " missing in\n" + scrape.body());
            }
            assertTrue(pool.get("submitted") >= 2, scrape::body);
            assertTrue(pool.get("done") >= 1, scrape::body);

            stopsCleanlyOnTerm(app);
        }
    }

    @Test
    void sendsToTheCarbonHostOfTheEnvironment() throws Exception {
        try (DatagramSocket graphite = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            graphite.setSoTimeout((int) WAIT.toMillis()); // a missing datagram fails the test, not hangs it
            Map<String, String> environment = Map.of(
                    "CARBON_HOST", "127.0.0.1",
                    "CARBON_PORT", Integer.toString(graphite.getLocalPort()),
                    "CARBON_PROTOCOL", "UDP",
                    "SENTRY_DSN", "");
            try (JavaProcess app = JavaProcess.start(ExampleApplication.class, environment, "50")) {
                // the first send comes at the sender's start
                byte[] buffer = new byte[2048];
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                graphite.receive(packet);
                String datagram = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
                for (String line : datagram.split("\n")) {
                    assertTrue(CARBON_LINE.matcher(line).matches(), () -> line + "\n" + datagram);
                }
                app.awaitStderr(l -> l.contains("Example application running"), WAIT);
                app.signal("TERM");
                assertEquals(0, app.awaitExit(WAIT), app::transcript);
                assertTrue(
                        app.stderr().stream()
                                .anyMatch(l -> l.contains("Sending statistics to carbon udp://127.0.0.1:")),
                        app::transcript);
            }
        }
    }

    @Test
    void refusesAMalformedSentryDsnBeforeStartingWithoutItsKeys() throws Exception {
        Map<String, String> environment = Map.of("SENTRY_DSN", "ftp://public:s3cr3t@example.com/42");
        try (JavaProcess app = JavaProcess.start(ExampleApplication.class, environment, "50")) {
            assertNotEquals(0, app.awaitExit(WAIT), app::transcript);
            assertTrue(
                    app.stderr().stream().anyMatch(l -> l.contains("SENTRY_DSN: Malformed Sentry DSN")),
                    app::transcript);
            assertTrue(app.transcript().lines().noneMatch(l -> l.contains("s3cr3t")), app::transcript);
            assertTrue(app.stderr().stream().noneMatch(l -> l.contains("Greeter started")), app::transcript);
        }
    }

    @Test
    void addsNoServiceWithoutTheVariablesAndBothWithThem() {
        assertEquals(List.of(), ExampleApplication.optionalServices(Map.of("CARBON_HOST", " ", "SENTRY_DSN", "")));
        List<io.aiomisc.Service> services = ExampleApplication.optionalServices(
                Map.of("CARBON_HOST", "127.0.0.1", "SENTRY_DSN", "http://public@127.0.0.1:9/42"));
        assertEquals(2, services.size(), services::toString);
        assertTrue(services.get(0) instanceof io.aiomisc.metrics.CarbonSender, services::toString);
        assertTrue(services.get(1) instanceof io.aiomisc.sentry.SentryService, services::toString);
    }

    @Test
    void refusesACarbonPortOrProtocolNamingTheVariables() {
        IllegalArgumentException port = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class,
                () -> ExampleApplication.optionalServices(Map.of("CARBON_HOST", "127.0.0.1", "CARBON_PORT", "70000")));
        assertTrue(port.getMessage().contains("CARBON_PORT='70000'"), port::getMessage);
        IllegalArgumentException protocol = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class,
                () -> ExampleApplication.optionalServices(
                        Map.of("CARBON_HOST", "127.0.0.1", "CARBON_PROTOCOL", "pickle")));
        assertTrue(protocol.getMessage().contains("pickle"), protocol::getMessage);
    }

    @Test
    void refusesAGrpcPortOutOfRangeNamingIt() throws Exception {
        try (JavaProcess app = JavaProcess.start(ExampleApplication.class, Map.of(), "50", "0", "0", "70000")) {
            assertNotEquals(0, app.awaitExit(WAIT), app::transcript);
            assertTrue(app.stderr().stream().anyMatch(line -> line.contains("70000")), app::transcript);
            assertTrue(app.stderr().stream().noneMatch(line -> line.contains("Greeter started")), app::transcript);
        }
    }

    @Test
    void profilesWithTheOptionAndWritesTheRecordingAndTheFlameGraphAtStop(@TempDir Path dir) throws Exception {
        Path jfr = dir.resolve("app.jfr");
        Path html = dir.resolve("app.jfr.html");
        // the option between two positional arguments: MILLIS 50 and HTTP_PORT 0 still apply
        try (JavaProcess app = JavaProcess.start(
                        ExampleApplication.class,
                        Map.of(ExampleApplication.PROFILE_INTERVAL, "0.5"),
                        "50",
                        "--profile",
                        jfr.toString(),
                        "0");
                HttpClient client = HttpClient.newBuilder()
                        .connectTimeout(WAIT)
                        .version(HttpClient.Version.HTTP_1_1)
                        .build()) {
            String httpUrl = urlIn(app.awaitStderr(line -> line.contains("HTTP on http://"), WAIT), "HTTP on ");
            app.awaitStderr(
                    line -> line.contains("Profiler started: a sample every " + Profiler.SAMPLE_PERIOD_MS
                            + " ms, a report every PT0.5S"),
                    WAIT);
            app.awaitStderr(line -> line.contains("Example application running"), WAIT);
            app.awaitStderr(line -> line.contains("(beat 2)"), WAIT); // the interval argument still counts
            // a CPU profile samples running threads only: requests give it something to see
            await().atMost(WAIT).until(() -> {
                assertEquals(200, get(client, httpUrl + "/hello").statusCode(), app::transcript);
                return lastSampleCount(app) > 0;
            });
            app.signal("TERM");
            assertEquals(0, app.awaitExit(WAIT), app::transcript);
            assertTrue(app.stderr().stream().anyMatch(l -> l.contains("Profiler stopped")), app::transcript);

            assertTrue(Files.isRegularFile(jfr), app::transcript);
            assertTrue(Files.isRegularFile(html), app::transcript);
            try (var leftovers = Files.list(dir)) { // written beside the target, then moved into place
                assertEquals(
                        List.of("app.jfr", "app.jfr.html"),
                        leftovers.map(f -> f.getFileName().toString()).sorted().toList());
            }
            // the flame graph of this process, with the samples of the last report (the one at stop)
            long samples = lastSampleCount(app);
            assertTrue(samples > 0, app::transcript);
            String page = Files.readString(html);
            assertTrue(page.contains("<title>Profile of " + app.pid() + " (" + samples + " samples)</title>"), page);
            assertTrue(page.contains("const root = {\"n\":"), page);
            assertTrue(page.contains(",\"c\":[{\"n\":"), "no frame under the root: " + page);
            List<RecordedEvent> events = RecordingFile.readAllEvents(jfr);
            assertTrue(
                    events.stream().anyMatch(e -> e.getEventType().getName().equals("jdk.ExecutionSample")),
                    () -> events.size() + " events, none an execution sample");
        }
    }

    @Test
    void refusesTheProfileOptionWithoutAPathWithTheUsageAndStatusTwo() throws Exception {
        try (JavaProcess app = JavaProcess.start(ExampleApplication.class, Map.of(), "50", "--profile")) {
            assertEquals(2, app.awaitExit(WAIT), app::transcript);
            List<String> err = app.stderr();
            assertTrue(
                    err.contains("ExampleApplication: --profile needs a PATH (the .jfr file; PATH.html too)"),
                    app::transcript);
            assertTrue(err.contains(ExampleApplication.USAGE), app::transcript);
            assertTrue(err.stream().noneMatch(line -> line.contains("Greeter started")), app::transcript);
        }
    }

    @Test
    void takesTheProfileOptionAnywhereAndRefusesMalformedOnes() {
        ExampleApplication.Arguments none = ExampleApplication.Arguments.parse("50", "0");
        assertEquals(List.of("50", "0"), none.positional());
        assertNull(none.profile());
        for (String[] args : List.of(
                new String[] {"--profile", "p.jfr", "50", "0"},
                new String[] {"50", "--profile", "p.jfr", "0"},
                new String[] {"50", "0", "--profile=p.jfr"})) {
            ExampleApplication.Arguments parsed = ExampleApplication.Arguments.parse(args);
            assertEquals(
                    List.of("50", "0"), parsed.positional(), () -> List.of(args).toString());
            assertEquals(Path.of("p.jfr"), parsed.profile(), () -> List.of(args).toString());
            assertEquals(50, parsed.number(0, 1000));
            assertEquals(7, parsed.number(2, 7));
        }
        // after "--" everything is positional
        assertEquals(
                List.of("--profile"),
                ExampleApplication.Arguments.parse("--", "--profile").positional());
        for (String[] bad : List.of(
                new String[] {"--profile"},
                new String[] {"--profile="},
                new String[] {"--profile", ""},
                new String[] {"--profile", "a", "--profile", "b"},
                new String[] {"--verbose"})) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> ExampleApplication.Arguments.parse(bad));
            assertTrue(
                    e.getMessage().contains(bad[0].startsWith("--profile") ? "--profile" : "--verbose"), e::getMessage);
        }
    }

    @Test
    void profilesEveryTenSecondsUnlessTheVariableSaysOtherwise() {
        Path path = Path.of("p.jfr");
        assertEquals(
                "Profiler[every PT10S, top 10, p.jfr]",
                ExampleApplication.profiler(path, Map.of()).toString());
        assertEquals(
                "Profiler[every PT0.25S, top 10, p.jfr]",
                ExampleApplication.profiler(path, Map.of(ExampleApplication.PROFILE_INTERVAL, " 0.25 "))
                        .toString());
        for (String bad : List.of("0", "-1", "soon", "1e-12")) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> ExampleApplication.profiler(path, Map.of(ExampleApplication.PROFILE_INTERVAL, bad)));
            assertEquals("AIOMISC_PROFILE_INTERVAL='" + bad + "': not a positive number of seconds", e.getMessage());
        }
        assertEquals( // empty: the default
                "Profiler[every PT10S, top 10, p.jfr]",
                ExampleApplication.profiler(path, Map.of(ExampleApplication.PROFILE_INTERVAL, ""))
                        .toString());
    }

    /** The sample count of the last "Profile: N samples" report logged, or -1 before the first. */
    private static long lastSampleCount(JavaProcess app) {
        long count = -1;
        for (String line : app.stderr()) {
            Matcher report = PROFILE.matcher(line);
            if (report.find()) {
                count = Long.parseLong(report.group(1));
            }
        }
        return count;
    }

    /** The service names the server's reflection (grpc.reflection.v1) lists. */
    private static List<String> listedServices(ManagedChannel channel) throws Exception {
        CompletableFuture<List<String>> names = new CompletableFuture<>();
        StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(channel)
                .withDeadlineAfter(WAIT.toSeconds(), TimeUnit.SECONDS)
                .serverReflectionInfo(new StreamObserver<>() {
                    @Override
                    public void onNext(ServerReflectionResponse response) {
                        names.complete(response.getListServicesResponse().getServiceList().stream()
                                .map(ServiceResponse::getName)
                                .toList());
                    }

                    @Override
                    public void onError(Throwable error) {
                        names.completeExceptionally(error);
                    }

                    @Override
                    public void onCompleted() {
                        names.completeExceptionally(new AssertionError("reflection answered nothing"));
                    }
                });
        requests.onNext(
                ServerReflectionRequest.newBuilder().setListServices("*").build());
        requests.onCompleted();
        return names.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void refusesAnHttpPortOutOfRangeNamingIt() throws Exception {
        try (JavaProcess app = JavaProcess.start(ExampleApplication.class, Map.of(), "50", "70000")) {
            assertNotEquals(0, app.awaitExit(WAIT), app::transcript);
            assertTrue(app.stderr().stream().anyMatch(line -> line.contains("70000")), app::transcript);
            assertTrue(app.stderr().stream().noneMatch(line -> line.contains("Greeter started")), app::transcript);
        }
    }

    private static final Pattern POOL_SAMPLE =
            Pattern.compile("aiomisc_ThreadPoolStatistic_(\\w+)\\{name=\"default\"} (\\S+)");
    private static final Pattern CARBON_LINE =
            Pattern.compile("aiomisc-example\\.\\w+\\.[\\w-]+\\.\\w+ -?[0-9.E-]+ [1-9][0-9]{9}");
    private static final Pattern PROFILE = Pattern.compile("Profile: (\\d+) samples");
    private static final Pattern GRPC = Pattern.compile("grpc://127\\.0\\.0\\.1:([1-9][0-9]*)");
    private static final Pattern URL = Pattern.compile("(http://127\\.0\\.0\\.1:[1-9][0-9]*)");

    /** The scheme, host and port of the first URL after {@code prefix} in a log line. */
    private static String urlIn(String line, String prefix) {
        Matcher url = URL.matcher(line.substring(line.indexOf(prefix)));
        assertTrue(url.find(), line);
        return url.group(1);
    }

    private static HttpResponse<String> get(HttpClient client, String url) throws Exception {
        HttpRequest request =
                HttpRequest.newBuilder(URI.create(url)).timeout(WAIT).GET().build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** SIGTERM ends the application with status 0 and its "stopped cleanly" line. */
    private static void stopsCleanlyOnTerm(JavaProcess app) throws Exception {
        app.signal("TERM");
        assertEquals(0, app.awaitExit(WAIT), app::transcript);
        assertTrue(
                app.stderr().stream().anyMatch(line -> line.contains("Example application stopped cleanly")),
                app::transcript);
    }
}
