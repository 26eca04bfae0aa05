package io.aiomisc;

import io.aiomisc.dependency.Dependencies;
import io.aiomisc.plugin.LogConfigurator;
import io.aiomisc.plugin.LogSettings;
import io.aiomisc.thread.ThreadPool;
import io.aiomisc.time.TimeSource;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;

/**
 * An entrypoint's resolved configuration: builder values, else environment variables
 * ({@link EnvironmentDefaults}), else the built-in defaults. Immutable.
 *
 * @param signals              the OS signals that stop the entrypoint ({@code "INT"}, ...); empty for none
 * @param executor             the caller's executor for the default pool, or null for our own pool
 * @param contextStatisticName the name of the context's statistic, or null
 * @param dependencies         the registry whose providers the entrypoint's services are injected from
 */
record EntrypointSettings(
        int poolSize,
        LogSettings log,
        boolean logConfig,
        boolean debug,
        List<String> signals,
        Duration shutdownTimeout,
        TimeSource time,
        ExecutorService executor,
        String contextStatisticName,
        Dependencies dependencies) {

    /** The signals {@code catchSignals(true)} catches: aiomisc's SIGINT and SIGTERM. */
    static final List<String> DEFAULT_SIGNALS = List.of("INT", "TERM");

    /**
     * Resolves {@code builder}'s options against its environment.
     *
     * @throws IllegalArgumentException naming the option or variable whose value is bad
     */
    static EntrypointSettings resolve(Entrypoint.Builder builder, Optional<LogConfigurator> configurator) {
        EnvironmentDefaults env = new EnvironmentDefaults(builder.environment);
        Duration flush = builder.logFlushInterval != null
                ? builder.logFlushInterval
                : env.duration(
                                EnvironmentDefaults.LOG_FLUSH,
                                LogSettings.MIN_FLUSH_INTERVAL,
                                LogSettings.MAX_FLUSH_INTERVAL)
                        .orElse(Duration.ofMillis(200));
        String level =
                builder.logLevel != null ? builder.logLevel : env.logLevel().orElse("info");
        String format = builder.logFormat != null
                ? builder.logFormat
                : env.logFormat()
                        .orElseGet(() ->
                                configurator.map(LogConfigurator::defaultFormat).orElse("plain"));
        String dateFormat = builder.logDateFormat != null
                ? builder.logDateFormat
                : env.string(EnvironmentDefaults.LOG_DATE_FORMAT).orElse(null);
        boolean buffering = builder.logBuffering != null
                ? builder.logBuffering
                : env.bool(EnvironmentDefaults.LOG_BUFFERING).orElse(true);
        int bufferSize = builder.logBufferSize != null
                ? builder.logBufferSize
                : env.logBufferSize().orElse(1024);
        boolean logConfig = builder.logConfig != null
                ? builder.logConfig
                : env.bool(EnvironmentDefaults.LOG_CONFIG).orElse(true);
        // The logging module sees these only when it configures logging: check them now, naming
        // their source, instead of failing in start() (a format whose module is missing, say).
        if (logConfig && configurator.isPresent()) {
            if (builder.logFormat != null || env.logFormat().isPresent()) {
                check(
                        configurator.get()::checkFormat,
                        format,
                        builder.logFormat != null ? "logFormat" : EnvironmentDefaults.LOG_FORMAT,
                        "names a log format that is not available");
            }
            if (dateFormat != null) {
                check(
                        configurator.get()::checkDateFormat,
                        dateFormat,
                        builder.logDateFormat != null ? "logDateFormat" : EnvironmentDefaults.LOG_DATE_FORMAT,
                        "is not a valid date format");
            }
        }
        return new EntrypointSettings(
                builder.poolSize != null
                        ? builder.poolSize
                        : env.positiveInt(EnvironmentDefaults.POOL_SIZE, Integer.MAX_VALUE)
                                .orElse(ThreadPool.DEFAULT_SIZE),
                new LogSettings(level, format, dateFormat, buffering, bufferSize, flush),
                logConfig,
                builder.debug != null
                        ? builder.debug
                        : env.bool(EnvironmentDefaults.DEBUG).orElse(false),
                builder.signals != null ? builder.signals : isMainThread() ? DEFAULT_SIGNALS : List.of(),
                builder.shutdownTimeout != null
                        ? builder.shutdownTimeout
                        : env.duration(
                                        EnvironmentDefaults.SHUTDOWN_TIMEOUT,
                                        Duration.ZERO,
                                        Entrypoint.MAX_SHUTDOWN_TIMEOUT)
                                .orElse(Duration.ofSeconds(60)),
                builder.timeSource != null ? builder.timeSource : TimeSource.system(),
                builder.executor,
                builder.contextStatisticName,
                builder.dependencies != null ? builder.dependencies : Dependencies.global());
    }

    /** True if the entrypoint catches any signal. */
    boolean catchSignals() {
        return !signals.isEmpty();
    }

    /** Runs the logging module's {@code check} on {@code value}; its refusal names {@code source}. */
    private static void check(Consumer<String> check, String value, String source, String problem) {
        try {
            check.accept(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    source + " " + problem + ": '" + value + "' (" + e.getMessage() + ")", e);
        }
    }

    private static boolean isMainThread() {
        Thread thread = Thread.currentThread();
        return !thread.isVirtual()
                && "main".equals(thread.getName())
                && thread.getThreadGroup() != null
                && "main".equals(thread.getThreadGroup().getName());
    }
}
