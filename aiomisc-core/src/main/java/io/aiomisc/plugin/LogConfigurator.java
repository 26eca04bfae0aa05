package io.aiomisc.plugin;

/**
 * The service-provider interface through which a logging module configures logging for an
 * entrypoint (aiomisc-log implements it on Logback). Core has no logging implementation of its
 * own: without a provider on the class path, {@code logConfig(true)} configures nothing.
 *
 * <p>Found with {@link java.util.ServiceLoader}; if several are present, the first is used.
 * Implementations must be thread-safe and must tolerate being called again with other settings.
 */
public interface LogConfigurator {
    /**
     * Configures logging as {@code settings} say. Called by an entrypoint's {@code start()} when
     * its {@code logConfig} option is true, and by {@link Plugins#main} for {@code -l}/{@code -F}.
     *
     * @param settings the settings to apply, already checked, never null
     */
    void configure(LogSettings settings);

    /**
     * Called when an entrypoint that configured logging has closed: write out everything still
     * buffered and leave logging working unbuffered with the same settings.
     *
     * <p>Must return in bounded time whatever the output does: an implementation gives up on
     * records it cannot write within its documented bound (aiomisc-log's: 10 s per buffered
     * output), counts them and says so, instead of waiting for a stuck output for good. The
     * entrypoint calls this from {@code close()} and, after a signal-initiated shutdown timed out,
     * from the watchdog, which halts the JVM 1 s later whether or not this has returned.
     *
     * @param settings the settings the entrypoint configured logging with, never null
     */
    void release(LogSettings settings);

    /**
     * The format to use when neither the entrypoint's builder nor {@code AIOMISC_LOG_FORMAT}
     * chooses one (aiomisc's {@code LogFormat.default()}: journald under systemd's journal, plain
     * when stderr is not a terminal, color otherwise).
     *
     * @return the default format name, one of {@link LogNames#FORMATS}
     */
    String defaultFormat();

    /**
     * Checks a date format before anything starts, so that an entrypoint's {@code build()} can
     * reject a bad {@code logDateFormat} or {@code AIOMISC_LOG_DATE_FORMAT} naming where it came
     * from. The default accepts everything.
     *
     * @param dateFormat the pattern, never null
     * @throws IllegalArgumentException saying what is wrong with the pattern (the caller adds the
     *                                  option's or variable's name)
     */
    default void checkDateFormat(String dateFormat) {}

    /**
     * Checks that this configurator can log in {@code format} before anything starts, so that an
     * entrypoint's {@code build()} can reject a {@code logFormat} or {@code AIOMISC_LOG_FORMAT}
     * whose module is missing, naming where it came from. The default accepts the names of
     * {@link LogNames#FORMATS} and nothing else.
     *
     * @param format a format name, never null
     * @throws IllegalArgumentException saying what is missing (for example
     *                                  {@code "journald needs io.aiomisc:aiomisc-systemd on the class path"});
     *                                  the caller adds the option's or variable's name
     */
    default void checkFormat(String format) {
        LogNames.format("format", format);
    }
}
