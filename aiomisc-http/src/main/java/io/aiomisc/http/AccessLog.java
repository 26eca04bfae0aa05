package io.aiomisc.http;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One INFO record per request on the logger {@value #LOGGER}:
 * {@code 127.0.0.1 "GET /hello HTTP/1.1" 200 1.2 ms}. Silence it by setting that logger's level
 * to WARN; when INFO is off it costs nothing but a level check.
 */
final class AccessLog implements RequestLog {
    /** The access log's logger name. */
    static final String LOGGER = "io.aiomisc.http.access";

    private static final Logger log = LoggerFactory.getLogger(LOGGER);

    @Override
    public void log(Request request, Response response) {
        if (!log.isInfoEnabled()) {
            return;
        }
        long nanos = System.nanoTime() - request.getBeginNanoTime();
        log.info(
                "{} \"{} {} {}\" {} {} ms",
                Request.getRemoteAddr(request),
                request.getMethod(),
                request.getHttpURI().getPathQuery(),
                request.getConnectionMetaData().getProtocol(),
                response.getStatus(),
                String.format(java.util.Locale.ROOT, "%.1f", nanos / 1e6));
    }
}
