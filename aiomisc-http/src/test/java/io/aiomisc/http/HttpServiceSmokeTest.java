package io.aiomisc.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.Test;

class HttpServiceSmokeTest {
    @Test
    void hello() throws Exception {
        HttpService service = HttpService.create("127.0.0.1", 0, new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                Content.Sink.write(
                        response, true, "hello " + Thread.currentThread().isVirtual(), callback);
                return true;
            }
        });
        service.start();
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> response = client.send(
                    HttpRequest.newBuilder(URI.create(
                                    "http://127.0.0.1:" + service.localAddress().getPort() + "/x"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            assertEquals("hello true", response.body());
        } finally {
            service.stop(null);
        }
    }
}
