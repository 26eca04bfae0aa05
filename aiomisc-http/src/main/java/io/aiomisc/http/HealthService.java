package io.aiomisc.http;

import io.aiomisc.Entrypoint;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The health endpoints orchestrators probe (Kubernetes' liveness and readiness):
 * <ul>
 * <li>{@code GET /health/live} → 200 {@code {"status":"live"}} from this service's start until its
 * stop;</li>
 * <li>{@code GET /health/ready} → 200 {@code {"status":"ready"}} while the entrypoint runs (every
 * service started, the shutdown not begun), else 503 {@code {"status":"starting"}} or
 * {@code {"status":"stopping"}}; outside an entrypoint it answers as {@code /health/live};</li>
 * <li>anything else → 404.</li>
 * </ul>
 * The handler never blocks and runs on Jetty's I/O threads.
 */
public class HealthService extends HttpService {
    /**
     * A health service on {@code address:port}.
     *
     * @param address the address to bind
     * @param port    the port, 0 for any free one
     * @throws IllegalArgumentException naming the port unless it is in 0..65535
     */
    public HealthService(String address, int port) {
        super(address, port);
    }

    @Override
    protected Handler createHandler() {
        Entrypoint entrypoint;
        try {
            entrypoint = entrypoint();
        } catch (IllegalStateException e) {
            entrypoint = null;
        }
        return new Probes(entrypoint);
    }

    private static final class Probes extends Handler.Abstract.NonBlocking {
        private final Entrypoint entrypoint; // null outside an entrypoint

        Probes(Entrypoint entrypoint) {
            this.entrypoint = entrypoint;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            String path = request.getHttpURI().getPath();
            int status;
            String body;
            if ("/health/live".equals(path)) {
                status = 200;
                body = "live";
            } else if ("/health/ready".equals(path)) {
                if (entrypoint == null || entrypoint.isRunning()) {
                    status = 200;
                    body = "ready";
                } else {
                    status = 503;
                    body = entrypoint.closing().isDone() ? "stopping" : "starting";
                }
            } else {
                status = 404;
                body = "not found";
            }
            response.setStatus(status);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
            response.write(
                    true,
                    java.nio.ByteBuffer.wrap(("{\"status\":\"" + body + "\"}").getBytes(StandardCharsets.UTF_8)),
                    callback);
            return true;
        }
    }
}
