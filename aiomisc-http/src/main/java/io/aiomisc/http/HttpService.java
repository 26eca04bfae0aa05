package io.aiomisc.http;

import io.aiomisc.Service;
import io.aiomisc.net.TlsConfig;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import org.eclipse.jetty.server.Handler;

/**
 * An HTTP server serving a Jetty {@link Handler}: aiomisc's {@code AIOHTTPService}. Requests run on
 * virtual threads, so a handler may block (sleep, call a database) without holding back other
 * requests; a handler that extends {@code Handler.Abstract.NonBlocking} (it never blocks) runs on
 * Jetty's I/O thread instead, which is faster for tiny responses.
 *
 * <pre>{@code
 * HttpService hello = HttpService.create("127.0.0.1", 8080, new Handler.Abstract() {
 *     public boolean handle(Request request, Response response, Callback callback) {
 *         Content.Sink.write(response, true, "hello", callback);
 *         return true;
 *     }
 * });
 * Entrypoint.builder().services(hello).build().start().runForever();
 * }</pre>
 *
 * <p>Port 0 binds any free port: {@link #localAddress()} tells which. {@link #stop(Throwable)} is
 * graceful: the server stops accepting connections, lets requests in flight finish within
 * {@link #shutdownTimeout()} (5 s, aiomisc's {@code shutdown_timeout}), then closes everything. A
 * handler that throws gets a 500 response and one ERROR record; the server goes on. Malformed
 * requests get 400 and oversized headers (over 8 KiB) 431 from Jetty without reaching the handler.
 * Every request is logged at INFO on the logger {@code io.aiomisc.http.access}.
 *
 * <p>Thread-safety: {@code start} and {@code stop} are called by the entrypoint; {@link #localAddress()}
 * from any thread.
 */
public abstract class HttpService extends Service {
    /** Default {@link #shutdownTimeout()}: 5 s. */
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);

    private final HttpEndpoint endpoint;

    /**
     * A service that will listen on {@code address:port}.
     *
     * @param address the host name or IP address to bind, e.g. {@code "0.0.0.0"} or {@code "127.0.0.1"}
     * @param port    the port, 0 for any free one
     * @throws IllegalArgumentException naming the port unless it is in 0..65535, or if the address is blank
     * @throws NullPointerException     if {@code address} is null
     */
    protected HttpService(String address, int port) {
        this.endpoint = new HttpEndpoint(address, port);
    }

    /**
     * A service serving {@code handler}.
     *
     * @param address the address to bind
     * @param port    the port, 0 for any free one
     * @param handler the handler of every request
     * @return a new service
     * @throws IllegalArgumentException naming the port unless it is in 0..65535
     */
    public static HttpService create(String address, int port, Handler handler) {
        Objects.requireNonNull(handler, "handler");
        return new HttpService(address, port) {
            @Override
            protected Handler createHandler() {
                return handler;
            }
        };
    }

    /**
     * The handler of every request, made once at each start.
     *
     * @return the handler
     * @throws Exception to fail the start
     */
    protected abstract Handler createHandler() throws Exception;

    /**
     * How long a stop lets requests in flight finish. Default {@link #DEFAULT_SHUTDOWN_TIMEOUT}.
     *
     * @return a positive duration
     */
    protected Duration shutdownTimeout() {
        return DEFAULT_SHUTDOWN_TIMEOUT;
    }

    /** The TLS configuration, or null for plain HTTP; {@link HttpsService} returns its own. */
    TlsConfig tls() {
        return null;
    }

    /**
     * Binds and starts the server; returns once it accepts connections. Blocks while Jetty starts.
     *
     * @throws java.io.IOException naming the address and port when they cannot be bound (nothing is
     *                             left bound or running)
     * @throws Exception           what {@link #createHandler()} throws
     */
    @Override
    public void start() throws Exception {
        Handler handler = Objects.requireNonNull(createHandler(), "createHandler() returned null");
        endpoint.start(name(), tls(), handler, shutdownTimeout());
    }

    /**
     * Stops gracefully (see the class description). Blocks until the server has stopped, at most
     * about {@link #shutdownTimeout()}; handlers still running then are interrupted. Interrupting
     * the calling thread ends the wait for requests in flight early (they are cut off); the server
     * still closes completely and the interrupt status is set again.
     */
    @Override
    public void stop(Throwable exception) throws Exception {
        endpoint.stop();
    }

    /**
     * The address the server listens on.
     *
     * @return the bound address, with the real port when 0 was asked for
     * @throws IllegalStateException when the service is not running
     */
    public InetSocketAddress localAddress() {
        return endpoint.localAddress(name());
    }
}
