package io.aiomisc.benchmarks;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.helpers.NOPAppender;
import com.sun.net.httpserver.HttpServer;
import io.aiomisc.Entrypoint;
import io.aiomisc.sentry.SentryService;
import io.sentry.Sentry;
import io.sentry.SentryOptions;
import io.sentry.logback.SentryAppender;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-call cost of {@code log.error("order {} failed", i, exception)} with {@link SentryService}
 * running, against the same call with sentry-logback's {@link SentryAppender} set up directly — what
 * a program would otherwise do. Target: ours / baseline ≈ 1.0 (report): the service adds a filter
 * and the SDK's diagnostics routing, nothing on the event's path should cost more.
 *
 * <p><b>Sides</b>, both with the same options (DSN {@code http://pub:sec@127.0.0.1:PORT/42},
 * environment, release, one tag, flush and shutdown timeouts 2 s, no uncaught-exception handler, no
 * shutdown hook), events from WARN, breadcrumbs from INFO:
 * <ul>
 *   <li><b>ours</b>: a {@code SentryService} started by an entrypoint (no signals, no log
 *       configuration), stopped by its close;
 *   <li><b>baseline</b>: a {@code SentryAppender} whose options carry the same settings, started
 *       (its start initialises the SDK with them, as a {@code logback.xml} appender does) and
 *       attached to the root logger; afterwards {@code Sentry.flush}, detach, stop,
 *       {@code Sentry.close()}.
 * </ul>
 * The Sentry SDK is a JVM-wide singleton, so each measurement starts its side fresh and stops it
 * completely (not timed) before the other side runs; rounds alternate the order (warm-up 2 s,
 * window 2 s). Before the first round each side runs once for 2 s, not measured, so that the
 * SDK's event path is compiled before either side is measured.
 *
 * <p><b>Logging.</b> Logback's context is reset: the root logger at INFO with one appender that
 * discards everything besides Sentry's, so the cost measured is Sentry's. The calls come from
 * one thread, each with a new exception (about 50 frames, with a cause of 12 frames; the stack is
 * made once and given to every exception, so making them is cheap, and the same on both sides).
 *
 * <p><b>Sentry.</b> A JDK {@link HttpServer} on loopback answers every envelope with 200 at once
 * (the body is read and dropped); the envelopes it received are printed beside each measurement.
 * The SDK sends from its own threads through a bounded queue: events logged faster than they are
 * sent are dropped by the SDK on both sides alike, so the figure is the caller's cost — building
 * the event (message, exception and frames, breadcrumbs, tags) and handing it over.
 *
 * <p>Run: {@code aiomisc-benchmarks/run SentryCaptureBenchmark [rounds]} (default 5).
 */
public final class SentryCaptureBenchmark {
    private static final Logger LOG = LoggerFactory.getLogger(SentryCaptureBenchmark.class);
    private static final Duration FLUSH_TIMEOUT = Duration.ofSeconds(2);
    private static final String ENVIRONMENT = "bench";
    private static final String RELEASE = "bench@1.0";
    private static final StackTraceElement[] STACK = stack(40);
    private static final StackTraceElement[] CAUSE_STACK = Arrays.copyOf(STACK, 12);

    private SentryCaptureBenchmark() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        if (rounds < 1) {
            throw new IllegalArgumentException("rounds must be positive: " + rounds);
        }
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        NOPAppender<ILoggingEvent> discard = new NOPAppender<>();
        discard.setContext(context);
        discard.setName("discard");
        discard.start();
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(discard);

        AtomicLong envelopes = new AtomicLong();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
                body.transferTo(OutputStream.nullOutputStream());
            }
            envelopes.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        try {
            String dsn = "http://pub:sec@127.0.0.1:" + server.getAddress().getPort() + "/42";
            Comparison comparison = new Comparison(
                    "log.error(message, exception) reported to Sentry (fake endpoint on loopback)",
                    Duration.ofSeconds(2),
                    Duration.ofSeconds(2),
                    rounds);
            Comparison.Side ours = new Comparison.Side("SentryService", 1, "calls", () -> service(dsn, envelopes));
            Comparison.Side baseline = new Comparison.Side(
                    "sentry-logback SentryAppender", 1, "calls", () -> appender(dsn, context, envelopes));
            comparison.warmUpFirst(ours, baseline);
            double ratio = comparison.run(ours, baseline)[0];
            System.out.printf(
                    Locale.ROOT,
                    "%nSUMMARY log.error with an exception to Sentry: SentryService %.2f x SentryAppender set up"
                            + " directly (calls/s; target about 1.0)%n",
                    ratio);
        } finally {
            server.stop(0);
        }
    }

    private static Comparison.Session service(String dsn, AtomicLong envelopes) throws Exception {
        SentryService sentry = SentryService.builder(dsn)
                .environment(ENVIRONMENT)
                .release(RELEASE)
                .tag("region", "eu")
                .flushTimeout(FLUSH_TIMEOUT)
                .build();
        long before = envelopes.get();
        Entrypoint entrypoint = Entrypoint.builder()
                .services(sentry)
                .logConfig(false)
                .catchSignals(false)
                .start();
        return new Calls() {
            @Override
            public void close() {
                entrypoint.close();
            }

            @Override
            public String detail() {
                return (envelopes.get() - before) + " envelopes received";
            }
        };
    }

    private static Comparison.Session appender(String dsn, LoggerContext context, AtomicLong envelopes) {
        SentryOptions options = new SentryOptions();
        options.setDsn(dsn);
        options.setEnvironment(ENVIRONMENT);
        options.setRelease(RELEASE);
        options.setTag("region", "eu");
        options.setFlushTimeoutMillis(FLUSH_TIMEOUT.toMillis());
        options.setShutdownTimeoutMillis(FLUSH_TIMEOUT.toMillis());
        options.setEnableUncaughtExceptionHandler(false);
        options.setEnableShutdownHook(false);
        SentryAppender appender = new SentryAppender();
        appender.setName("sentry");
        appender.setContext(context);
        appender.setMinimumEventLevel(Level.WARN);
        appender.setMinimumBreadcrumbLevel(Level.INFO);
        appender.setOptions(options);
        long before = envelopes.get();
        appender.start(); // Sentry.init(options)
        if (!Sentry.isEnabled()) {
            throw new IllegalStateException("the SentryAppender did not initialise Sentry");
        }
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.addAppender(appender);
        return new Calls() {
            @Override
            public void close() {
                Sentry.flush(FLUSH_TIMEOUT.toMillis());
                root.detachAppender(appender);
                appender.stop();
                Sentry.close();
            }

            @Override
            public String detail() {
                return (envelopes.get() - before) + " envelopes received";
            }
        };
    }

    /** The measured call, the same on both sides. */
    private abstract static class Calls implements Comparison.Session {
        private long order;

        @Override
        public final void run() {
            order++;
            LOG.error(
                    "order {} failed",
                    order,
                    new PaymentException(
                            "cannot charge order " + order,
                            new PaymentException("connection reset by the payment gateway", null, CAUSE_STACK),
                            STACK));
        }
    }

    /** The stack of an exception thrown {@code depth} calls deep: a stack like a service's. */
    private static StackTraceElement[] stack(int depth) {
        if (depth > 0) {
            return stack(depth - 1);
        }
        return new Throwable().getStackTrace();
    }

    /**
     * An exception with a given stack, without walking the caller's: every call logs a new one
     * (the SDK drops an exception instance, or one with a cause, it has already captured), and
     * every one costs the same to make on both sides.
     */
    private static final class PaymentException extends Exception {
        private static final long serialVersionUID = 1L;

        PaymentException(String message, Throwable cause, StackTraceElement[] stack) {
            super(message, cause);
            setStackTrace(stack);
        }

        @Override
        public Throwable fillInStackTrace() {
            return this; // the stack is set by the constructor
        }
    }
}
