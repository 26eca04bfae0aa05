package io.aiomisc.log;

import io.aiomisc.Entrypoint;
import io.aiomisc.Service;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** The child JVM of the logging tests that need a process of their own. */
public final class LoggingChild {
    private static final Logger log = LoggerFactory.getLogger("child");

    private LoggingChild() {}

    /** Logs 1,000 records while it stops, as services do. */
    static final class Chatty extends Service {
        @Override
        public void start() {
            log.info("started");
        }

        @Override
        public void stop(Throwable exception) {
            for (int i = 0; i < 1000; i++) {
                log.info("stopping {}", i);
            }
        }
    }

    /** Does nothing: the start-up time measure's service. */
    static final class Trivial extends Service {
        @Override
        public void start() {}
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "default-format" -> {
                System.out.println("default=" + LogFormat.defaultFormat());
                System.out.println("choices=" + LogFormat.choices());
            }
            case "entrypoint" -> {
                try (Entrypoint entrypoint = Entrypoint.builder()
                        .catchSignals(false)
                        .services(new Chatty())
                        .start()) {
                    log.debug("debug record");
                    MDC.put("request_id", "r-7");
                    log.info("info {}", "record");
                    MDC.clear();
                    log.error("error record", new IllegalStateException("boom"));
                }
                log.info("after close");
            }
            case "log-one" -> log.info("hello"); // Logback's start-up alone, as StartupConfigurator sets it up
            case "one-service" -> {
                try (Entrypoint entrypoint =
                        Entrypoint.builder().services(new Trivial()).start()) {
                    log.info("started");
                }
            }
            case "exit-without-close" -> {
                // a wait for room long enough that a writer slowed down by a loaded machine never
                // makes the overflow policy drop records: the test is about the records at exit
                LogConfig.builder()
                        .level("info")
                        .format("plain")
                        .maxWait(java.time.Duration.ofSeconds(60))
                        .apply();
                List<Thread> threads = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    int id = t;
                    threads.add(Thread.ofPlatform().start(() -> {
                        for (int i = 0; i < 1250; i++) {
                            log.info("t{} n{}", id, i);
                        }
                    }));
                }
                for (Thread thread : threads) {
                    thread.join();
                }
                System.exit(0); // no close(): the shutdown hook writes what is buffered
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }
}
