package io.aiomisc.http;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.aiomisc.Entrypoint;
import io.aiomisc.junit.AiomiscTest;
import io.aiomisc.testing.TestEntrypoints;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** HttpService serving: hello, concurrency, blocking handlers, the access log, inside an entrypoint. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@ExtendWith(HcQuietJetty.class)
@AiomiscTest
class HttpServiceTest {
    @Test
    void helloOverHttp11OnPortZeroRunsTheHandlerOnAVirtualThread(Entrypoint entrypoint) throws Exception {
        HttpService service = HttpService.create(
                "127.0.0.1",
                0,
                HcHandlers.answering(() -> "hello " + Thread.currentThread().isVirtual()));
        entrypoint.startServices(service);
        InetSocketAddress address = service.localAddress();
        assertNotEquals(0, address.getPort());
        assertEquals("127.0.0.1", address.getAddress().getHostAddress());
        HttpResponse<String> response = HcClient.get(address.getPort(), "/x");
        assertEquals(200, response.statusCode());
        assertEquals(HttpClient.Version.HTTP_1_1, response.version());
        assertEquals("hello true", response.body());
    }

    /** A service written as a subclass, the non-lambda form. */
    static final class HcGreeter extends HttpService {
        HcGreeter() {
            super("127.0.0.1", 0);
        }

        @Override
        protected Handler createHandler() {
            return new Handler.Abstract() {
                @Override
                public boolean handle(Request request, Response response, Callback callback) {
                    Content.Sink.write(response, true, "greetings from " + name(), callback);
                    return true;
                }
            };
        }
    }

    @Test
    void aSubclassServesTheHandlerOfCreateHandler(Entrypoint entrypoint) throws Exception {
        HttpService service = new HcGreeter();
        entrypoint.startServices(service);
        HttpResponse<String> response = HcClient.get(service.localAddress().getPort(), "/");
        assertEquals(200, response.statusCode());
        assertEquals("greetings from HcGreeter", response.body());
    }

    @Test
    void localAddressThrowsBeforeStartAndAfterStop() throws Exception {
        HttpService service = HttpService.create("127.0.0.1", 0, HcHandlers.hello());
        IllegalStateException before = assertThrows(IllegalStateException.class, service::localAddress);
        assertTrue(before.getMessage().contains("not running"), before.getMessage());
        service.start();
        int port = service.localAddress().getPort();
        service.stop(null);
        assertThrows(IllegalStateException.class, service::localAddress);
        assertTrue(HcClient.refused(port), "still listening on " + port + " after stop");
    }

    /**
     * 500 requests at once: every handler waits until all 500 are inside, so this fails unless the
     * server runs 500 handlers concurrently (Jetty's VirtualThreadPool allows only 200 by default).
     */
    @Test
    void fiveHundredConcurrentRequestsAllSucceed(Entrypoint entrypoint) throws Exception {
        int count = 500;
        CountDownLatch allInside = new CountDownLatch(count);
        HttpService service = HttpService.create("127.0.0.1", 0, new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                allInside.countDown();
                if (!allInside.await(HcClient.PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
                    Response.writeError(request, response, callback, 503, "not all requests arrived");
                    return true;
                }
                Content.Sink.write(response, true, "hello " + Request.getPathInContext(request), callback);
                return true;
            }
        });
        entrypoint.startServices(service);
        try (HttpClient client = HcClient.newClient();
                ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
            int port = service.localAddress().getPort();
            List<Future<HttpResponse<String>>> responses = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String path = "/" + i;
                responses.add(senders.submit(() -> HcClient.get(client, port, path)));
            }
            for (int i = 0; i < count; i++) {
                HttpResponse<String> response = responses.get(i).get();
                assertEquals(200, response.statusCode(), response.body());
                assertEquals("hello /" + i, response.body());
            }
        }
    }

    @Test
    void aBlockingHandlerDoesNotHoldBackOtherRequests(Entrypoint entrypoint) throws Exception {
        int slowCount = 50;
        CountDownLatch slowInside = new CountDownLatch(slowCount);
        CountDownLatch release = new CountDownLatch(1);
        HttpService service = HttpService.create("127.0.0.1", 0, new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                String path = Request.getPathInContext(request);
                if (path.startsWith("/slow")) {
                    slowInside.countDown();
                    release.await(); // blocks a virtual thread, and only that one
                }
                Content.Sink.write(response, true, path, callback);
                return true;
            }
        });
        entrypoint.startServices(service);
        try (HttpClient client = HcClient.newClient()) {
            int port = service.localAddress().getPort();
            List<CompletableFuture<HttpResponse<String>>> slow = new ArrayList<>();
            for (int i = 0; i < slowCount; i++) {
                slow.add(HcClient.getAsync(client, port, "/slow/" + i));
            }
            assertTrue(slowInside.await(HcClient.PATIENCE.toSeconds(), TimeUnit.SECONDS), "slow requests in flight");

            HttpResponse<String> fast = HcClient.get(client, port, "/fast");
            assertEquals(200, fast.statusCode());
            assertEquals("/fast", fast.body());
            assertTrue(slow.stream().noneMatch(CompletableFuture::isDone), "a slow request finished early");

            release.countDown();
            for (int i = 0; i < slowCount; i++) {
                HttpResponse<String> response = slow.get(i).get(HcClient.PATIENCE.toSeconds(), TimeUnit.SECONDS);
                assertEquals(200, response.statusCode());
                assertEquals("/slow/" + i, response.body());
            }
        } finally {
            release.countDown(); // else the stop waits for the blocked handlers
        }
    }

    @Test
    void everyRequestGetsOneInfoRecordOnTheAccessLogger(Entrypoint entrypoint) throws Exception {
        HttpService service = HttpService.create("127.0.0.1", 0, new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                if (!Request.getPathInContext(request).equals("/found/it")) {
                    return false; // Jetty answers 404
                }
                Content.Sink.write(response, true, "yes", callback);
                return true;
            }
        });
        entrypoint.startServices(service);
        try (HcLogs access = HcLogs.of("io.aiomisc.http.access", Level.INFO);
                HttpClient client = HcClient.newClient()) {
            int port = service.localAddress().getPort();
            assertEquals(200, HcClient.get(client, port, "/found/it?q=1").statusCode());
            assertEquals(404, HcClient.get(client, port, "/missing").statusCode());

            // the record is written once the response is complete, possibly after the client saw it
            await().atMost(HcClient.PATIENCE).until(() -> access.events().size() >= 2);
            List<ILoggingEvent> records = access.events();
            assertEquals(2, records.size(), records.toString());
            assertTrue(records.stream().allMatch(e -> e.getLevel() == Level.INFO), records.toString());
            assertEquals("io.aiomisc.http.access", records.get(0).getLoggerName());
            String found = records.get(0).getFormattedMessage();
            assertTrue(found.contains("GET") && found.contains("/found/it") && found.contains(" 200 "), found);
            String missing = records.get(1).getFormattedMessage();
            assertTrue(missing.contains("GET") && missing.contains("/missing") && missing.contains(" 404 "), missing);
        }
    }

    @Test
    void servesInsideAnEntrypointAndLeavesNothingBehind() throws Exception {
        HttpService service = HttpService.create("127.0.0.1", 0, HcHandlers.hello());
        int port;
        try (Entrypoint entrypoint =
                TestEntrypoints.builder().services(service).build().start()) {
            port = service.localAddress().getPort();
            assertFalse(HcHandlers.httpThreads().isEmpty(), "Jetty's threads are named aiomisc-http-*");
            HttpResponse<String> response = HcClient.get(port, "/in/entrypoint");
            assertEquals(200, response.statusCode());
            assertEquals("hello /in/entrypoint", response.body());
        }
        assertThrows(IllegalStateException.class, service::localAddress);
        assertTrue(HcClient.refused(port), "still listening on " + port + " after close");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> HcHandlers.httpThreads().isEmpty());
    }
}
