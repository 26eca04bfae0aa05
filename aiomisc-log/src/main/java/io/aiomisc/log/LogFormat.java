package io.aiomisc.log;

import io.aiomisc.plugin.LogNames;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * aiomisc's log formats ({@code aiomisc_log.LogFormat}). {@link #toString()} is the format's name
 * as aiomisc spells it ({@code "rich_tb"}).
 *
 * <ul>
 * <li>{@link #STREAM}: {@code LEVEL:logger:message}, Python's default, to standard error;
 * <li>{@link #COLOR}: {@code date [T:thread] LEVEL:logger: message} with colorlog's colours, to
 *     standard error (colours only on a terminal, unless forced);
 * <li>{@link #JSON}: one JSON object per line, to standard output ({@link JsonEncoder});
 * <li>{@link #SYSLOG}: RFC 5424 messages over UDP ({@link SyslogAppender});
 * <li>{@link #PLAIN}: the message alone, to standard error;
 * <li>{@link #JOURNALD}: systemd's journal; needs {@code io.aiomisc:aiomisc-systemd};
 * <li>{@link #RICH}, {@link #RICH_TB}: rich-style columns with the source location, exceptions in
 *     full; {@code rich_tb} draws them as tracebacks;
 * <li>{@link #DISABLED}: no output of its own (only the extra appenders given to {@link LogConfig}).
 * </ul>
 */
public enum LogFormat {
    /** {@code LEVEL:logger:message}, Python's default, to standard error. */
    STREAM,
    /** {@code date [T:thread] LEVEL:logger: message} with colorlog's colours, to standard error. */
    COLOR,
    /** One JSON object per line, to standard output ({@link JsonEncoder}). */
    JSON,
    /** RFC 5424 messages over UDP ({@link SyslogAppender}), {@code localhost:514} by default. */
    SYSLOG,
    /** The message alone, to standard error. */
    PLAIN,
    /** systemd's journal; available only with {@code io.aiomisc:aiomisc-systemd} on the class path. */
    JOURNALD,
    /** Rich-style columns with the source location, exceptions in full, to standard error. */
    RICH,
    /** Like {@link #RICH}, with exceptions drawn as tracebacks. */
    RICH_TB,
    /** No output of its own: only the extra appenders given to {@link LogConfig} receive records. */
    DISABLED;

    /**
     * The names of all formats, in aiomisc's order: {@code stream, color, ..., rich_tb, disabled}.
     *
     * @return an unmodifiable list of the names, also those of formats not {@link #isAvailable()}
     */
    public static List<String> choices() {
        return LogNames.FORMATS;
    }

    /**
     * The format called {@code name} (any case; {@code -} for {@code _}; surrounding blanks
     * ignored).
     *
     * @param name the format's name, as aiomisc spells it ({@code "rich_tb"})
     * @return the format; it may not be {@link #isAvailable() available}
     * @throws NullPointerException     if {@code name} is null
     * @throws IllegalArgumentException naming the value and the valid names
     */
    public static LogFormat of(String name) {
        return valueOf(LogNames.format("log format", name).toUpperCase(Locale.ROOT));
    }

    /**
     * The format to use when none is chosen, as aiomisc's {@code LogFormat.default()}: {@code journald}
     * when standard error is systemd's journal ({@code JOURNAL_STREAM}) and the journald format is
     * available, else {@code plain} when standard error is not a terminal (a pipe, a file: a log
     * collector adds time and level itself), else {@code color}. (aiomisc prefers {@code rich} on a
     * terminal when the rich library is installed; here {@code rich} is always available and
     * {@code color} stays the default.)
     *
     * @return the format for the current standard error, decided anew on each call
     */
    public static LogFormat defaultFormat() {
        Map<String, String> env = System.getenv();
        return defaultFormat(Terminal.stderrIsJournal(env), Terminal.stderrIsTerminal());
    }

    static LogFormat defaultFormat(boolean journal, boolean terminal) {
        if (journal && JOURNALD.isAvailable()) {
            return JOURNALD;
        }
        return terminal ? COLOR : PLAIN;
    }

    /**
     * False for a format whose module is not on the class path ({@code journald} without
     * {@code aiomisc-systemd}).
     *
     * @return true if a configuration can use this format
     */
    public boolean isAvailable() {
        return this != JOURNALD || provider().isPresent();
    }

    /** The provider of this format from another module, if any. */
    Optional<LogFormatProvider> provider() {
        for (LogFormatProvider provider : Providers.ALL) {
            if (provider.format() == this) {
                return Optional.of(provider);
            }
        }
        return Optional.empty();
    }

    /** The module to add for this format when it is not available. */
    String missingModule() {
        return this == JOURNALD ? "io.aiomisc:aiomisc-systemd" : null;
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Loaded once, on first use. */
    private static final class Providers {
        static final List<LogFormatProvider> ALL =
                ServiceLoader.load(LogFormatProvider.class, LogFormat.class.getClassLoader()).stream()
                        .map(ServiceLoader.Provider::get)
                        .toList();
    }
}
