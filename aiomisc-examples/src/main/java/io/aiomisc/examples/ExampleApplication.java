package io.aiomisc.examples;

import io.aiomisc.Entrypoint;
import io.aiomisc.Service;
import io.aiomisc.grpc.GrpcService;
import io.aiomisc.http.HealthService;
import io.aiomisc.http.HttpService;
import io.aiomisc.metrics.CarbonSender;
import io.aiomisc.metrics.PrometheusService;
import io.aiomisc.sentry.SentryService;
import io.aiomisc.service.Profiler;
import io.aiomisc.thread.Threaded;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The example application that {@code bin/run-example} starts: an entrypoint with six services (and two more the
 * environment may ask for)
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
 * <li>A {@link PrometheusService} serves every statistic at {@code GET /metrics} in Prometheus's
 * text format, among them the entrypoint pool's {@code aiomisc_ThreadPoolStatistic_*{name="default"}},
 * which the heartbeat moves (each beat is logged from the pool).</li>
 * </ul>
 *
 * <p>Arguments, all optional: the heartbeat interval in milliseconds (default 1000), the HTTP port,
 * the health port, the gRPC port and the Prometheus port (default 0 each: any free port). The
 * servers listen on 127.0.0.1 and the application logs their URLs once it runs.
 *
 * <p>{@code --profile PATH}, anywhere among the arguments (also as {@code --profile=PATH}), adds a
 * {@link Profiler} that logs the top 10 methods every 10 s and writes {@code PATH} (the JFR
 * recording) and {@code PATH.html} (a flame graph) at every report and at the stop;
 * {@code AIOMISC_PROFILE_INTERVAL} (seconds as a decimal number, e.g. {@code 0.5}) changes the 10 s.
 * An option without its value, or an unknown one, prints the usage and exits with status 2.
 *
 * <p>Environment, all optional: {@code CARBON_HOST} (with {@code CARBON_PORT}, default 2003, and
 * {@code CARBON_PROTOCOL}, {@code udp} or {@code tcp}, default {@code udp}) adds a
 * {@link CarbonSender} with the namespace {@code aiomisc-example}; {@code SENTRY_DSN} adds a
 * {@link SentryService} (warnings and errors to Sentry). A malformed value stops the application
 * before anything starts, with an error naming the variable.
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
                    long beat = ++beats;
                    // on the entrypoint's pool, so that its statistics (on /metrics) move
                    Threaded.threaded(() -> {
                                log.info("{} (beat {})", greeting, beat);
                                return null;
                            })
                            .await();
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

    /** The usage line that a malformed option prints. */
    static final String USAGE = "Usage: ExampleApplication [--profile PATH] [MILLIS] [HTTP_PORT] [HEALTH_PORT]"
            + " [GRPC_PORT] [METRICS_PORT]";

    /** The variable that shortens (or lengthens) the profiler's report interval. */
    static final String PROFILE_INTERVAL = "AIOMISC_PROFILE_INTERVAL";

    /** The profiler's report interval without {@value #PROFILE_INTERVAL}, as aiomisc's default. */
    static final Duration DEFAULT_PROFILE_INTERVAL = Duration.ofSeconds(10);

    /**
     * The command line: the positional arguments in their order and the {@code --profile} path.
     *
     * @param positional the arguments that are not options
     * @param profile    the path given with {@code --profile}, or null without it
     */
    record Arguments(List<String> positional, Path profile) {
        /**
         * Splits {@code args} into options and positional arguments; {@code --profile PATH} and
         * {@code --profile=PATH} may stand anywhere, and {@code --} ends the options.
         *
         * @param args the command line
         * @return the arguments
         * @throws IllegalArgumentException naming the option if {@code --profile} has no (or an
         *                                  empty) value, is given twice, or an option is unknown
         */
        static Arguments parse(String... args) {
            List<String> positional = new ArrayList<>();
            Path profile = null;
            boolean options = true;
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                String value;
                if (!options || !arg.startsWith("--")) {
                    positional.add(arg);
                    continue;
                } else if (arg.equals("--")) {
                    options = false;
                    continue;
                } else if (arg.equals("--profile")) {
                    if (i + 1 == args.length) {
                        throw new IllegalArgumentException("--profile needs a PATH (the .jfr file; PATH.html too)");
                    }
                    value = args[++i];
                } else if (arg.startsWith("--profile=")) {
                    value = arg.substring("--profile=".length());
                } else {
                    throw new IllegalArgumentException("unknown option '" + arg + "'");
                }
                if (value.isEmpty()) {
                    throw new IllegalArgumentException("--profile needs a PATH, got an empty one");
                }
                if (profile != null) {
                    throw new IllegalArgumentException("--profile given twice: '" + profile + "' and '" + value + "'");
                }
                profile = Path.of(value);
            }
            return new Arguments(List.copyOf(positional), profile);
        }

        /** The positional argument at {@code index} as a number, or {@code otherwise} without it. */
        long number(int index, long otherwise) {
            return index < positional.size() ? Long.parseLong(positional.get(index)) : otherwise;
        }
    }

    public static void main(String[] args) throws Exception {
        Arguments arguments;
        try {
            arguments = Arguments.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("ExampleApplication: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        Duration interval = Duration.ofMillis(arguments.number(0, 1000));
        int httpPort = Math.toIntExact(arguments.number(1, 0));
        int healthPort = Math.toIntExact(arguments.number(2, 0));
        int grpcPort = Math.toIntExact(arguments.number(3, 0));
        int metricsPort = Math.toIntExact(arguments.number(4, 0));
        log.debug("Heartbeat interval {}", interval); // before the entrypoint: aiomisc-log's defaults apply already
        Hello hello = new Hello(httpPort); // a port out of range fails here, naming it
        HealthService health = new HealthService("127.0.0.1", healthPort);
        GrpcService grpc = new GrpcService("127.0.0.1", grpcPort) // logs "Listening grpc://..." at its start
                .addService(new GreeterService())
                .reflection(true);
        PrometheusService prometheus = new PrometheusService("127.0.0.1", metricsPort);
        List<Service> services =
                new ArrayList<>(List.of(new Greeter(), new Heartbeat(interval), hello, health, grpc, prometheus));
        // opt-in, from the environment; built before anything starts, so a bad value fails at once
        services.addAll(optionalServices(System.getenv()));
        if (arguments.profile() != null) {
            services.add(profiler(arguments.profile(), System.getenv()));
        }
        try (Entrypoint entrypoint = Entrypoint.builder()
                .services(services)
                .start()) { // logging: color on a terminal, plain otherwise; AIOMISC_LOG_FORMAT=json for JSON
            log.info("HTTP on {}/hello", url(hello.localAddress()));
            String probes = url(health.localAddress());
            log.info("Health on {}/health/live and {}/health/ready", probes, probes);
            InetSocketAddress grpcAddress = grpc.localAddress();
            log.info(
                    "gRPC Greeter on grpc://{}:{} (health and reflection on)",
                    grpcAddress.getHostString(),
                    grpcAddress.getPort());
            log.info("Prometheus metrics on {}{}", url(prometheus.localAddress()), PrometheusService.PATH);
            log.info("Example application running; press Ctrl+C to stop");
            entrypoint.runForever();
        }
        log.info("Example application stopped cleanly");
    }

    /**
     * The services the environment asks for: a {@link CarbonSender} when {@code CARBON_HOST} is
     * set, a {@link SentryService} when {@code SENTRY_DSN} is.
     *
     * @param environment the variables, e.g. {@link System#getenv()}
     * @return the services, possibly none
     * @throws IllegalArgumentException naming the variable if a value is malformed (for
     *                                  {@code SENTRY_DSN}: the service's message, without the key)
     */
    static List<Service> optionalServices(Map<String, String> environment) {
        List<Service> services = new ArrayList<>();
        String carbonHost = environment.get("CARBON_HOST");
        if (carbonHost != null && !carbonHost.isBlank()) {
            CarbonSender.Builder carbon =
                    CarbonSender.builder().host(carbonHost).namespace("aiomisc-example");
            String port = environment.get("CARBON_PORT");
            String protocol = environment.get("CARBON_PROTOCOL");
            try {
                if (port != null && !port.isBlank()) {
                    carbon.port(Integer.parseInt(port.strip()));
                }
                if (protocol != null && !protocol.isBlank()) {
                    carbon.protocol(protocol.strip());
                }
            } catch (IllegalArgumentException e) { // NumberFormatException too
                throw new IllegalArgumentException(
                        "CARBON_PORT='" + port + "', CARBON_PROTOCOL='" + protocol + "': " + e.getMessage(), e);
            }
            services.add(carbon.build());
        }
        String dsn = environment.get("SENTRY_DSN");
        if (dsn != null && !dsn.isBlank()) {
            try {
                services.add(SentryService.builder(dsn.strip()).build());
            } catch (IllegalArgumentException e) {
                // the message never holds the DSN's keys; the variable's value is not repeated
                throw new IllegalArgumentException("SENTRY_DSN: " + e.getMessage(), e);
            }
        }
        return services;
    }

    /**
     * The profiler that {@code --profile PATH} adds: the top 10 methods every 10 s, or every
     * {@value #PROFILE_INTERVAL} seconds when the variable is set.
     *
     * @param path        where the recording goes ({@code path}) and the flame graph ({@code path.html})
     * @param environment the variables, e.g. {@link System#getenv()}
     * @return the profiler, not started
     * @throws IllegalArgumentException naming the variable and its value if it is not a positive
     *                                  number of seconds
     */
    static Profiler profiler(Path path, Map<String, String> environment) {
        Duration interval = DEFAULT_PROFILE_INTERVAL;
        String seconds = environment.get(PROFILE_INTERVAL);
        if (seconds != null && !seconds.isBlank()) {
            try {
                BigDecimal value = new BigDecimal(seconds.strip());
                interval = Duration.ofNanos(value.movePointRight(9).longValueExact());
            } catch (ArithmeticException | NumberFormatException e) {
                interval = Duration.ZERO; // refused below, with the variable's name
            }
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException(
                        PROFILE_INTERVAL + "='" + seconds + "': not a positive number of seconds");
            }
        }
        return new Profiler(interval, 10, path);
    }

    private static String url(InetSocketAddress address) {
        return "http://" + address.getHostString() + ":" + address.getPort();
    }
}
