package io.aiomisc.http;

import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Handlers and thread checks shared by the HttpService tests. */
final class HcHandlers {
    private HcHandlers() {}

    /** A handler answering 200 with the body {@code body.call()} computes (it may block). */
    static Handler answering(Callable<String> body) {
        return new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                String text = body.call();
                Content.Sink.write(response, true, text, callback);
                return true;
            }
        };
    }

    /** A handler answering 200 with {@code "hello <path>"}. */
    static Handler hello() {
        return new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                Content.Sink.write(response, true, "hello " + Request.getPathInContext(request), callback);
                return true;
            }
        };
    }

    /** The names of the live threads starting with {@code aiomisc-http-}. */
    static Set<String> httpThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(n -> n.startsWith("aiomisc-http-"))
                .collect(Collectors.toSet());
    }
}
