package io.aiomisc.http;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an exception thrown by the user's handler into one ERROR record (logger
 * {@code io.aiomisc.http.HttpService}) and a 500 response, so that Jetty's layers do not each log it
 * again; the server goes on. A response already committed is aborted instead.
 */
final class FailureGuard extends Handler.Wrapper {
    private static final Logger log = LoggerFactory.getLogger(HttpService.class);

    FailureGuard(Handler handler) {
        super(handler);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        try {
            return super.handle(request, response, callback);
        } catch (Throwable e) {
            log.error(
                    "Handler failed on {} {}",
                    request.getMethod(),
                    request.getHttpURI().getPathQuery(),
                    e);
            if (response.isCommitted()) {
                callback.failed(e);
            } else {
                Response.writeError(request, response, callback, 500);
            }
            return true;
        }
    }
}
