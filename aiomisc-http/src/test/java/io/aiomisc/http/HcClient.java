package io.aiomisc.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Client side of the HttpService tests: the JDK's HttpClient over HTTP/1.1 and raw sockets. */
final class HcClient {
    /** The bound of every single client operation; the tests' own @Timeout bounds the whole. */
    static final Duration PATIENCE = Duration.ofSeconds(30);

    private HcClient() {}

    /** A client speaking HTTP/1.1 only (so every request has its own visible connection). */
    static HttpClient newClient() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(PATIENCE)
                .build();
    }

    static HttpRequest request(int port, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(PATIENCE)
                .build();
    }

    static HttpResponse<String> get(HttpClient client, int port, String path) throws IOException, InterruptedException {
        return client.send(request(port, path), HttpResponse.BodyHandlers.ofString());
    }

    static CompletableFuture<HttpResponse<String>> getAsync(HttpClient client, int port, String path) {
        return client.sendAsync(request(port, path), HttpResponse.BodyHandlers.ofString());
    }

    /** GET on a fresh client, closed afterwards. */
    static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        try (HttpClient client = newClient()) {
            return get(client, port, path);
        }
    }

    /**
     * Sends {@code bytes} over a new connection and reads what comes back until the server closes
     * the connection (or {@link #PATIENCE} passes without a byte).
     */
    static String raw(int port, byte[] bytes) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), (int) PATIENCE.toMillis());
            socket.setSoTimeout((int) PATIENCE.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(bytes);
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            try {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    received.write(buffer, 0, n);
                }
            } catch (SocketTimeoutException | java.net.SocketException e) {
                // a reset after the response: what was received is the answer
                if (received.size() == 0) {
                    throw e;
                }
            }
            return received.toString(StandardCharsets.ISO_8859_1);
        }
    }

    /** The status code of a raw HTTP/1.1 response, e.g. 400 of {@code "HTTP/1.1 400 Bad Request"}. */
    static int status(String rawResponse) {
        if (!rawResponse.startsWith("HTTP/1.1 ")) {
            throw new AssertionError("not an HTTP/1.1 response: " + rawResponse);
        }
        return Integer.parseInt(rawResponse.substring(9, 12));
    }

    /** True if a new TCP connection to {@code port} is refused. */
    static boolean refused(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), (int) PATIENCE.toMillis());
            return false;
        } catch (java.net.ConnectException e) {
            return true;
        } catch (IOException e) {
            throw new AssertionError("connecting failed otherwise than refused", e);
        }
    }
}
