package io.aiomisc.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.aiomisc.Service;
import io.aiomisc.net.Sockets;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Prometheus scrape endpoint: {@code GET /metrics} answers every {@link io.aiomisc.stats.Statistics}
 * metric (through a {@link StatisticsMeterBinder}) and every meter added to {@link #registry()},
 * in Prometheus's text exposition format, rendered by Micrometer's Prometheus registry and served by
 * the JDK's built-in HTTP server (no Jetty needed).
 *
 * <pre>{@code
 * PrometheusService prometheus = new PrometheusService("0.0.0.0", 9090);
 * new JvmMemoryMetrics().bindTo(prometheus.registry());   // any Micrometer meter, too
 * try (Entrypoint ep = Entrypoint.builder().services(prometheus).build()) { ... }
 * // curl http://host:9090/metrics
 * // aiomisc_ThreadPoolStatistic_submitted{name="default"} 42.0
 * }</pre>
 *
 * <p><b>HTTP.</b> {@code GET} or {@code HEAD} on {@value #PATH}: 200 with content type
 * {@code text/plain; version=0.0.4; charset=utf-8}, or the OpenMetrics format when the scraper's
 * {@code Accept} asks for {@code application/openmetrics-text}; gzip when the scraper accepts it.
 * Another path → 404, another method → 405. Requests are served on virtual threads. Start logs
 * {@code Listening http://host:port/metrics} at INFO; stop closes the listener, lets scrapes in
 * flight finish (up to 1 s) and ends the binder.
 *
 * <p>Not thread-safe to configure; start and stop are called by the entrypoint.
 */
public class PrometheusService extends Service {
    /** The scrape path: {@value}. */
    public static final String PATH = "/metrics";

    private static final Logger log = LoggerFactory.getLogger(PrometheusService.class);
    private static final String OPENMETRICS = "application/openmetrics-text";

    private final String address;
    private final int port;
    private final PrometheusMeterRegistry registry;
    private final ReentrantLock lock = new ReentrantLock();
    private HttpServer server; // guarded by lock
    private ExecutorService executor; // guarded by lock
    private StatisticsMeterBinder binder; // guarded by lock
    private volatile InetSocketAddress localAddress;

    /**
     * A scrape endpoint with a registry of its own.
     *
     * @param address the address to listen on: a host name, an IP address, {@code "0.0.0.0"} or
     *                {@code "::"} for every interface
     * @param port    0..65535; 0 for an ephemeral port ({@link #localAddress()} tells)
     * @throws IllegalArgumentException naming the value if {@code port} is outside 0..65535 or
     *                                  {@code address} is blank
     * @throws NullPointerException     if {@code address} is null
     */
    public PrometheusService(String address, int port) {
        this(address, port, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    /**
     * A scrape endpoint for {@code registry}, which may be shared with other code; the statistics'
     * meters are added to it while the service runs.
     *
     * @param address  the address to listen on
     * @param port     0..65535; 0 for an ephemeral port
     * @param registry the registry to render
     * @throws IllegalArgumentException naming the value if {@code port} is outside 0..65535 or
     *                                  {@code address} is blank
     * @throws NullPointerException     if {@code address} or {@code registry} is null
     */
    public PrometheusService(String address, int port, PrometheusMeterRegistry registry) {
        Objects.requireNonNull(address, "address");
        if (address.isBlank()) {
            throw new IllegalArgumentException("address must not be blank: '" + address + "'");
        }
        this.address = address;
        this.port = Sockets.checkPort(port);
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /**
     * The registry this endpoint renders: add meters of your own to it.
     *
     * @return the registry given at construction, or the service's own
     */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /**
     * The bound address once started.
     *
     * @return the listening address and port
     * @throws IllegalStateException if the service has not started
     */
    public InetSocketAddress localAddress() {
        InetSocketAddress bound = localAddress;
        if (bound == null) {
            throw new IllegalStateException("PrometheusService is not started");
        }
        return bound;
    }

    /**
     * Binds the port, binds the statistics to the registry and serves scrapes. Blocks only to bind.
     *
     * @throws UnknownHostException  if the address cannot be resolved (the message names it)
     * @throws BindException         if the port is taken; the message names address and port
     * @throws IOException           if the server cannot be made
     * @throws IllegalStateException if the service already runs
     */
    @Override
    public void start() throws IOException {
        lock.lock();
        try {
            if (server != null) {
                throw new IllegalStateException("PrometheusService is already started");
            }
            InetSocketAddress endpoint = new InetSocketAddress(address, port);
            if (endpoint.isUnresolved()) {
                throw new UnknownHostException("Cannot resolve the Prometheus endpoint's address: " + address);
            }
            HttpServer created;
            try {
                created = HttpServer.create(endpoint, Sockets.BACKLOG);
            } catch (BindException e) {
                BindException named = new BindException(
                        "Cannot listen on http://" + Sockets.format(endpoint) + PATH + ": " + e.getMessage());
                named.initCause(e);
                throw named;
            }
            ExecutorService requests = Executors.newThreadPerTaskExecutor(
                    Thread.ofVirtual().name("aiomisc-prometheus-", 0).factory());
            created.setExecutor(requests);
            created.createContext("/", this::handle);
            StatisticsMeterBinder statistics = new StatisticsMeterBinder();
            statistics.bindTo(registry);
            created.start();
            server = created;
            executor = requests;
            binder = statistics;
            localAddress = created.getAddress();
        } finally {
            lock.unlock();
        }
        log.info("Listening http://{}{}", Sockets.format(localAddress), PATH);
    }

    /**
     * Stops listening, waits up to 1 s for scrapes in flight, and removes the statistics' meters
     * from the registry. Blocks for at most about a second; idempotent.
     */
    @Override
    public void stop(Throwable exception) {
        HttpServer running;
        ExecutorService requests;
        StatisticsMeterBinder statistics;
        lock.lock();
        try {
            running = server;
            requests = executor;
            statistics = binder;
            server = null;
            executor = null;
            binder = null;
            localAddress = null;
        } finally {
            lock.unlock();
        }
        if (running == null) {
            return;
        }
        running.stop(1);
        requests.shutdownNow();
        statistics.close();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            if (!PATH.equals(exchange.getRequestURI().getPath())) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            boolean head = "HEAD".equals(method);
            if (!head && !"GET".equals(method)) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            String accept = exchange.getRequestHeaders().getFirst("Accept");
            boolean openMetrics = accept != null && accept.contains(OPENMETRICS);
            String contentType = openMetrics
                    ? "application/openmetrics-text; version=1.0.0; charset=utf-8"
                    : "text/plain; version=0.0.4; charset=utf-8";
            byte[] body =
                    (openMetrics ? registry.scrape(contentType) : registry.scrape()).getBytes(StandardCharsets.UTF_8);
            String encoding = exchange.getRequestHeaders().getFirst("Accept-Encoding");
            if (encoding != null && encoding.contains("gzip")) {
                ByteArrayOutputStream zipped = new ByteArrayOutputStream(body.length / 4 + 64);
                try (GZIPOutputStream gzip = new GZIPOutputStream(zipped)) {
                    gzip.write(body);
                }
                body = zipped.toByteArray();
                exchange.getResponseHeaders().set("Content-Encoding", "gzip");
            }
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.sendResponseHeaders(200, head ? -1 : body.length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }

    @Override
    public String toString() {
        return "PrometheusService[" + address + ":" + port + "]";
    }
}
