package io.aiomisc.log;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import io.aiomisc.Entrypoint;
import io.aiomisc.Service;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The child JVM of {@link StuckOutputTest}: an entrypoint logging to a standard error that the
 * parent never reads ({@code close}, {@code term}) or has closed ({@code dead}). Reports on stdout.
 */
public final class StuckOutputChild {
    private static final Logger log = LoggerFactory.getLogger("child");
    private static final String PADDING = "x".repeat(200);

    private StuckOutputChild() {}

    /** A service whose stop never returns. */
    static final class Unstoppable extends Service {
        private final CountDownLatch never = new CountDownLatch(1);

        @Override
        public void start() {}

        @Override
        public void stop(Throwable exception) throws InterruptedException {
            never.await();
        }
    }

    /** Does nothing. */
    static final class Idle extends Service {
        @Override
        public void start() {}
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "close" -> {
                Entrypoint entrypoint = Entrypoint.builder()
                        .catchSignals(false)
                        .services(new Idle())
                        .start();
                logUntilStuck();
                long started = System.nanoTime();
                entrypoint.close();
                System.out.println("closed in "
                        + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms");
                System.out.flush();
                System.exit(0); // the shutdown hook must not block on the stuck output either
            }
            case "term" -> {
                Entrypoint entrypoint = Entrypoint.builder()
                        .shutdownTimeout(Duration.ofSeconds(1))
                        .services(new Unstoppable())
                        .start();
                logUntilStuck();
                entrypoint.runForever();
            }
            case "dead" -> {
                Entrypoint entrypoint = Entrypoint.builder()
                        .catchSignals(false)
                        .services(new Idle())
                        .start();
                System.out.println("ready");
                System.out.flush();
                // the parent closes its end of our stderr, then says go
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                for (int i = 0; i < 100_000; i++) {
                    log.info("record {} {}", i, PADDING);
                }
                entrypoint.close();
                BufferedAppenderStatistic statistic = statistic();
                System.out.println("records=" + statistic.records.value() + " errors=" + statistic.errors.value()
                        + " dropped=" + statistic.dropped.value());
                System.out.flush();
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    /** Logs until records are dropped: the writer is stuck in a write to the unread pipe. */
    private static void logUntilStuck() {
        BufferedAppenderStatistic statistic = statistic();
        for (int i = 0; statistic.dropped.value() == 0; i++) {
            log.info("record {} {}", i, PADDING);
        }
        System.out.println("stuck");
        System.out.flush();
    }

    private static BufferedAppenderStatistic statistic() {
        for (Appender<ILoggingEvent> appender : LogConfig.current().appenders()) {
            if (appender instanceof BufferedAppender buffered) {
                return buffered.statistic();
            }
        }
        throw new IllegalStateException("no buffered appender: " + LogConfig.current());
    }
}
