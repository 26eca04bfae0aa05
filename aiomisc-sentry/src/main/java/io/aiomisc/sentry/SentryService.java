package io.aiomisc.sentry;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;
import io.aiomisc.Service;
import io.aiomisc.internal.Durations;
import io.aiomisc.log.Severity;
import io.sentry.Sentry;
import io.sentry.SentryOptions;
import io.sentry.logback.SentryAppender;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports logged errors to Sentry: aiomisc's {@code RavenSender}, on sentry-java and its Logback
 * appender.
 *
 * <pre>{@code
 * SentryService sentry = SentryService.builder("https://key@o1.ingest.sentry.io/42")
 *         .environment("production").release("1.4.2").tag("region", "eu")
 *         .build();
 * try (Entrypoint ep = Entrypoint.builder().services(sentry, server).build()) {
 *     ep.start();
 *     log.error("Cannot charge {}", order, exception);   // → an event in Sentry
 * }
 * }</pre>
 *
 * <p><b>What is sent.</b> From {@link #start()} to {@link #stop}, every SLF4J event at or above
 * {@code minLevel} (WARNING) becomes a Sentry event with its message, logger, thread, MDC and
 * exception; INFO and above are kept as breadcrumbs of the next event. The SDK's diagnostics go to
 * the SLF4J logger {@code io.aiomisc.sentry.sdk} (never back to Sentry). Uncaught exceptions reach
 * Sentry through the log (aiomisc's log configuration logs them at ERROR); the SDK's own
 * uncaught-exception handler and shutdown hook are off, so nothing is reported twice and the
 * entrypoint's stop, not a JVM hook, decides when the SDK closes.
 *
 * <p><b>Stop.</b> Flushes the queued events for at most {@link #flushTimeout()} (2 s), detaches
 * the appender and closes the SDK, whose own timeouts are set to the same bound
 * (they default to 15 s): stop returns within about twice the flush timeout even when Sentry
 * hangs; events still unsent then are dropped. The SDK's connect and read timeouts are the flush
 * timeout too (they default to 30 s), so its sender thread ends within about that bound after the
 * request it was blocked in began: raise the flush timeout for a Sentry slower to answer.
 *
 * <p><b>The DSN's keys.</b> They never appear in a log line or an exception message: not in this
 * service's messages or {@link #toString()} (which show {@code https://***@host/42}), not in the
 * SDK's diagnostics, and not in the {@code X-Sentry-Auth} header the JDK's HTTP client logs at
 * FINE through the {@code java.util.logging} bridge — masked as {@code ***} while the service
 * runs.
 *
 * <p>The Sentry SDK is global to the JVM: one {@code SentryService} runs at a time, and it does
 * not start when other code already initialised Sentry. Configuration is immutable.
 */
public final class SentryService extends Service {
    private static final Logger log = LoggerFactory.getLogger(SentryService.class);
    private static final AtomicReference<SentryService> RUNNING = new AtomicReference<>();
    private static final String APPENDER_NAME = "aiomisc-sentry";

    private final SentryDsn dsn;
    private final String minLevel;
    private final Level threshold;
    private final boolean criticalOnly;
    private final String environment;
    private final String release;
    private final Double sampleRate;
    private final Map<String, String> tags;
    private final Duration flushTimeout;
    private final Redactor redactor;
    private final ReentrantLock lock = new ReentrantLock();
    private SentryAppender appender; // guarded by lock
    private HeaderRedaction headers; // guarded by lock
    private boolean initialised; // guarded by lock: the SDK is ours to close

    private SentryService(Builder builder, SentryDsn dsn) {
        this.dsn = dsn;
        this.minLevel = builder.minLevel;
        this.threshold = builder.threshold;
        this.criticalOnly = builder.criticalOnly;
        this.environment = builder.environment;
        this.release = builder.release;
        this.sampleRate = builder.sampleRate;
        this.tags = Map.copyOf(builder.tags);
        this.flushTimeout = builder.flushTimeout;
        this.redactor = new Redactor(dsn.secrets());
    }

    /**
     * A builder for a service reporting to {@code dsn}. The DSN is checked by {@link Builder#build()}.
     *
     * @param dsn the project's DSN, {@code https://publicKey[:secretKey]@host[:port]/[path/]projectId}
     * @return a new builder
     * @throws NullPointerException if {@code dsn} is null
     */
    public static Builder builder(String dsn) {
        return new Builder(Objects.requireNonNull(dsn, "dsn"));
    }

    /**
     * How long {@link #stop} waits for queued events to be sent.
     *
     * @return the flush timeout; 2 s unless the builder set another
     */
    public Duration flushTimeout() {
        return flushTimeout;
    }

    /**
     * The lowest level reported as an event.
     *
     * @return the level given to the builder, upper-cased; {@code WARNING} by default
     */
    public String minLevel() {
        return minLevel;
    }

    /**
     * Initialises the Sentry SDK and attaches the Logback appender to the root logger. Does not
     * block beyond the SDK's initialisation.
     *
     * @throws IllegalStateException if another {@code SentryService} runs, Sentry was initialised
     *                               by other code, SLF4J is not bound to Logback, or the SDK
     *                               refuses the configuration (the message without the DSN's keys)
     */
    @Override
    public void start() {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof LoggerContext context)) {
            throw new IllegalStateException("SentryService needs Logback as the SLF4J backend, found "
                    + factory.getClass().getName());
        }
        if (!RUNNING.compareAndSet(null, this)) {
            throw new IllegalStateException("Another SentryService is running: " + RUNNING.get());
        }
        boolean started = false;
        lock.lock();
        try {
            if (Sentry.isEnabled()) {
                throw new IllegalStateException(
                        "Sentry is already initialised by other code (a SentryAppender in logback.xml?);"
                                + " SentryService would replace its configuration");
            }
            headers = HeaderRedaction.install(redactor);
            initialised = true; // from here on the SDK's state is ours, even half-initialised
            try {
                Sentry.init(this::configure);
            } catch (RuntimeException e) {
                throw new IllegalStateException(
                        "Cannot initialise Sentry for " + dsn + ": " + redactor.redact(e.toString()));
            }
            appender = attach(context);
            started = true;
        } finally {
            if (!started) {
                release();
            }
            lock.unlock();
        }
        log.info("Sending {} and above to Sentry at {}", minLevel, dsn);
    }

    /**
     * Flushes queued events for at most {@link #flushTimeout()}, detaches the appender and closes
     * the SDK. Blocks for at most about twice the flush timeout; an interrupt is not needed to end
     * it and is kept for the caller. Idempotent.
     */
    @Override
    public void stop(Throwable exception) {
        lock.lock();
        try {
            if (RUNNING.get() != this) {
                return;
            }
            try {
                Sentry.flush(flushTimeout.toMillis());
            } finally {
                release();
            }
        } finally {
            lock.unlock();
        }
        log.info("Stopped sending to Sentry at {}", dsn);
    }

    /** Undoes whatever {@link #start()} did; called with the lock held. */
    private void release() {
        try {
            if (appender != null) {
                appender.stop();
                ((LoggerContext) LoggerFactory.getILoggerFactory())
                        .getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)
                        .detachAppender(appender);
                appender = null;
            }
            if (initialised) {
                initialised = false;
                Sentry.close(); // never another code's SDK: a refused start leaves that one running
            }
        } finally {
            if (headers != null) {
                headers.uninstall();
                headers = null;
            }
            RUNNING.compareAndSet(this, null);
        }
    }

    private void configure(SentryOptions options) {
        options.setDsn(dsn.dsn());
        options.setEnvironment(environment);
        options.setRelease(release);
        options.setSampleRate(sampleRate);
        tags.forEach(options::setTag);
        options.setFlushTimeoutMillis(flushTimeout.toMillis());
        options.setShutdownTimeoutMillis(flushTimeout.toMillis());
        // the SDK's sender is a platform thread in a blocking socket read that an interrupt does not
        // end: with its 30 s defaults it would outlive stop by that long against a hanging Sentry.
        // At least 1 ms: 0 means no timeout to HttpURLConnection
        int socketTimeout = (int) Math.clamp(flushTimeout.toMillis(), 1, Integer.MAX_VALUE);
        options.setConnectionTimeoutMillis(socketTimeout);
        options.setReadTimeoutMillis(socketTimeout);
        SdkLogger sdk = new SdkLogger(redactor);
        options.setLogger(sdk);
        options.setFatalLogger(sdk);
        options.setDebug(true); // the SDK logs only in debug mode; SdkLogger applies SLF4J's levels
        options.setDiagnosticLevel(SdkLogger.threshold());
        options.setEnableUncaughtExceptionHandler(false);
        options.setEnableShutdownHook(false);
        options.setEnableExternalConfiguration(false);
    }

    private SentryAppender attach(LoggerContext context) {
        SentryAppender created = new SentryAppender();
        created.setName(APPENDER_NAME);
        created.setContext(context);
        created.setMinimumEventLevel(threshold);
        created.setMinimumBreadcrumbLevel(threshold.isGreaterOrEqual(Level.INFO) ? Level.INFO : threshold);
        // the appender initialises the SDK itself unless its DSN is logback's "undefined" value:
        // the SDK is ours, configured above
        SentryOptions inert = new SentryOptions();
        inert.setDsn("SENTRY_DSN_IS_UNDEFINED");
        created.setOptions(inert);
        created.addFilter(new Filter<>() {
            @Override
            public FilterReply decide(ILoggingEvent event) {
                String logger = event.getLoggerName();
                if (logger.startsWith("io.sentry.")
                        || logger.equals(SdkLogger.NAME)
                        || logger.startsWith("sun.net.www.")) {
                    return FilterReply.DENY; // the SDK's and its HTTP client's own records: no loop
                }
                if (criticalOnly && event.getLevel() == Level.ERROR && Severity.of(event) != Severity.CRITICAL) {
                    return FilterReply.DENY;
                }
                return FilterReply.NEUTRAL;
            }
        });
        created.start();
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(created);
        return created;
    }

    @Override
    public String toString() {
        return "SentryService[" + dsn + "]";
    }

    /**
     * Configuration of a {@link SentryService}; each setter checks its value at once and
     * {@link #build()} checks the DSN. Not thread-safe.
     */
    public static final class Builder {
        private final String dsn;
        private String minLevel = "WARNING";
        private Level threshold = Level.WARN;
        private boolean criticalOnly;
        private String environment = System.getenv("SENTRY_ENVIRONMENT");
        private String release = System.getenv("SENTRY_RELEASE");
        private Double sampleRate;
        private final Map<String, String> tags = new LinkedHashMap<>();
        private Duration flushTimeout = Duration.ofSeconds(2);

        private Builder(String dsn) {
            this.dsn = dsn;
        }

        /**
         * The lowest level sent as an event.
         *
         * @param level {@code TRACE}, {@code DEBUG}, {@code INFO}, {@code WARNING} (the default;
         *              {@code WARN} too), {@code ERROR} or {@code CRITICAL} (errors logged with
         *              aiomisc-log's critical marker), in any case
         * @return this builder
         * @throws IllegalArgumentException naming the value if it is not one of those
         * @throws NullPointerException     if {@code level} is null
         */
        public Builder minLevel(String level) {
            String upper = Objects.requireNonNull(level, "level").trim().toUpperCase(Locale.ROOT);
            Level parsed =
                    switch (upper) {
                        case "TRACE" -> Level.TRACE;
                        case "DEBUG" -> Level.DEBUG;
                        case "INFO" -> Level.INFO;
                        case "WARN", "WARNING" -> Level.WARN;
                        case "ERROR", "CRITICAL" -> Level.ERROR;
                        default ->
                            throw new IllegalArgumentException("minLevel must be one of TRACE, DEBUG, INFO, "
                                    + "WARNING, ERROR, CRITICAL: '" + level + "'");
                    };
            this.minLevel = upper.equals("WARN") ? "WARNING" : upper;
            this.threshold = parsed;
            this.criticalOnly = upper.equals("CRITICAL");
            return this;
        }

        /**
         * The events' environment.
         *
         * @param environment e.g. {@code production}; default {@code $SENTRY_ENVIRONMENT}, else
         *                    the SDK's {@code production}
         * @return this builder
         * @throws NullPointerException if {@code environment} is null
         */
        public Builder environment(String environment) {
            this.environment = Objects.requireNonNull(environment, "environment");
            return this;
        }

        /**
         * The events' release.
         *
         * @param release e.g. {@code myapp@1.4.2}; default {@code $SENTRY_RELEASE}, else none
         * @return this builder
         * @throws NullPointerException if {@code release} is null
         */
        public Builder release(String release) {
            this.release = Objects.requireNonNull(release, "release");
            return this;
        }

        /**
         * The share of events sent.
         *
         * @param sampleRate 0.0..1.0; default 1.0 (every event)
         * @return this builder
         * @throws IllegalArgumentException naming the value if it is outside 0.0..1.0 or NaN
         */
        public Builder sampleRate(double sampleRate) {
            if (!(sampleRate >= 0.0 && sampleRate <= 1.0)) {
                throw new IllegalArgumentException("sampleRate must be in 0.0..1.0: " + sampleRate);
            }
            this.sampleRate = sampleRate;
            return this;
        }

        /**
         * A tag on every event; a later value for the same key replaces the earlier.
         *
         * @param key   the tag's name; not blank
         * @param value the tag's value
         * @return this builder
         * @throws IllegalArgumentException if {@code key} is blank
         * @throws NullPointerException     if {@code key} or {@code value} is null
         */
        public Builder tag(String key, String value) {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
            if (key.isBlank()) {
                throw new IllegalArgumentException("tag key must not be blank: '" + key + "'");
            }
            tags.put(key, value);
            return this;
        }

        /**
         * How long {@link SentryService#stop} waits for queued events; the SDK's flush and
         * shutdown timeouts and its HTTP connect and read timeouts are set to it.
         *
         * @param flushTimeout positive; default 2 s
         * @return this builder
         * @throws IllegalArgumentException if {@code flushTimeout} is not positive
         * @throws NullPointerException     if {@code flushTimeout} is null
         */
        public Builder flushTimeout(Duration flushTimeout) {
            this.flushTimeout = Durations.requirePositive("flushTimeout", flushTimeout);
            return this;
        }

        /**
         * The service.
         *
         * @return a new, unstarted service
         * @throws IllegalArgumentException if the DSN is malformed: not a valid URI, a scheme other
         *                                  than http/https, no host, a port above 65535, no
         *                                  public key or no project id; the message says which, without the DSN, and there
         *                                  is no cause
         */
        public SentryService build() {
            return new SentryService(this, SentryDsn.parse(dsn));
        }
    }
}
