package io.aiomisc.examples;

import io.aiomisc.Entrypoint;
import io.aiomisc.Service;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The example application that {@code bin/run-example} starts: an entrypoint with two services
 * that logs as it goes and stops cleanly on Ctrl+C (SIGINT) or SIGTERM.
 *
 * <ul>
 * <li>{@link Greeter} is a start/stop service: {@code start()} does its work and returns,
 * {@code stop()} undoes it. It hands a greeting to the other service through the context.</li>
 * <li>{@link Heartbeat} is a long-running service: it waits for the greeting, calls
 * {@code ready()} so the entrypoint can go on, then logs a heartbeat every interval until the
 * entrypoint interrupts it at stop.</li>
 * </ul>
 *
 * <p>Arguments: an optional heartbeat interval in milliseconds (default 1000).
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

    public static void main(String[] args) throws Exception {
        Duration interval = Duration.ofMillis(args.length > 0 ? Long.parseLong(args[0]) : 1000);
        log.debug("Heartbeat interval {}", interval); // before the entrypoint: aiomisc-log's defaults apply already
        try (Entrypoint entrypoint = Entrypoint.builder()
                .services(new Greeter(), new Heartbeat(interval))
                .start()) { // logging: color on a terminal, plain otherwise; AIOMISC_LOG_FORMAT=json for JSON
            log.info("Example application running; press Ctrl+C to stop");
            entrypoint.runForever();
        }
        log.info("Example application stopped cleanly");
    }
}
