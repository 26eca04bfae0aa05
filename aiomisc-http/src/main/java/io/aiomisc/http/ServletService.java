package io.aiomisc.http;

import io.aiomisc.Service;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;

/**
 * A server for a Jakarta Servlet 6 application: aiomisc's {@code ASGIHTTPService} and
 * {@code UvicornService} (an application behind a standard interface). Requests run on virtual
 * threads; graceful stop, access log, port 0 and bad input as {@link HttpService}.
 *
 * <pre>{@code
 * ServletContextHandler context = new ServletContextHandler();
 * context.addServlet(new ServletHolder(new HelloServlet()), "/hello");
 * ServletService service = ServletService.create("127.0.0.1", 8080, context);
 * }</pre>
 */
public abstract class ServletService extends Service {
    private final HttpEndpoint endpoint;

    /**
     * A service that will listen on {@code address:port}.
     *
     * @param address the address to bind
     * @param port    the port, 0 for any free one
     * @throws IllegalArgumentException naming the port unless it is in 0..65535
     */
    protected ServletService(String address, int port) {
        this.endpoint = new HttpEndpoint(address, port);
    }

    /**
     * A service serving {@code context}.
     *
     * @param address the address to bind
     * @param port    the port, 0 for any free one
     * @param context the servlet application
     * @return a new service
     */
    public static ServletService create(String address, int port, ServletContextHandler context) {
        Objects.requireNonNull(context, "context");
        return new ServletService(address, port) {
            @Override
            protected ServletContextHandler createContext() {
                return context;
            }
        };
    }

    /**
     * The servlet application, made at each start.
     *
     * @return the context
     * @throws Exception to fail the start
     */
    protected abstract ServletContextHandler createContext() throws Exception;

    /**
     * How long a stop lets requests in flight finish. Default {@link HttpService#DEFAULT_SHUTDOWN_TIMEOUT} (5 s).
     *
     * @return a positive duration
     */
    protected Duration shutdownTimeout() {
        return HttpService.DEFAULT_SHUTDOWN_TIMEOUT;
    }

    /**
     * Binds and starts the server with the application; returns once it accepts connections.
     *
     * @throws java.io.IOException naming the address and port when they cannot be bound
     */
    @Override
    public void start() throws Exception {
        ServletContextHandler context = Objects.requireNonNull(createContext(), "createContext() returned null");
        endpoint.start(name(), null, context, shutdownTimeout());
    }

    /**
     * Stops gracefully, as {@link HttpService#stop(Throwable)}: blocks at most about
     * {@link #shutdownTimeout()}; an interrupt cuts the requests in flight, closes everything and
     * is kept.
     */
    @Override
    public void stop(Throwable exception) throws Exception {
        endpoint.stop();
    }

    /**
     * The address the server listens on.
     *
     * @return the bound address
     * @throws IllegalStateException when the service is not running
     */
    public InetSocketAddress localAddress() {
        return endpoint.localAddress(name());
    }
}
