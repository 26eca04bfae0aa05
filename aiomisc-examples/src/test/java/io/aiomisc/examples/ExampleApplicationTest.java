package io.aiomisc.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiomisc.testing.JavaProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ExampleApplicationTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void runsBothServicesAndStopsCleanlyOnSigterm() throws Exception {
        try (JavaProcess app = JavaProcess.start(ExampleApplication.class, Map.of(), "50")) {
            app.awaitStderr(line -> line.contains("(beat 2)"), WAIT);
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
    void refusesAnHttpPortOutOfRangeNamingIt() throws Exception {
        try (JavaProcess app = JavaProcess.start(ExampleApplication.class, Map.of(), "50", "70000")) {
            assertNotEquals(0, app.awaitExit(WAIT), app::transcript);
            assertTrue(app.stderr().stream().anyMatch(line -> line.contains("70000")), app::transcript);
            assertTrue(app.stderr().stream().noneMatch(line -> line.contains("Greeter started")), app::transcript);
        }
    }

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
