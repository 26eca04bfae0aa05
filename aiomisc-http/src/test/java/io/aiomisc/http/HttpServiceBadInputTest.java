package io.aiomisc.http;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import io.aiomisc.Service;
import io.aiomisc.junit.AiomiscTest;
import io.aiomisc.junit.Services;
import io.aiomisc.junit.UnusedPort;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** HttpService against bad input: bad ports, a busy port, failing handlers, malformed requests. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@ExtendWith(HcQuietJetty.class)
class HttpServiceBadInputTest {
    /** Counts the requests that reach it; {@code /boom} throws. */
    static final class HcCountingHandler extends Handler.Abstract {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            calls.incrementAndGet();
            if (Request.getPathInContext(request).equals("/boom")) {
                throw new IllegalStateException("boom from the handler");
            }
            Content.Sink.write(response, true, "ok", callback);
            return true;
        }
    }

    /** A subclass, to check the protected constructor as well as {@code create}. */
    static final class HcPortService extends HttpService {
        HcPortService(int port) {
            super("127.0.0.1", port);
        }

        @Override
        protected Handler createHandler() {
            return HcHandlers.hello();
        }
    }

    /** What the service of the {@link AiomiscTest} tests counts. */
    final HcCountingHandler handler = new HcCountingHandler();

    @UnusedPort
    int port;

    /** The services of the {@link AiomiscTest} tests: one serving {@link #handler} on {@link #port}. */
    @Services
    List<Service> services() {
        return List.of(HttpService.create("127.0.0.1", port, handler));
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 65536, Integer.MIN_VALUE, Integer.MAX_VALUE})
    void aPortOutOfRangeIsRejectedAtConstructionNamingIt(int outside) {
        IllegalArgumentException viaCreate = assertThrows(
                IllegalArgumentException.class, () -> HttpService.create("127.0.0.1", outside, HcHandlers.hello()));
        assertTrue(
                viaCreate.getMessage().contains("port")
                        && viaCreate.getMessage().contains(String.valueOf(outside)),
                viaCreate.getMessage());
        IllegalArgumentException viaSubclass =
                assertThrows(IllegalArgumentException.class, () -> new HcPortService(outside));
        assertTrue(viaSubclass.getMessage().contains(String.valueOf(outside)), viaSubclass.getMessage());
    }

    @Test
    void aPortInUseFailsStartNamingItAndLeavesNothingBound() throws Exception {
        HttpService service;
        int takenPort;
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            takenPort = taken.getLocalPort();
            service = new HcPortService(takenPort);
            Exception failure = assertThrows(Exception.class, service::start);
            assertTrue(
                    chain(failure).contains(String.valueOf(takenPort)), "the port is not named in: " + chain(failure));
            assertThrows(IllegalStateException.class, service::localAddress);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> HcHandlers.httpThreads().isEmpty());
        }
        // the failed start left nothing bound: the same service now binds the freed port
        service.start();
        try {
            assertEquals(takenPort, service.localAddress().getPort());
            HttpResponse<String> response = HcClient.get(takenPort, "/again");
            assertEquals(200, response.statusCode());
            assertEquals("hello /again", response.body());
        } finally {
            service.stop(null);
        }
    }

    @Test
    @AiomiscTest
    void aHandlerThatThrowsGets500AndOneErrorRecordAndTheServerGoesOn() throws Exception {
        // the root logger: no other layer (Jetty's) may log the failure again
        try (HcLogs all = HcLogs.of(org.slf4j.Logger.ROOT_LOGGER_NAME, Level.INFO);
                HttpClient client = HcClient.newClient()) {
            HttpResponse<String> failed = HcClient.get(client, port, "/boom");
            assertEquals(500, failed.statusCode());

            HttpResponse<String> next = HcClient.get(client, port, "/next");
            assertEquals(200, next.statusCode());
            assertEquals("ok", next.body());
            assertEquals(2, handler.calls.get());

            // both access records are in once the second request is logged: the failure's came before
            await().atMost(HcClient.PATIENCE).until(() -> all.events().stream()
                    .anyMatch(e -> e.getLoggerName().equals(AccessLog.LOGGER)
                            && e.getFormattedMessage().contains("/next")));
            List<ILoggingEvent> aboutBoom = all.events().stream()
                    .filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                    .toList();
            assertEquals(1, aboutBoom.size(), aboutBoom.toString());
            ILoggingEvent error = aboutBoom.get(0);
            assertEquals(Level.ERROR, error.getLevel());
            assertEquals(HttpService.class.getName(), error.getLoggerName());
            assertTrue(error.getFormattedMessage().contains("/boom"), error.getFormattedMessage());
            IThrowableProxy thrown = error.getThrowableProxy();
            assertEquals("boom from the handler", thrown.getMessage());
        }
    }

    @Test
    @AiomiscTest
    void garbageBytesGet400WithoutReachingTheHandlerAndTheServerGoesOn() throws Exception {
        byte[] garbage = {0x01, 0x02, (byte) 0xff, 0x7f, 'G', 'E', 'T', 0x00, '\r', '\n', '\r', '\n'};
        String response = HcClient.raw(port, garbage);
        assertEquals(400, HcClient.status(response), response);
        assertEquals(0, handler.calls.get());

        assertEquals(200, HcClient.get(port, "/after").statusCode());
        assertEquals(1, handler.calls.get());
    }

    @Test
    @AiomiscTest
    void headersOver8KiBGet431WithoutReachingTheHandlerAndTheServerGoesOn() throws Exception {
        String request = "GET /big HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "a".repeat(10 * 1024)
                + "\r\nConnection: close\r\n\r\n";
        String response = HcClient.raw(port, request.getBytes(StandardCharsets.US_ASCII));
        assertEquals(431, HcClient.status(response), response);
        assertEquals(0, handler.calls.get());

        // just under the limit is served
        String fits = "GET /fits HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "a".repeat(7 * 1024)
                + "\r\nConnection: close\r\n\r\n";
        assertEquals(200, HcClient.status(HcClient.raw(port, fits.getBytes(StandardCharsets.US_ASCII))));
        assertEquals(1, handler.calls.get());
    }

    private static String chain(Throwable failure) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            text.append(t).append(" <- ");
        }
        return text.toString();
    }
}
