package io.aiomisc.sentry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import org.awaitility.Awaitility;

/**
 * A Sentry ingestion endpoint on loopback for tests: records every envelope it receives (gunzipped
 * and parsed), and answers 200, a given error status, or never (until {@link #close()}).
 */
final class FakeSentry implements AutoCloseable {
    /** The public key of {@link #dsn()}. */
    static final String PUBLIC_KEY = "pubK7q3zx9";
    /** The secret key of {@link #dsn()}. */
    static final String SECRET_KEY = "secR4m8wv2";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final List<Envelope> envelopes = new CopyOnWriteArrayList<>();
    private final CountDownLatch released = new CountDownLatch(1);
    private final CountDownLatch requested = new CountDownLatch(1);
    private final AtomicInteger requests = new AtomicInteger();
    private volatile int status = 200;
    private volatile boolean hang;

    /** One received request: its path, its headers' auth and the parsed items. */
    record Envelope(String path, String auth, JsonNode header, List<Item> items) {}

    /** One item of an envelope: its header and its payload (JSON, or null if not JSON). */
    record Item(JsonNode header, JsonNode payload) {
        String type() {
            return header.path("type").asText();
        }
    }

    FakeSentry() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** A DSN for project 42 on this endpoint, with {@link #PUBLIC_KEY} and {@link #SECRET_KEY}. */
    String dsn() {
        return "http://" + PUBLIC_KEY + ":" + SECRET_KEY + "@127.0.0.1:" + port() + "/42";
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** From now on, requests are answered with {@code code} (e.g. 500, 429). */
    FakeSentry answer(int code) {
        this.status = code;
        return this;
    }

    /** From now on, requests are read and then never answered until {@link #close()}. */
    FakeSentry hang() {
        this.hang = true;
        return this;
    }

    /** Waits up to {@code timeout} for the first request to arrive. */
    boolean awaitRequest(Duration timeout) throws InterruptedException {
        return requested.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    int requests() {
        return requests.get();
    }

    List<Envelope> envelopes() {
        return List.copyOf(envelopes);
    }

    /** The payloads of every item of type {@code event} received so far, in order. */
    List<JsonNode> events() {
        List<JsonNode> events = new ArrayList<>();
        for (Envelope envelope : envelopes) {
            for (Item item : envelope.items()) {
                if (item.type().equals("event")) {
                    events.add(item.payload());
                }
            }
        }
        return events;
    }

    /** Waits up to 10 s for at least {@code count} events and returns all of them. */
    List<JsonNode> awaitEvents(int count) {
        return Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(10))
                .until(this::events, events -> events.size() >= count);
    }

    /** The messages (formatted) of the events received so far, in order. */
    List<String> messages() {
        return events().stream().map(FakeSentry::message).toList();
    }

    static String message(JsonNode event) {
        JsonNode message = event.path("message");
        return message.has("formatted")
                ? message.get("formatted").asText()
                : message.path("message").asText();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] raw = exchange.getRequestBody().readAllBytes();
            InputStream in = new ByteArrayInputStream(raw);
            if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                in = new GZIPInputStream(in);
            }
            envelopes.add(parse(
                    exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("X-Sentry-Auth"),
                    in.readAllBytes()));
            requests.incrementAndGet();
            requested.countDown();
            if (hang) {
                try {
                    released.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return;
            }
            int code = status;
            if (code == 429) {
                exchange.getResponseHeaders().add("Retry-After", "60");
            }
            exchange.sendResponseHeaders(code, -1);
        }
    }

    /** Sentry's envelope: a header line, then per item a header line and a payload of its length. */
    static Envelope parse(String path, String auth, byte[] body) {
        try {
            int[] position = {0};
            JsonNode header = JSON.readTree(line(body, position));
            List<Item> items = new ArrayList<>();
            while (position[0] < body.length) {
                String itemHeaderText = line(body, position);
                if (itemHeaderText.isBlank()) {
                    continue;
                }
                JsonNode itemHeader = JSON.readTree(itemHeaderText);
                byte[] payload;
                if (itemHeader.has("length")) {
                    int length = itemHeader.get("length").asInt();
                    payload = java.util.Arrays.copyOfRange(body, position[0], position[0] + length);
                    position[0] += length;
                    if (position[0] < body.length && body[position[0]] == '\n') {
                        position[0]++;
                    }
                } else {
                    payload = line(body, position).getBytes(StandardCharsets.UTF_8);
                }
                JsonNode parsed;
                try {
                    parsed = JSON.readTree(payload);
                } catch (IOException notJson) {
                    parsed = null;
                }
                items.add(new Item(itemHeader, parsed));
            }
            return new Envelope(path, auth, header, List.copyOf(items));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String line(byte[] body, int[] position) {
        int start = position[0];
        int end = start;
        while (end < body.length && body[end] != '\n') {
            end++;
        }
        position[0] = Math.min(end + 1, body.length);
        return new String(body, start, end - start, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        released.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
