package io.aiomisc.http;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** HttpService's graceful stop: requests in flight finish, new connections are refused, a hang is cut. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@ExtendWith(HcQuietJetty.class)
class HttpServiceStopTest {
    /** A service with a chosen shutdown timeout. */
    static final class HcTimedService extends HttpService {
        private final Handler handler;
        private final Duration shutdownTimeout;

        HcTimedService(Handler handler, Duration shutdownTimeout) {
            super("127.0.0.1", 0);
            this.handler = handler;
            this.shutdownTimeout = shutdownTimeout;
        }

        @Override
        protected Handler createHandler() {
            return handler;
        }

        @Override
        protected Duration shutdownTimeout() {
            return shutdownTimeout;
        }
    }

    @Test
    void stopLetsARequestInFlightCompleteWhileRefusingNewConnections() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Handler slow = new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                inside.countDown();
                release.await();
                Content.Sink.write(response, true, "finished", callback);
                return true;
            }
        };
        // far longer than the test needs: the request must finish because it is let finish, not cut
        HttpService service = new HcTimedService(slow, Duration.ofSeconds(60));
        service.start();
        int port = service.localAddress().getPort();
        CompletableFuture<Void> stopped = new CompletableFuture<>();
        try (HttpClient client = HcClient.newClient()) {
            CompletableFuture<HttpResponse<String>> inFlight = HcClient.getAsync(client, port, "/slow");
            assertTrue(inside.await(HcClient.PATIENCE.toSeconds(), TimeUnit.SECONDS), "request in flight");

            Thread.ofVirtual().start(() -> {
                try {
                    service.stop(null);
                    stopped.complete(null);
                } catch (Throwable e) {
                    stopped.completeExceptionally(e);
                }
            });
            await().atMost(HcClient.PATIENCE).until(() -> HcClient.refused(port));
            assertFalse(stopped.isDone(), "stop() returned while a request was in flight");
            assertFalse(inFlight.isDone(), "the request in flight ended before it was released");

            release.countDown();
            HttpResponse<String> response = inFlight.get(HcClient.PATIENCE.toSeconds(), TimeUnit.SECONDS);
            assertEquals(200, response.statusCode());
            assertEquals("finished", response.body());
            stopped.get(HcClient.PATIENCE.toSeconds(), TimeUnit.SECONDS);
        } finally {
            release.countDown();
            if (!stopped.isDone()) {
                service.stop(null);
            }
        }
        assertThrows(IllegalStateException.class, service::localAddress);
    }

    @Test
    void aNeverEndingRequestIsCutAndStopReturnsWithinTheShutdownTimeout() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch handlerEnded = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        Handler hang = new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                try {
                    inside.countDown();
                    never.await(); // until interrupted
                    return false;
                } finally {
                    handlerEnded.countDown();
                }
            }
        };
        Duration shutdownTimeout = Duration.ofSeconds(1);
        HttpService service = new HcTimedService(hang, shutdownTimeout);
        service.start();
        int port = service.localAddress().getPort();
        try (HttpClient client = HcClient.newClient()) {
            CompletableFuture<HttpResponse<String>> inFlight = HcClient.getAsync(client, port, "/forever");
            assertTrue(inside.await(HcClient.PATIENCE.toSeconds(), TimeUnit.SECONDS), "request in flight");

            long begin = System.nanoTime();
            service.stop(null);
            Duration took = Duration.ofNanos(System.nanoTime() - begin);

            // it waited for the request (about the timeout), and ended well before the 5 s default
            assertTrue(took.compareTo(shutdownTimeout.minusMillis(200)) >= 0, "stop took only " + took);
            assertTrue(took.compareTo(shutdownTimeout.plusSeconds(3)) < 0, "stop took " + took);
            assertTrue(HcClient.refused(port), "still listening after stop");
            // the client sees its request fail: no 200 for a request that never ended
            try {
                HttpResponse<String> response = inFlight.get(HcClient.PATIENCE.toSeconds(), TimeUnit.SECONDS);
                assertTrue(response.statusCode() >= 500, "a cut request answered " + response.statusCode());
            } catch (ExecutionException expected) {
                // the connection was closed under it
            }
            assertTrue(
                    handlerEnded.await(HcClient.PATIENCE.toSeconds(), TimeUnit.SECONDS),
                    "the hanging handler's thread was never interrupted");
        } finally {
            never.countDown();
        }
    }
}
