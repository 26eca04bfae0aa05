package io.aiomisc;

import io.aiomisc.plugin.LogNames;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the entrypoint's defaults from {@code AIOMISC_*} environment variables. A variable that is
 * set but cannot be parsed is an {@link IllegalArgumentException} naming the variable and the
 * value; an unset or empty variable means "not given".
 */
final class EnvironmentDefaults {
    static final String LOG_LEVEL = LogNames.LEVEL_VARIABLE;
    static final String LOG_FORMAT = LogNames.FORMAT_VARIABLE;
    static final String LOG_DATE_FORMAT = LogNames.DATE_FORMAT_VARIABLE;
    static final String LOG_CONFIG = "AIOMISC_LOG_CONFIG";
    static final String LOG_FLUSH = "AIOMISC_LOG_FLUSH";
    static final String LOG_BUFFERING = "AIOMISC_LOG_BUFFERING";
    static final String LOG_BUFFER = "AIOMISC_LOG_BUFFER";
    /** The name aiomisc's documentation uses (the code reads {@code AIOMISC_LOG_BUFFER}); accepted too. */
    static final String LOG_BUFFER_SIZE = "AIOMISC_LOG_BUFFER_SIZE";

    static final String POOL_SIZE = "AIOMISC_POOL_SIZE";
    static final String SHUTDOWN_TIMEOUT = "AIOMISC_SHUTDOWN_TIMEOUT";
    static final String DEBUG = "AIOMISC_DEBUG";

    private static final Set<String> TRUE = Set.of("1", "enable", "enabled", "on", "true", "yes");
    private static final Set<String> FALSE = Set.of("0", "disable", "disabled", "off", "false", "no");

    private final Map<String, String> environment;

    EnvironmentDefaults(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    Optional<String> string(String name) {
        String value = environment.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    /** aiomisc's booleans: 1/enable/enabled/on/true/yes, and their opposites, in any case. */
    Optional<Boolean> bool(String name) {
        return string(name).map(value -> {
            String lower = value.toLowerCase(Locale.ROOT);
            if (TRUE.contains(lower)) {
                return true;
            }
            if (FALSE.contains(lower)) {
                return false;
            }
            throw invalid(name, value, "a boolean (one of " + TRUE + " or " + FALSE + ")");
        });
    }

    Optional<Integer> positiveInt(String name) {
        return string(name).map(value -> {
            int parsed;
            try {
                parsed = Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw invalid(name, value, "a positive integer");
            }
            if (parsed < 1) {
                throw invalid(name, value, "a positive integer");
            }
            return parsed;
        });
    }

    /** Seconds as a decimal number (aiomisc's {@code 0.2}, {@code 60}) or an ISO-8601 duration ({@code PT0.2S}). */
    Optional<Duration> duration(String name, boolean allowZero) {
        return string(name).map(value -> {
            Duration parsed;
            try {
                if (value.toUpperCase(Locale.ROOT).startsWith("P")) {
                    parsed = Duration.parse(value.toUpperCase(Locale.ROOT));
                } else {
                    BigDecimal seconds = new BigDecimal(value);
                    parsed = Duration.ofNanos(
                            seconds.movePointRight(9).toBigInteger().longValueExact());
                }
            } catch (NumberFormatException | DateTimeParseException | ArithmeticException e) {
                throw invalid(name, value, "a duration in seconds (like 0.2) or ISO-8601 (like PT0.2S)");
            }
            if (parsed.isNegative() || (!allowZero && parsed.isZero())) {
                throw invalid(name, value, allowZero ? "a duration that is not negative" : "a positive duration");
            }
            return parsed;
        });
    }

    Optional<String> logLevel() {
        return string(LOG_LEVEL).map(value -> LogNames.level(LOG_LEVEL, value));
    }

    Optional<String> logFormat() {
        return string(LOG_FORMAT).map(value -> LogNames.format(LOG_FORMAT, value));
    }

    Optional<Integer> logBufferSize() {
        Optional<Integer> primary = positiveInt(LOG_BUFFER);
        return primary.isPresent() ? primary : positiveInt(LOG_BUFFER_SIZE);
    }

    private static IllegalArgumentException invalid(String name, String value, String expected) {
        return new IllegalArgumentException(
                "environment variable " + name + " must be " + expected + ": '" + value + "'");
    }
}
