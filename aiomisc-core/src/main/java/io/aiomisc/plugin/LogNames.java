package io.aiomisc.plugin;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The log level and format names the entrypoint accepts, as aiomisc spells them. Core validates
 * names so that a typo fails at once, even before a logging module is on the class path.
 */
public final class LogNames {
    /** aiomisc's level names, most severe first. */
    public static final List<String> LEVELS = List.of("critical", "error", "warning", "info", "debug", "notset");

    /** aiomisc's format names: {@code LogFormat.choices()} in aiomisc-log. */
    public static final List<String> FORMATS =
            List.of("stream", "color", "json", "syslog", "plain", "journald", "rich", "rich_tb", "disabled");

    /** The environment variable with the default log level. */
    public static final String LEVEL_VARIABLE = "AIOMISC_LOG_LEVEL";

    /** The environment variable with the default log format. */
    public static final String FORMAT_VARIABLE = "AIOMISC_LOG_FORMAT";

    /** The environment variable with the default log date format. */
    public static final String DATE_FORMAT_VARIABLE = "AIOMISC_LOG_DATE_FORMAT";

    private LogNames() {}

    /**
     * {@code name} as a canonical lower-case level. Accepts aiomisc's names in any case, plus the
     * Java spellings {@code warn} (= {@code warning}), {@code fatal} (= {@code critical}) and
     * {@code trace} or {@code all} (= {@code notset}: everything). Surrounding blanks are
     * ignored. Thread-safe.
     *
     * @param source the option's or variable's name, for the exception messages
     * @param name   the level name to check
     * @return the canonical level, one of {@link #LEVELS}
     * @throws NullPointerException     if {@code name} is null (the message is {@code source})
     * @throws IllegalArgumentException naming {@code source} and listing the valid names
     */
    public static String level(String source, String name) {
        Objects.requireNonNull(name, source);
        String canonical =
                switch (name.trim().toLowerCase(Locale.ROOT)) {
                    case "warn" -> "warning";
                    case "fatal" -> "critical";
                    case "trace", "all" -> "notset";
                    default -> name.trim().toLowerCase(Locale.ROOT);
                };
        if (!LEVELS.contains(canonical)) {
            throw new IllegalArgumentException(
                    source + " is not a log level: '" + name + "' (expected one of " + LEVELS + ")");
        }
        return canonical;
    }

    /**
     * {@code name} as a canonical lower-case format name. Accepts any case, {@code -} for
     * {@code _} ({@code rich-tb} is {@code rich_tb}) and surrounding blanks. Thread-safe.
     *
     * @param source the option's or variable's name, for the exception messages
     * @param name   the format name to check
     * @return the canonical format name, one of {@link #FORMATS}
     * @throws NullPointerException     if {@code name} is null (the message is {@code source})
     * @throws IllegalArgumentException naming {@code source} and listing the valid names
     */
    public static String format(String source, String name) {
        Objects.requireNonNull(name, source);
        String canonical = name.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        if (!FORMATS.contains(canonical)) {
            throw new IllegalArgumentException(
                    source + " is not a log format: '" + name + "' (expected one of " + FORMATS + ")");
        }
        return canonical;
    }
}
