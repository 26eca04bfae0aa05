package io.aiomisc.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.jul.LevelChangePropagator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggerContextListener;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;
import io.aiomisc.internal.Durations;
import io.aiomisc.plugin.LogNames;
import io.aiomisc.plugin.LogSettings;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Configures logging the way aiomisc's {@code basic_config} does, on Logback: one output in one of
 * aiomisc's {@link LogFormat formats}, the root level, optional extra appenders, and buffering
 * through a writer thread ({@link BufferedAppender}).
 *
 * <pre>{@code
 * // aiomisc.log.basic_config(level="info", log_format="json")
 * try (LogConfig logging = LogConfig.basicConfig("info", "json")) {
 *     ...
 * }   // close(): everything buffered is written; logging goes on, unbuffered
 * }</pre>
 *
 * <p>Applying a configuration replaces every appender of the root logger (those of an earlier
 * configuration, of {@code logback.xml} or of Logback's default) with the new ones, sets the root
 * level, routes {@code java.util.logging} into SLF4J, and makes uncaught exceptions of every thread
 * go to the logger {@code unhandled}. Other loggers' levels are kept. Applying again — with the
 * same or other settings, from several threads — is safe: the previous appenders are stopped after
 * the new ones are in place, and what they buffered is written first. An entrypoint applies one
 * from its {@code log*} options (and {@code AIOMISC_LOG_*}) when this module is on the class path,
 * unless {@code logConfig(false)}. Until something applies one, {@link StartupConfigurator} has
 * configured Logback from {@code AIOMISC_LOG_*}, unbuffered (unless the application ships its own
 * {@code logback.xml}).
 *
 * <p>Defaults: level {@code info}, format {@link LogFormat#defaultFormat()}, buffered, buffer 1024
 * records, flush every 200 ms, the format's date format (color: {@code %Y-%m-%d %H:%M:%S}; rich:
 * {@code %X}; json: epoch seconds; stream and plain: none). Text formats go to standard error and
 * JSON to standard output, unless {@link Builder#target} says otherwise. Colours: only when
 * standard error is a terminal and {@code NO_COLOR} is not set, unless {@link Builder#colors}
 * forces them or {@code FORCE_COLOR} is set.
 *
 * <p>An instance describes an applied configuration and is immutable; {@link #close()} is
 * thread-safe.
 */
public final class LogConfig implements AutoCloseable {
    private static final ReentrantLock APPLYING = new ReentrantLock();
    private static volatile LogConfig current;

    private final Builder settings;
    private final List<Appender<ILoggingEvent>> appenders;

    private LogConfig(Builder settings, List<Appender<ILoggingEvent>> appenders) {
        this.settings = settings;
        this.appenders = List.copyOf(appenders);
    }

    /**
     * Applies {@code level} and {@code format} with the other defaults.
     *
     * @param level  the root level's name ({@code "info"}, {@code "debug"}, ...; see
     *               {@link Builder#level(String)})
     * @param format the format's name ({@code "json"}, {@code "color"}, ...; see
     *               {@link Builder#format(String)})
     * @return the applied configuration, now {@link #current()}
     * @throws NullPointerException     if {@code level} is null
     * @throws IllegalArgumentException for an unknown level or format, or a format whose module
     *                                  is missing
     * @throws IllegalStateException    if SLF4J is not bound to Logback
     */
    public static LogConfig basicConfig(String level, String format) {
        return builder().level(level).format(format).apply();
    }

    /**
     * aiomisc's {@code basic_config(level, log_format, buffered, buffer_size, flush_interval,
     * date_format, handlers)}: applies a configuration whose extra {@code appenders} receive every
     * record too (buffered like the main output when {@code buffered}).
     *
     * @param level         the root level's name; see {@link Builder#level(String)}
     * @param format        the format
     * @param buffered      whether records go through a {@link BufferedAppender} writer thread
     * @param bufferSize    the buffer's capacity in records, 1 to 1,048,576
     * @param flushInterval the longest time a buffered record waits, 1 ms to 1 hour
     * @param dateFormat    a strftime ({@code %H:%M:%S}) or {@code DateTimeFormatter} pattern, or
     *                      null for the format's default
     * @param appenders     extra appenders that receive every record too; started if they are not
     * @return the applied configuration, now {@link #current()}
     * @throws NullPointerException     if {@code level}, {@code format}, {@code flushInterval} or an
     *                                  appender is null
     * @throws IllegalArgumentException for any invalid value, naming it
     * @throws IllegalStateException    if SLF4J is not bound to Logback
     */
    @SafeVarargs
    public static LogConfig basicConfig(
            String level,
            LogFormat format,
            boolean buffered,
            int bufferSize,
            Duration flushInterval,
            String dateFormat,
            Appender<ILoggingEvent>... appenders) {
        return builder()
                .level(level)
                .format(format)
                .buffered(buffered)
                .bufferSize(bufferSize)
                .flushInterval(flushInterval)
                .dateFormat(dateFormat)
                .appenders(appenders)
                .apply();
    }

    /**
     * A builder with the defaults above; nothing is applied until {@link Builder#apply()}.
     *
     * @return a new builder, for one thread
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The configuration applied last, if any. Thread-safe.
     *
     * @return the configuration applied last through this class, or null if none has been
     */
    public static LogConfig current() {
        return current;
    }

    /**
     * The root level, as aiomisc names it ({@code info}, {@code warning}, ...).
     *
     * @return the canonical level name ({@code warn} given is {@code warning} here)
     */
    public String level() {
        return settings.level;
    }

    /**
     * The format records are written in.
     *
     * @return the format given, or the {@link LogFormat#defaultFormat() default} chosen when applied
     */
    public LogFormat format() {
        return settings.format;
    }

    /**
     * The date format as given.
     *
     * @return the pattern as given, or null for the format's default
     */
    public String dateFormat() {
        return settings.dateFormat;
    }

    /**
     * Whether records go through a {@link BufferedAppender}; still true after {@link #close()},
     * which stops the buffering but not this description of it.
     *
     * @return the setting applied (default true)
     */
    public boolean buffered() {
        return settings.buffered;
    }

    /**
     * The buffer's capacity, meaningful when {@link #buffered()}.
     *
     * @return the capacity in records (default 1024)
     */
    public int bufferSize() {
        return settings.bufferSize;
    }

    /**
     * The longest time a buffered record waits, meaningful when {@link #buffered()}.
     *
     * @return the interval (default 200 ms)
     */
    public Duration flushInterval() {
        return settings.flushInterval;
    }

    /**
     * Whether the text formats use ANSI colours. Reads {@code FORCE_COLOR} and {@code NO_COLOR}
     * and checks the terminal on each call unless {@link Builder#colors} forced them.
     *
     * @return true if colours are on
     */
    public boolean colors() {
        return settings.colorsOn();
    }

    /**
     * The appenders installed on the root logger (buffered ones wrap the outputs).
     *
     * @return an unmodifiable list, the main output first, then the extra appenders
     */
    public List<Appender<ILoggingEvent>> appenders() {
        return appenders;
    }

    /**
     * Writes everything buffered and stops buffering: from then on records are written on the
     * thread that logs them, with the same format and outputs. Idempotent; logging keeps working.
     */
    @Override
    public void close() {
        for (Appender<ILoggingEvent> appender : appenders) {
            if (appender instanceof BufferedAppender buffered) {
                buffered.unbuffer();
            }
        }
    }

    /** Stops this configuration's appenders (they are no longer on the root logger). */
    private void stopAll() {
        for (Appender<ILoggingEvent> appender : appenders) {
            appender.stop();
        }
    }

    @Override
    public String toString() {
        return "LogConfig[level=" + settings.level + ", format=" + settings.format + ", buffered=" + settings.buffered
                + (settings.buffered
                        ? ", bufferSize=" + settings.bufferSize + ", flushInterval=" + settings.flushInterval
                        : "")
                + (settings.dateFormat != null ? ", dateFormat=" + settings.dateFormat : "") + "]";
    }

    /** The logback context behind SLF4J. */
    static LoggerContext loggerContext() {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (factory instanceof LoggerContext context) {
            return context;
        }
        throw new IllegalStateException("aiomisc-log configures Logback, but SLF4J is bound to "
                + factory.getClass().getName() + "; remove the other SLF4J provider from the class path");
    }

    /** Options of a configuration; not thread-safe. {@link #apply()} validates nothing more: each setter does. */
    public static final class Builder {
        private String level = "info";
        private LogFormat format;
        private String dateFormat;
        private DateTimeFormatter dates;
        private boolean buffered = true;
        private int bufferSize = BufferedAppender.DEFAULT_BUFFER_SIZE;
        private Duration flushInterval = BufferedAppender.DEFAULT_FLUSH_INTERVAL;
        private OverflowPolicy overflow = OverflowPolicy.WAIT;
        private Duration maxWait = BufferedAppender.DEFAULT_MAX_WAIT;
        private final List<Appender<ILoggingEvent>> extra = new ArrayList<>();
        private OutputStream target;
        private Boolean colors;
        private InetSocketAddress syslog;
        private Boolean callerData;

        private Builder() {}

        /**
         * The root level: {@code critical}, {@code error}, {@code warning}, {@code info} (default),
         * {@code debug} or {@code notset} (everything), in any case; also {@code warn},
         * {@code fatal}, {@code trace}.
         *
         * @param level the level's name; surrounding blanks are ignored
         * @return this builder
         * @throws NullPointerException     if {@code level} is null
         * @throws IllegalArgumentException naming the value and the valid names
         */
        public Builder level(String level) {
            this.level = LogNames.level("log level", level);
            return this;
        }

        /**
         * The format by name ({@code "json"}).
         *
         * @param format the format's name, as {@link LogFormat#of(String)} reads it
         * @return this builder
         * @throws IllegalArgumentException naming the value and the valid names
         */
        public Builder format(String format) {
            return format(LogFormat.of(format));
        }

        /**
         * The format. Default {@link LogFormat#defaultFormat()}, chosen when applied.
         *
         * @param format the format
         * @return this builder
         * @throws NullPointerException if {@code format} is null
         */
        public Builder format(LogFormat format) {
            this.format = Objects.requireNonNull(format, "format");
            return this;
        }

        /**
         * The date format: strftime ({@code "%Y-%m-%d %H:%M:%S"}, as aiomisc) or a
         * {@code DateTimeFormatter} pattern ({@code "yyyy-MM-dd HH:mm:ss"}); null for the format's
         * default. The syslog format has its own timestamps and ignores it.
         *
         * @param dateFormat the pattern, or null for the format's default
         * @return this builder
         * @throws IllegalArgumentException if the pattern is invalid
         */
        public Builder dateFormat(String dateFormat) {
            return dateFormat("log date format", dateFormat);
        }

        /** {@link #dateFormat(String)} whose exception names {@code source} (a variable, say). */
        Builder dateFormat(String source, String dateFormat) {
            this.dates = dateFormat == null ? null : DateFormats.parse(source, dateFormat);
            this.dateFormat = dateFormat;
            return this;
        }

        /**
         * Whether records go through a {@link BufferedAppender}. Default true. Unbuffered, the
         * logging thread writes and flushes each record itself.
         *
         * @param buffered true to buffer
         * @return this builder
         */
        public Builder buffered(boolean buffered) {
            this.buffered = buffered;
            return this;
        }

        /**
         * See {@link BufferedAppender.Builder#bufferSize}. Default 1024; at most
         * {@link LogSettings#MAX_BUFFER_SIZE} (1,048,576), the entrypoint's bound (the buffer's
         * slots are allocated up front, 12 bytes each).
         *
         * @param bufferSize the capacity in records
         * @return this builder
         * @throws IllegalArgumentException unless in 1..1,048,576
         */
        public Builder bufferSize(int bufferSize) {
            this.bufferSize = LogSettings.requireBufferSize("log buffer size", bufferSize);
            return this;
        }

        /**
         * The longest time a buffered record waits. Default 200 ms; from
         * {@link LogSettings#MIN_FLUSH_INTERVAL} (1 ms: the idle writer wakes once per interval,
         * and a shorter one makes it spin) to {@link LogSettings#MAX_FLUSH_INTERVAL} (1 hour).
         *
         * @param flushInterval the interval
         * @return this builder
         * @throws NullPointerException     if {@code flushInterval} is null
         * @throws IllegalArgumentException unless between 1 ms and 1 hour
         */
        public Builder flushInterval(Duration flushInterval) {
            Objects.requireNonNull(flushInterval, "flushInterval");
            this.flushInterval = Durations.requireBetween(
                    "log flush interval",
                    flushInterval,
                    LogSettings.MIN_FLUSH_INTERVAL,
                    LogSettings.MAX_FLUSH_INTERVAL);
            return this;
        }

        /**
         * What a logging call does when the buffer is full. Default {@link OverflowPolicy#WAIT}.
         *
         * @param overflow the policy
         * @return this builder
         * @throws NullPointerException if {@code overflow} is null
         */
        public Builder overflow(OverflowPolicy overflow) {
            this.overflow = Objects.requireNonNull(overflow, "overflow");
            return this;
        }

        /**
         * The longest a logging call waits for room in a full buffer. Default 200 ms.
         *
         * @param maxWait the wait; zero for none
         * @return this builder
         * @throws NullPointerException     if {@code maxWait} is null
         * @throws IllegalArgumentException if negative
         */
        public Builder maxWait(Duration maxWait) {
            Objects.requireNonNull(maxWait, "maxWait");
            this.maxWait = Durations.requireNonNegative("log max wait", maxWait);
            return this;
        }

        /**
         * Extra appenders that receive every record too (aiomisc's {@code handlers=}); buffered
         * like the main output when buffering is on. They are started if they are not. Each call
         * adds to those given before.
         *
         * @param appenders the appenders
         * @return this builder
         * @throws NullPointerException if an appender is null
         */
        @SafeVarargs
        public final Builder appenders(Appender<ILoggingEvent>... appenders) {
            for (Appender<ILoggingEvent> appender : appenders) {
                extra.add(Objects.requireNonNull(appender, "appender"));
            }
            return this;
        }

        /**
         * Where the format writes instead of standard error (standard output for JSON). The stream
         * is not closed by logging. For tests and for redirecting. With a target, colours are off
         * unless forced.
         *
         * @param target the stream
         * @return this builder
         * @throws NullPointerException if {@code target} is null
         */
        public Builder target(OutputStream target) {
            this.target = Objects.requireNonNull(target, "target");
            return this;
        }

        /**
         * Forces ANSI colours on or off; by default they follow the terminal (see above).
         *
         * @param colors true for colours, false for none
         * @return this builder
         */
        public Builder colors(boolean colors) {
            this.colors = colors;
            return this;
        }

        /**
         * The syslog format's destination. Default {@code localhost:514} (UDP).
         *
         * @param address the syslog server's address
         * @return this builder
         * @throws NullPointerException if {@code address} is null
         */
        public Builder syslogAddress(InetSocketAddress address) {
            this.syslog = Objects.requireNonNull(address, "address");
            return this;
        }

        /**
         * Whether records carry the caller's source location, which the json ({@code code_*}),
         * rich and journald ({@code CODE_*}) formats show. Finding it costs about a microsecond per
         * record. Default: true for those formats, false for the others.
         *
         * @param callerData true to capture the caller's location
         * @return this builder
         */
        public Builder callerData(boolean callerData) {
            this.callerData = callerData;
            return this;
        }

        boolean colorsOn() {
            if (colors != null) {
                return colors;
            }
            String force = System.getenv("FORCE_COLOR");
            if (force != null && !force.isEmpty()) {
                return true;
            }
            String none = System.getenv("NO_COLOR");
            return (none == null || none.isEmpty()) && target == null && Terminal.stderrIsTerminal();
        }

        /**
         * Applies this configuration to Logback and returns it. The builder can be changed and
         * applied again afterwards; the returned configuration keeps a copy of its settings. Safe
         * against concurrent applies (they run one after another).
         *
         * <p><b>Blocks</b> while the previous buffered appenders write what they hold: for each, at
         * most 10 s (see {@link BufferedAppender#stop()}). <b>Interrupt:</b> does not cut the wait
         * short; the interrupt status is set again on return.
         *
         * @return the applied configuration, now {@link LogConfig#current()}
         * @throws IllegalArgumentException if the format's module is missing ({@code journald})
         * @throws IllegalStateException    if SLF4J is not bound to Logback
         */
        public LogConfig apply() {
            return apply(loggerContext(), true);
        }

        /**
         * Applies to {@code context}; {@code hooks} also bridges {@code java.util.logging} and
         * installs the uncaught-exception handler (not at Logback's own start-up, which must not
         * change the process behind the application's back).
         */
        LogConfig apply(LoggerContext context, boolean hooks) {
            Builder settings = copy();
            APPLYING.lock();
            try {
                List<Appender<ILoggingEvent>> outputs = new ArrayList<>();
                Appender<ILoggingEvent> main = settings.mainAppender(context);
                if (main != null) {
                    outputs.add(main);
                }
                outputs.addAll(settings.extra);
                List<Appender<ILoggingEvent>> installed = new ArrayList<>();
                for (Appender<ILoggingEvent> output : outputs) {
                    Appender<ILoggingEvent> appender = settings.buffered ? settings.buffer(output) : output;
                    if (appender.getContext() == null) {
                        appender.setContext(context);
                    }
                    if (settings.level.equals("critical")) {
                        appender.addFilter(CriticalOnly.INSTANCE);
                    }
                    appender.start();
                    installed.add(appender);
                }
                LogConfig config = new LogConfig(settings, installed);
                Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
                for (Appender<ILoggingEvent> appender : installed) {
                    root.addAppender(appender);
                }
                root.setLevel(logbackLevel(settings.level));
                List<Appender<ILoggingEvent>> previous = new ArrayList<>();
                for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
                    Appender<ILoggingEvent> appender = it.next();
                    if (!installed.contains(appender)) {
                        previous.add(appender);
                    }
                }
                Set<Appender<ILoggingEvent>> kept = new HashSet<>(outputs); // the new configuration uses these
                for (Appender<ILoggingEvent> appender : previous) {
                    root.detachAppender(appender);
                    if (kept.contains(appender)) {
                        continue; // an extra appender given again: now wrapped, or no longer
                    }
                    if (appender instanceof BufferedAppender buffered && kept.contains(buffered.downstream())) {
                        buffered.stopKeepingDownstream(); // writes what it holds; its output lives on
                    } else {
                        appender.stop(); // a buffered one writes what it holds first
                    }
                }
                if (hooks) {
                    bridgeJul(context);
                    UnhandledExceptions.install();
                }
                current = config;
                return config;
            } finally {
                APPLYING.unlock();
            }
        }

        private Builder copy() {
            Builder copy = new Builder();
            copy.level = level;
            copy.format = format != null ? format : LogFormat.defaultFormat();
            copy.dateFormat = dateFormat;
            copy.dates = dates;
            copy.buffered = buffered;
            copy.bufferSize = bufferSize;
            copy.flushInterval = flushInterval;
            copy.overflow = overflow;
            copy.maxWait = maxWait;
            copy.extra.addAll(extra);
            copy.target = target;
            copy.colors = colors;
            copy.syslog = syslog;
            copy.callerData = callerData;
            return copy;
        }

        private boolean needsCallerData() {
            return callerData != null
                    ? callerData
                    : format == LogFormat.JSON
                            || format == LogFormat.RICH
                            || format == LogFormat.RICH_TB
                            || format == LogFormat.JOURNALD;
        }

        private BufferedAppender buffer(Appender<ILoggingEvent> output) {
            return BufferedAppender.builder(output)
                    .bufferSize(bufferSize)
                    .flushInterval(flushInterval)
                    .overflow(overflow)
                    .maxWait(maxWait)
                    .callerData(needsCallerData())
                    .name("aiomisc-buffered-" + output.getName())
                    .build();
        }

        /** The format's own output, unstarted; null for {@code disabled}. */
        private Appender<ILoggingEvent> mainAppender(LoggerContext context) {
            switch (format) {
                case DISABLED:
                    return null;
                case SYSLOG: {
                    if (dateFormat != null) {
                        System.err.println("aiomisc-log: Can not apply \"date_format\" for syslog");
                    }
                    SyslogAppender appender = syslog != null ? new SyslogAppender(syslog) : SyslogAppender.localhost();
                    appender.setName("aiomisc-syslog");
                    appender.setContext(context);
                    return appender;
                }
                case JOURNALD: {
                    LogFormatProvider provider = format.provider()
                            .orElseThrow(() -> new IllegalArgumentException("log format journald is not available: add "
                                    + format.missingModule() + " to the class path"));
                    Appender<ILoggingEvent> appender = provider.newAppender(new LogConfig(this, List.of()));
                    appender.setContext(context);
                    return appender;
                }
                default:
                    return stream(context);
            }
        }

        private Appender<ILoggingEvent> stream(LoggerContext context) {
            Encoder<ILoggingEvent> encoder;
            boolean on = colorsOn();
            encoder = switch (format) {
                case JSON -> new JsonEncoder(dates, needsCallerData());
                case PLAIN -> layout(new PlainLayout(), context);
                case STREAM -> layout(new StreamLayout(dates), context);
                case COLOR ->
                    layout(
                            new ColorLayout(dates != null ? dates : DateFormats.parse("date", DateFormats.COLOR), on),
                            context);
                case RICH, RICH_TB ->
                    layout(
                            new RichLayout(
                                    dates != null ? dates : DateFormats.parse("date", DateFormats.RICH),
                                    on,
                                    format == LogFormat.RICH_TB,
                                    columns()),
                            context);
                default -> throw new AssertionError(format);
            };
            encoder.setContext(context);
            encoder.start();
            PrintStream standard = format == LogFormat.JSON ? System.out : System.err;
            OutputStream out = target != null ? target : standard;
            OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
            appender.setName(
                    "aiomisc-" + format + (target != null ? "" : format == LogFormat.JSON ? "-stdout" : "-stderr"));
            appender.setContext(context);
            appender.setEncoder(encoder);
            appender.setImmediateFlush(!buffered);
            appender.setOutputStream(new LogOutput(
                    out,
                    target != null ? "the log stream" : format == LogFormat.JSON ? "standard output" : "standard error",
                    64 * 1024));
            return appender;
        }

        private static Encoder<ILoggingEvent> layout(TextLayout layout, LoggerContext context) {
            layout.setContext(context);
            layout.start();
            LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
            encoder.setLayout(layout);
            encoder.setCharset(StandardCharsets.UTF_8);
            return encoder;
        }

        private static int columns() {
            try {
                String columns = System.getenv("COLUMNS");
                return columns != null ? Math.max(40, Integer.parseInt(columns.trim())) : 120;
            } catch (NumberFormatException e) {
                return 120;
            }
        }

        private static Level logbackLevel(String name) {
            return switch (name) {
                case "critical", "error" -> Level.ERROR;
                case "warning" -> Level.WARN;
                case "info" -> Level.INFO;
                case "debug" -> Level.DEBUG;
                default -> Level.ALL;
            };
        }

        private static void bridgeJul(LoggerContext context) {
            if (!SLF4JBridgeHandler.isInstalled()) {
                SLF4JBridgeHandler.removeHandlersForRootLogger();
                SLF4JBridgeHandler.install();
            }
            boolean propagating = false; // a loop, not a stream: this runs at every start, in a cold JVM
            for (LoggerContextListener listener : context.getCopyOfListenerList()) {
                propagating |= listener instanceof LevelChangePropagator;
            }
            if (!propagating) { // keeps java.util.logging's levels in step, so disabled JUL calls stay cheap
                LevelChangePropagator propagator = new LevelChangePropagator();
                propagator.setContext(context);
                propagator.setResetJUL(true);
                propagator.start();
                context.addListener(propagator);
            }
        }
    }

    /** Lets only critical records through: Logback has no level above ERROR. */
    private static final class CriticalOnly extends Filter<ILoggingEvent> {
        static final CriticalOnly INSTANCE = new CriticalOnly();

        private CriticalOnly() {
            start();
        }

        @Override
        public FilterReply decide(ILoggingEvent event) {
            return Severity.of(event) == Severity.CRITICAL ? FilterReply.NEUTRAL : FilterReply.DENY;
        }
    }
}
