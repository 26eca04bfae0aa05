package io.aiomisc;

import io.aiomisc.plugin.LogNames;
import io.aiomisc.plugin.LogSettings;
import java.math.BigDecimal;
import java.math.RoundingMode;
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

    /** A duration's text is a number or an ISO-8601 duration: this is plenty, and keeps parsing cheap. */
    static final int MAX_DURATION_LENGTH = 64;

    private static final BigDecimal NANOSECOND = BigDecimal.ONE.movePointLeft(9);

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

    /** An integer in {@code 1..max}. */
    Optional<Integer> positiveInt(String name, int max) {
        String expected = max == Integer.MAX_VALUE ? "a positive integer" : "an integer in 1.." + max;
        return string(name).map(value -> {
            int parsed;
            try {
                parsed = Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw invalid(name, value, expected);
            }
            if (parsed < 1 || parsed > max) {
                throw invalid(name, value, expected);
            }
            return parsed;
        });
    }

    /**
     * Seconds as a decimal number (aiomisc's {@code 0.2}, {@code 60}, {@code 1e-3}) or an ISO-8601
     * duration ({@code PT0.2S}), between {@code min} and {@code max}; fractions of a nanosecond
     * are dropped. The value is range-checked before it is converted: a huge exponent
     * ({@code 1e50000000}) is rejected at once instead of being expanded digit by digit.
     */
    Optional<Duration> duration(String name, Duration min, Duration max) {
        return string(name).map(value -> {
            String expected = "a duration between " + seconds(min) + " and " + seconds(max)
                    + " seconds (like 0.2) or ISO-8601 (like PT0.2S)";
            if (value.length() > MAX_DURATION_LENGTH) {
                throw invalid(name, value, expected + ", at most " + MAX_DURATION_LENGTH + " characters");
            }
            Duration parsed;
            try {
                parsed = value.toUpperCase(Locale.ROOT).startsWith("P")
                        ? Duration.parse(value.toUpperCase(Locale.ROOT))
                        : fromSeconds(new BigDecimal(value), max);
            } catch (NumberFormatException | DateTimeParseException e) {
                throw invalid(name, value, expected);
            } catch (SubNanosecondException e) {
                throw invalid(name, value, expected + ", and not between 0 and 1 ns");
            } catch (ArithmeticException e) {
                throw invalid(name, value, expected);
            }
            if (parsed == null || parsed.compareTo(min) < 0 || parsed.compareTo(max) > 0) {
                throw invalid(name, value, expected);
            }
            return parsed;
        });
    }

    /**
     * {@code seconds} as a duration, or null if it is negative or above {@code max}. {@link BigDecimal#compareTo} decides from the exponents alone
     * when they differ, so no comparison here expands a giant exponent; the conversion runs only
     * on a value of at most a few dozen digits and a scale of at most 9 + their number.
     *
     * @throws SubNanosecondException if {@code seconds} is above zero but below one nanosecond
     */
    private static Duration fromSeconds(BigDecimal seconds, Duration max) {
        if (seconds.signum() == 0) {
            return Duration.ZERO;
        }
        if (seconds.signum() < 0 || seconds.compareTo(new BigDecimal(seconds(max))) > 0) {
            return null;
        }
        if (seconds.compareTo(NANOSECOND) < 0) {
            // not zero, yet rounds to zero: a typo for a real value more likely than a wish for none
            throw new SubNanosecondException();
        }
        return Duration.ofNanos(
                seconds.setScale(9, RoundingMode.DOWN).movePointRight(9).longValueExact());
    }

    /** A positive number of seconds too small for a {@link Duration}; stays inside this class. */
    private static final class SubNanosecondException extends RuntimeException {
        SubNanosecondException() {
            super("below 1 ns", null, false, false);
        }
    }

    /** {@code duration} in seconds, as a plain decimal ({@code 0.001}, {@code 86400}). */
    private static String seconds(Duration duration) {
        return BigDecimal.valueOf(duration.getSeconds())
                .add(BigDecimal.valueOf(duration.getNano(), 9))
                .stripTrailingZeros()
                .toPlainString();
    }

    Optional<String> logLevel() {
        return string(LOG_LEVEL).map(value -> LogNames.level(LOG_LEVEL, value));
    }

    Optional<String> logFormat() {
        return string(LOG_FORMAT).map(value -> LogNames.format(LOG_FORMAT, value));
    }

    /** The log buffer size, in 1..{@link LogSettings#MAX_BUFFER_SIZE}; the message names the variable set. */
    Optional<Integer> logBufferSize() {
        Optional<Integer> primary = positiveInt(LOG_BUFFER, LogSettings.MAX_BUFFER_SIZE);
        return primary.isPresent() ? primary : positiveInt(LOG_BUFFER_SIZE, LogSettings.MAX_BUFFER_SIZE);
    }

    private static IllegalArgumentException invalid(String name, String value, String expected) {
        return new IllegalArgumentException(
                "environment variable " + name + " must be " + expected + ": '" + value + "'");
    }
}
