package io.aiomisc.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiomisc.examples.grpc.proto.GreeterGrpc;
import io.aiomisc.examples.grpc.proto.HelloReply;
import io.aiomisc.examples.grpc.proto.HelloRequest;
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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

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
            app.signal("TERM");
            assertEquals(0, app.awaitExit(WAIT), app::transcript);
            assertTrue(
                    app.stderr().stream().anyMatch(line -> line.contains("Example application stopped cleanly")),
                    app::transcript);
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
            app.signal("TERM");
            assertEquals(0, app.awaitExit(WAIT), app::transcript);
            assertTrue(
                    app.stderr().stream().anyMatch(l -> l.contains("Example application stopped cleanly")),
                    app::transcript);
        }
    }

    @Test
    void refusesAGrpcPortOutOfRangeNamingIt() throws Exception {
        try (JavaProcess app = JavaProcess.start(ExampleApplication.class, Map.of(), "50", "0", "0", "70000")) {
            assertNotEquals(0, app.awaitExit(WAIT), app::transcript);
            assertTrue(app.stderr().stream().anyMatch(line -> line.contains("70000")), app::transcript);
            assertTrue(app.stderr().stream().noneMatch(line -> line.contains("Greeter started")), app::transcript);
        }
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
}
