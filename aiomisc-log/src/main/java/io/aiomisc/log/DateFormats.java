package io.aiomisc.log;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Date patterns for {@code logDateFormat}: either Python's {@code strftime} directives, as aiomisc
 * takes them ({@code "%Y-%m-%d %H:%M:%S"}), or a {@link DateTimeFormatter} pattern
 * ({@code "yyyy-MM-dd HH:mm:ss"}). A pattern with a {@code %} is read as strftime.
 */
final class DateFormats {
    /** aiomisc's {@code DateFormat.color}. */
    static final String COLOR = "%Y-%m-%d %H:%M:%S";
    /** aiomisc's {@code DateFormat.rich}: the time only. */
    static final String RICH = "%X";

    private DateFormats() {}

    /**
     * The date every pattern formats once before it is accepted: the widest fields a log line can
     * meet (two-digit day, month and hour, a three-digit day of the year, nine-digit nanoseconds,
     * the longest English month and weekday names), so that a pattern that parses but cannot
     * print — a pad narrower than its field, {@code "pyyyy"} — fails at configuration, not at the
     * first record.
     */
    private static final LocalDateTime WIDE = LocalDateTime.of(2026, 9, 30, 22, 59, 59, 999_999_999);

    /**
     * A formatter in the system time zone for {@code pattern}.
     *
     * @throws IllegalArgumentException naming {@code source} if the pattern is not valid
     */
    static DateTimeFormatter parse(String source, String pattern) {
        try {
            return check(pattern);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    source + " is not a date format: '" + pattern + "' (" + e.getMessage() + ")", e);
        }
    }

    /**
     * A formatter in the system time zone for {@code pattern}, which has formatted a date.
     *
     * @throws IllegalArgumentException saying what is wrong with the pattern (not naming it)
     */
    static DateTimeFormatter check(String pattern) {
        String java = pattern.indexOf('%') >= 0 ? fromStrftime(pattern) : pattern;
        ZoneId zone = ZoneId.systemDefault();
        DateTimeFormatter formatter =
                DateTimeFormatter.ofPattern(java, Locale.ROOT).withZone(zone);
        try {
            formatter.format(WIDE.atZone(zone));
        } catch (DateTimeException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return formatter;
    }

    /** The {@link DateTimeFormatter} pattern of a strftime pattern. */
    static String fromStrftime(String pattern) {
        StringBuilder out = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c != '%') {
                literal.append(c);
                continue;
            }
            if (i + 1 >= pattern.length()) {
                throw new IllegalArgumentException("a lone '%' at the end");
            }
            char directive = pattern.charAt(++i);
            if (directive == '%') {
                literal.append('%');
                continue;
            }
            flush(literal, out);
            out.append(
                    switch (directive) {
                        case 'Y' -> "yyyy";
                        case 'y' -> "yy";
                        case 'm' -> "MM";
                        case 'd' -> "dd";
                        case 'e' -> "ppd";
                        case 'H' -> "HH";
                        case 'I' -> "hh";
                        case 'M' -> "mm";
                        case 'S' -> "ss";
                        case 'f' -> "SSSSSS";
                        case 'p' -> "a";
                        case 'z' -> "xx";
                        case 'Z' -> "zzz";
                        case 'a' -> "EEE";
                        case 'A' -> "EEEE";
                        case 'b', 'h' -> "MMM";
                        case 'B' -> "MMMM";
                        case 'j' -> "DDD";
                        case 'u' -> "e";
                        case 'X', 'T' -> "HH:mm:ss";
                        case 'x' -> "MM/dd/yy";
                        case 'D' -> "MM/dd/yy";
                        case 'F' -> "yyyy-MM-dd";
                        case 'R' -> "HH:mm";
                        case 'c' -> "EEE MMM ppd HH:mm:ss yyyy";
                        default -> throw new IllegalArgumentException("unsupported directive '%" + directive + "'");
                    });
        }
        flush(literal, out);
        return out.toString();
    }

    private static void flush(StringBuilder literal, StringBuilder out) {
        if (literal.isEmpty()) {
            return;
        }
        out.append('\'').append(literal.toString().replace("'", "''")).append('\'');
        literal.setLength(0);
    }
}
