package io.aiomisc.examples;

import io.aiomisc.Entrypoint;
import io.aiomisc.Service;
import io.aiomisc.grpc.GrpcService;
import io.aiomisc.http.HealthService;
import io.aiomisc.http.HttpService;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The example application that {@code bin/run-example} starts: an entrypoint with five services
 * that logs as it goes and stops cleanly on Ctrl+C (SIGINT) or SIGTERM.
 *
 * <ul>
 * <li>{@link Greeter} is a start/stop service: {@code start()} does its work and returns,
 * {@code stop()} undoes it. It hands a greeting to the other service through the context.</li>
 * <li>{@link Heartbeat} is a long-running service: it waits for the greeting, calls
 * {@code ready()} so the entrypoint can go on, then logs a heartbeat every interval until the
 * entrypoint interrupts it at stop.</li>
 * <li>{@link Hello} is an {@link HttpService}: {@code GET /hello} answers the greeting. Its handler
 * runs on a virtual thread per request, so it could block.</li>
 * <li>A {@link HealthService} answers {@code /health/live} and {@code /health/ready} (200 while the
 * entrypoint runs, 503 while it starts or stops) on a port of its own.</li>
 * <li>A {@link GrpcService} serves the generated gRPC {@link GreeterService}, the standard health
 * service and reflection (so {@code grpcurl -plaintext 127.0.0.1:PORT list} works).</li>
 * </ul>
 *
 * <p>Arguments, all optional: the heartbeat interval in milliseconds (default 1000), the HTTP port,
 * the health port and the gRPC port (default 0 each: any free port). The servers listen on
 * 127.0.0.1 and the application logs their URLs once it runs.
 */
public final class ExampleApplication {
    private static final Logger log = LoggerFactory.getLogger(ExampleApplication.class);

    private ExampleApplication() {}

    /** Starts, hands a greeting to the other services, and says goodbye at stop. */
    static final class Greeter extends Service {
        @Override
        public void start() {
            log.info("Greeter starting");
            context().set("greeting", "Hello from aiomisc-java");
            log.info("Greeter started");
        }

        @Override
        public void stop(Throwable exception) {
            log.info("Greeter stopped ({})", exception == null ? "normal close" : exception.getMessage());
        }
    }

    /** Runs until stopped: reports ready, then beats every interval. */
    static final class Heartbeat extends Service {
        private final Duration interval;

        Heartbeat(Duration interval) {
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("interval must be positive: " + interval);
            }
            this.interval = interval;
        }

        @Override
        public void start() throws Exception {
            String greeting = context().get("greeting", String.class, Duration.ofSeconds(30));
            ready();
            log.info("Heartbeat ready, beating every {} ms", interval.toMillis());
            long beats = 0;
            try {
                while (true) {
                    Thread.sleep(interval);
                    log.info("{} (beat {})", greeting, ++beats);
                }
            } finally {
                log.info("Heartbeat finished after {} beats", beats);
            }
        }

        @Override
        public void stop(Throwable exception) {
            log.info("Heartbeat stopping");
        }
    }

    /** Serves {@code GET /hello} with the greeting; every other path gets Jetty's 404. */
    static final class Hello extends HttpService {
        Hello(int port) {
            super("127.0.0.1", port);
        }

        @Override
        protected Handler createHandler() throws Exception {
            // services start concurrently: wait for the Greeter's greeting as the Heartbeat does
            String greeting = context().get("greeting", String.class, Duration.ofSeconds(30));
            return new Handler.Abstract() { // not NonBlocking: each request on a virtual thread of its own
                @Override
                public boolean handle(Request request, Response response, Callback callback) {
                    if (!"/hello".equals(Request.getPathInContext(request))) {
                        return false; // not ours: 404
                    }
                    response.getHeaders().put("Content-Type", "text/plain; charset=utf-8");
                    Content.Sink.write(response, true, greeting + "\n", callback);
                    return true;
                }
            };
        }
    }

    public static void main(String[] args) throws Exception {
        Duration interval = Duration.ofMillis(args.length > 0 ? Long.parseLong(args[0]) : 1000);
        int httpPort = args.length > 1 ? Integer.parseInt(args[1]) : 0;
        int healthPort = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        int grpcPort = args.length > 3 ? Integer.parseInt(args[3]) : 0;
        log.debug("Heartbeat interval {}", interval); // before the entrypoint: aiomisc-log's defaults apply already
        Hello hello = new Hello(httpPort); // a port out of range fails here, naming it
        HealthService health = new HealthService("127.0.0.1", healthPort);
        GrpcService grpc = new GrpcService("127.0.0.1", grpcPort) // logs "Listening grpc://..." at its start
                .addService(new GreeterService())
                .reflection(true);
        try (Entrypoint entrypoint = Entrypoint.builder()
                .services(new Greeter(), new Heartbeat(interval), hello, health, grpc)
                .start()) { // logging: color on a terminal, plain otherwise; AIOMISC_LOG_FORMAT=json for JSON
            log.info("HTTP on {}/hello", url(hello.localAddress()));
            String probes = url(health.localAddress());
            log.info("Health on {}/health/live and {}/health/ready", probes, probes);
            InetSocketAddress grpcAddress = grpc.localAddress();
            log.info(
                    "gRPC Greeter on grpc://{}:{} (health and reflection on)",
                    grpcAddress.getHostString(),
                    grpcAddress.getPort());
            log.info("Example application running; press Ctrl+C to stop");
            entrypoint.runForever();
        }
        log.info("Example application stopped cleanly");
    }

    private static String url(InetSocketAddress address) {
        return "http://" + address.getHostString() + ":" + address.getPort();
    }
}
