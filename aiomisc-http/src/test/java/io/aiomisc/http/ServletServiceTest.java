package io.aiomisc.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiomisc.Entrypoint;
import io.aiomisc.junit.AiomiscTest;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
@AiomiscTest
class ServletServiceTest {
    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20)).build();

    @AfterEach
    void closeClient() {
        client.close();
    }

    /** GET answers with the path and whether it runs on a virtual thread; POST echoes the body. */
    static final class EchoServlet extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain");
            response.getWriter()
                    .print("get " + request.getPathInfo() + " "
                            + Thread.currentThread().isVirtual());
        }

        @Override
        protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
            byte[] body = request.getInputStream().readAllBytes();
            response.setContentType("application/octet-stream");
            response.getOutputStream().write(body);
        }
    }

    static final class FailingServlet extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws ServletException {
            throw new ServletException("the servlet failed on purpose");
        }
    }

    private static ServletContextHandler servletContext() {
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(new EchoServlet()), "/echo/*");
        context.addServlet(new ServletHolder(new FailingServlet()), "/fail");
        return context;
    }

    private URI uri(ServletService service, String path) {
        return URI.create("http://127.0.0.1:" + service.localAddress().getPort() + path);
    }

    private HttpResponse<String> get(ServletService service, String path) throws Exception {
        return client.send(
                HttpRequest.newBuilder(uri(service, path))
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(ServletService service, String path, String body) throws Exception {
        return client.send(
                HttpRequest.newBuilder(uri(service, path))
                        .timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                        .build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private void assertServes(ServletService service) throws Exception {
        HttpResponse<String> got = get(service, "/echo/abc");
        assertEquals(200, got.statusCode());
        assertEquals("get /abc true", got.body());

        String body = "héllo ".repeat(10_000);
        HttpResponse<String> posted = post(service, "/echo/", body);
        assertEquals(200, posted.statusCode());
        assertEquals(body, posted.body());
    }

    @Test
    void createServesGetAndPostOnVirtualThreads(Entrypoint entrypoint) throws Exception {
        ServletService service = ServletService.create("127.0.0.1", 0, servletContext());
        entrypoint.startServices(service);
        assertEquals("127.0.0.1", service.localAddress().getAddress().getHostAddress());
        assertServes(service);
    }

    @Test
    void aSubclassServesTheContextItCreates(Entrypoint entrypoint) throws Exception {
        ServletService service = new ServletService("127.0.0.1", 0) {
            @Override
            protected ServletContextHandler createContext() {
                return servletContext();
            }
        };
        entrypoint.startServices(service);
        assertServes(service);
        assertEquals(404, get(service, "/nowhere").statusCode());
    }

    @Test
    void aServletThatThrowsGets500AndTheServiceGoesOn(Entrypoint entrypoint) throws Exception {
        ServletService service = ServletService.create("127.0.0.1", 0, servletContext());
        entrypoint.startServices(service);
        assertEquals(500, get(service, "/fail").statusCode());
        assertEquals(500, get(service, "/fail").statusCode());
        assertServes(service);
    }

    @Test
    void localAddressNeedsARunningService() throws Exception {
        ServletService service = ServletService.create("127.0.0.1", 0, servletContext());
        IllegalStateException before = assertThrows(IllegalStateException.class, service::localAddress);
        assertTrue(before.getMessage().contains("not running"), before.getMessage());
        service.start();
        int port = service.localAddress().getPort();
        assertTrue(port > 0, "bound port " + port);
        service.stop(null);
        assertThrows(IllegalStateException.class, service::localAddress);
    }

    @Test
    void aPortOutOfRangeIsRejectedNamingIt() {
        ServletContextHandler context = servletContext();
        IllegalArgumentException high =
                assertThrows(IllegalArgumentException.class, () -> ServletService.create("127.0.0.1", 65536, context));
        assertTrue(high.getMessage().contains("port") && high.getMessage().contains("65536"), high.getMessage());
        IllegalArgumentException negative =
                assertThrows(IllegalArgumentException.class, () -> ServletService.create("127.0.0.1", -1, context));
        assertTrue(negative.getMessage().contains("-1"), negative.getMessage());
    }
}
