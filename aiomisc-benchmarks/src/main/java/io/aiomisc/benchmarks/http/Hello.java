package io.aiomisc.benchmarks.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The hello handler of the HTTP comparison ({@code aiomisc-benchmarks/http-bench}), the same object
 * for every server: answers every request with 200, {@code text/plain} and the five bytes
 * {@code hello}, as nginx's {@code return 200 "hello"} does.
 *
 * <p>Two thread modes: {@link Mode#BLOCKING} is a plain {@code Handler.Abstract}, which Jetty runs
 * on a virtual thread (a handler that may block); {@link Mode#NONBLOCKING} extends
 * {@code Handler.Abstract.NonBlocking}, which Jetty runs on the selector thread that read the request.
 */
final class Hello {
    /** The thread mode of the handler, from the command line's {@code blocking|nonblocking}. */
    enum Mode {
        BLOCKING,
        NONBLOCKING;

        /**
         * @throws IllegalArgumentException naming the value unless it is {@code blocking} or {@code nonblocking}
         */
        static Mode parse(String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "blocking" -> BLOCKING;
                case "nonblocking" -> NONBLOCKING;
                default ->
                    throw new IllegalArgumentException("mode must be blocking or nonblocking, got '" + value + "'");
            };
        }
    }

    private static final ByteBuffer BODY =
            ByteBuffer.wrap("hello".getBytes(StandardCharsets.US_ASCII)).asReadOnlyBuffer();
    private static final HttpField CONTENT_TYPE = new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, "text/plain");

    private Hello() {}

    /** A new hello handler in {@code mode}. */
    static Handler handler(Mode mode) {
        return mode == Mode.BLOCKING ? new Blocking() : new NonBlocking();
    }

    /**
     * Parses the command line {@code PORT MODE} of both servers.
     *
     * @return the port (0: any free one)
     * @throws IllegalArgumentException naming the argument when it is missing or bad
     */
    static int port(String[] args) {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: PORT blocking|nonblocking, got " + args.length + " argument(s)");
        }
        int port = Integer.parseInt(args[0]);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be in 0..65535, got " + port);
        }
        return port;
    }

    private static boolean respond(Response response, Callback callback) {
        response.setStatus(200);
        response.getHeaders().put(CONTENT_TYPE);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, BODY.remaining());
        response.write(true, BODY.slice(), callback);
        return true;
    }

    /** May block: Jetty runs it on a virtual thread. */
    private static final class Blocking extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            return respond(response, callback);
        }
    }

    /** Declares it never blocks: Jetty runs it on the selector thread. */
    private static final class NonBlocking extends Handler.Abstract.NonBlocking {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            return respond(response, callback);
        }
    }
}
