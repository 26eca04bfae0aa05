package io.aiomisc.schedule;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.Month;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A cron schedule: which wall-clock times fire, and {@link #next} fire time after a given one.
 * This library's own parser and engine (no cron library: the usual ones are unmaintained or wrong
 * at daylight-saving changes).
 *
 * <h2>Syntax</h2>
 * Five fields, {@code minute hour day-of-month month day-of-week}, or six with
 * {@code second} first ({@code "*}{@code /5 * * * * *"} fires every 5 seconds):
 * <pre>
 *   second         0-59
 *   minute         0-59
 *   hour           0-23
 *   day of month   1-31
 *   month          1-12 or JAN-DEC
 *   day of week    0-7 or SUN-SAT (0 and 7 are Sunday)
 * </pre>
 * Each field is {@code *}, a value, a range {@code a-b}, a step {@code *}{@code /n}, {@code a-b/n}
 * or {@code a/n} (from a to the field's end), or a comma-separated list of those. Names are
 * case-insensitive. Macros: {@code @yearly} (= {@code @annually}, {@code 0 0 1 1 *}),
 * {@code @monthly} ({@code 0 0 1 * *}), {@code @weekly} ({@code 0 0 * * 0}), {@code @daily}
 * (= {@code @midnight}, {@code 0 0 * * *}), {@code @hourly} ({@code 0 * * * *}).
 *
 * <p><b>Day of month and day of week</b> combine as in Vixie cron: when both are restricted (neither
 * starts with {@code *}), a day matches if <em>either</em> matches ({@code 0 0 13 * 5} fires on the
 * 13th and on every Friday); otherwise both must match.
 *
 * <h2>Time zones and daylight saving</h2>
 * Fire times are wall-clock times in the zone of the argument of {@link #next}. Where the wall
 * clock skips or repeats:
 * <ul>
 * <li>a fire time inside a spring-forward <b>gap</b> fires once, at the first instant after the gap
 * ({@code 30 2 * * *} in New York on the spring-forward day fires at 03:00 EDT); several fire times
 * in one gap fire once together;</li>
 * <li>a fire time inside a fall-back <b>overlap</b> fires once, on its first occurrence; the second
 * occurrence of a repeated wall-clock time never fires. This holds for every spec, hourly and
 * every-minute ones included (so {@code * * * * *} is silent during the repeated hour).</li>
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
public final class CronExpression {
    private static final Map<String, String> MACROS = Map.of(
            "@yearly", "0 0 1 1 *",
            "@annually", "0 0 1 1 *",
            "@monthly", "0 0 1 * *",
            "@weekly", "0 0 * * 0",
            "@daily", "0 0 * * *",
            "@midnight", "0 0 * * *",
            "@hourly", "0 * * * *");
    private static final List<String> MONTH_NAMES =
            List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC");
    private static final List<String> DAY_NAMES = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");
    /** Long enough for any satisfiable spec to fire (the Gregorian calendar repeats every 400 years). */
    private static final int SEARCH_YEARS = 401;

    private final String spec;
    private final boolean withSeconds;
    private final long seconds;
    private final long minutes;
    private final long hours;
    private final long daysOfMonth;
    private final long months;
    private final long daysOfWeek;
    private final boolean dayOfMonthStar;
    private final boolean dayOfWeekStar;

    private CronExpression(
            String spec,
            boolean withSeconds,
            long seconds,
            long minutes,
            long hours,
            long daysOfMonth,
            long months,
            long daysOfWeek,
            boolean dayOfMonthStar,
            boolean dayOfWeekStar) {
        this.spec = spec;
        this.withSeconds = withSeconds;
        this.seconds = seconds;
        this.minutes = minutes;
        this.hours = hours;
        this.daysOfMonth = daysOfMonth;
        this.months = months;
        this.daysOfWeek = daysOfWeek;
        this.dayOfMonthStar = dayOfMonthStar;
        this.dayOfWeekStar = dayOfWeekStar;
    }

    /**
     * Parses {@code spec}.
     *
     * @param spec five or six fields, or a macro, as the class description says; surrounding
     *             whitespace is ignored
     * @return the schedule
     * @throws NullPointerException     if {@code spec} is null
     * @throws IllegalArgumentException if it is not a valid spec; the message names the field
     *                                  ({@code minute}, {@code hour}, {@code day of month},
     *                                  {@code month}, {@code day of week}, {@code second}) and the
     *                                  bad value
     */
    public static CronExpression parse(String spec) {
        Objects.requireNonNull(spec, "spec");
        String trimmed = spec.trim();
        String expanded = trimmed.startsWith("@") ? MACROS.get(trimmed.toLowerCase(Locale.ROOT)) : trimmed;
        if (expanded == null) {
            throw invalid(
                    spec,
                    "unknown macro '" + trimmed + "' (known: "
                            + MACROS.keySet().stream().sorted().toList() + ")");
        }
        String[] fields = expanded.split("\\s+");
        if (fields.length != 5 && fields.length != 6) {
            throw invalid(
                    spec,
                    "expected 5 fields (minute hour day-of-month month day-of-week) or 6 (second first), got "
                            + fields.length);
        }
        boolean withSeconds = fields.length == 6;
        int offset = withSeconds ? 1 : 0;
        long seconds = withSeconds ? parseField(spec, fields[0], "second", 0, 59, null) : 1L;
        long minutes = parseField(spec, fields[offset], "minute", 0, 59, null);
        long hours = parseField(spec, fields[offset + 1], "hour", 0, 23, null);
        long daysOfMonth = parseField(spec, fields[offset + 2], "day of month", 1, 31, null);
        long months = parseField(spec, fields[offset + 3], "month", 1, 12, MONTH_NAMES);
        long daysOfWeek = parseField(spec, fields[offset + 4], "day of week", 0, 7, DAY_NAMES);
        if ((daysOfWeek & (1L << 7)) != 0) {
            daysOfWeek = (daysOfWeek & ~(1L << 7)) | 1L; // 7 is Sunday too
        }
        boolean dayOfMonthStar = fields[offset + 2].startsWith("*");
        boolean dayOfWeekStar = fields[offset + 4].startsWith("*");
        CronExpression expression = new CronExpression(
                trimmed,
                withSeconds,
                seconds,
                minutes,
                hours,
                daysOfMonth,
                months,
                daysOfWeek,
                dayOfMonthStar,
                dayOfWeekStar);
        if ((dayOfMonthStar || dayOfWeekStar) && !expression.someMonthHasOneOfTheDays()) {
            throw invalid(spec, "day of month " + fields[offset + 2] + " never occurs in month " + fields[offset + 3]);
        }
        return expression;
    }

    /**
     * The first fire time strictly after {@code after}, in {@code after}'s zone, following the
     * daylight-saving policy of the class description.
     *
     * @param after the time to search from (exclusive); its zone is the schedule's zone
     * @return the next fire time, in {@code after}'s zone
     * @throws NullPointerException  if {@code after} is null
     * @throws IllegalStateException if no fire time exists within 401 years (a spec such as
     *                               {@code 0 0 29 2 1} whose days almost never coincide is
     *                               searched that far)
     */
    public ZonedDateTime next(ZonedDateTime after) {
        Objects.requireNonNull(after, "after");
        ZoneId zone = after.getZone();
        ZoneRules rules = zone.getRules();
        ChronoUnit unit = withSeconds ? ChronoUnit.SECONDS : ChronoUnit.MINUTES;
        LocalDateTime candidate = after.toLocalDateTime().truncatedTo(unit).plus(1, unit);
        LocalDateTime limit = candidate.plusYears(SEARCH_YEARS);
        while (true) {
            candidate = nextLocalMatch(candidate, limit);
            ZonedDateTime fire = resolve(candidate, zone, rules);
            if (fire.toInstant().isAfter(after.toInstant())) {
                return fire;
            }
            // the earlier occurrence of a repeated time, or a gap already fired at its end
            candidate = candidate.plus(1, unit);
        }
    }

    /**
     * Whether a wall-clock time is a fire time, ignoring zones and daylight saving.
     *
     * @param time the wall-clock time; its seconds are ignored for a 5-field spec
     * @return true if {@code time} is a fire time
     */
    public boolean matches(LocalDateTime time) {
        return matchesDate(time.toLocalDate())
                && has(hours, time.getHour())
                && has(minutes, time.getMinute())
                && (!withSeconds || has(seconds, time.getSecond()));
    }

    /** True if days of {@code date} can fire (month, day of month, day of week). */
    boolean matchesDate(LocalDate date) {
        return has(months, date.getMonthValue()) && dayMatches(date);
    }

    /**
     * Whether the spec has six fields, seconds first.
     *
     * @return true if the spec has a seconds field; false for five fields and the macros
     */
    public boolean hasSeconds() {
        return withSeconds;
    }

    @Override
    public String toString() {
        return spec;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CronExpression other
                && withSeconds == other.withSeconds
                && seconds == other.seconds
                && minutes == other.minutes
                && hours == other.hours
                && daysOfMonth == other.daysOfMonth
                && months == other.months
                && daysOfWeek == other.daysOfWeek
                && dayOfMonthStar == other.dayOfMonthStar
                && dayOfWeekStar == other.dayOfWeekStar;
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                withSeconds, seconds, minutes, hours, daysOfMonth, months, daysOfWeek, dayOfMonthStar, dayOfWeekStar);
    }

    /** The first wall-clock time at or after {@code from} that matches every field. */
    private LocalDateTime nextLocalMatch(LocalDateTime from, LocalDateTime limit) {
        LocalDateTime t = from;
        while (true) {
            if (t.isAfter(limit)) {
                throw new IllegalStateException(
                        "cron spec '" + spec + "' has no fire time within " + SEARCH_YEARS + " years");
            }
            if (!has(months, t.getMonthValue())) {
                t = t.toLocalDate().withDayOfMonth(1).plusMonths(1).atStartOfDay();
                continue;
            }
            if (!dayMatches(t.toLocalDate())) {
                t = t.toLocalDate().plusDays(1).atStartOfDay();
                continue;
            }
            int hour = nextBit(hours, t.getHour());
            if (hour < 0) {
                t = t.toLocalDate().plusDays(1).atStartOfDay();
                continue;
            }
            if (hour != t.getHour()) {
                t = t.toLocalDate().atTime(hour, 0);
            }
            int minute = nextBit(minutes, t.getMinute());
            if (minute < 0) {
                t = t.truncatedTo(ChronoUnit.HOURS).plusHours(1);
                continue;
            }
            if (minute != t.getMinute()) {
                t = t.truncatedTo(ChronoUnit.HOURS).withMinute(minute);
            }
            if (withSeconds) {
                int second = nextBit(seconds, t.getSecond());
                if (second < 0) {
                    t = t.truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
                    continue;
                }
                t = t.withSecond(second);
            }
            return t;
        }
    }

    /** The instant a matching wall-clock time fires at, under the daylight-saving policy. */
    private static ZonedDateTime resolve(LocalDateTime local, ZoneId zone, ZoneRules rules) {
        List<?> offsets = rules.getValidOffsets(local);
        if (offsets.isEmpty()) {
            ZoneOffsetTransition gap = rules.getTransition(local);
            return ZonedDateTime.ofInstant(gap.getInstant(), zone);
        }
        return ZonedDateTime.ofLocal(local, zone, null); // the earlier offset in an overlap
    }

    private boolean dayMatches(LocalDate date) {
        boolean dayOfMonth = has(daysOfMonth, date.getDayOfMonth());
        boolean dayOfWeek = has(daysOfWeek, date.getDayOfWeek().getValue() % 7);
        return dayOfMonthStar || dayOfWeekStar ? dayOfMonth && dayOfWeek : dayOfMonth || dayOfWeek;
    }

    private boolean someMonthHasOneOfTheDays() {
        for (Month month : Month.values()) {
            if (has(months, month.getValue()) && (daysOfMonth & ((1L << (month.maxLength() + 1)) - 1)) != 0) {
                return true;
            }
        }
        return false;
    }

    private static boolean has(long mask, int value) {
        return (mask & (1L << value)) != 0;
    }

    /** The smallest value >= {@code from} in {@code mask}, or -1. */
    private static int nextBit(long mask, int from) {
        long rest = mask & (-1L << from);
        return rest == 0 ? -1 : Long.numberOfTrailingZeros(rest);
    }

    private static long parseField(String spec, String field, String name, int min, int max, List<String> names) {
        long mask = 0;
        for (String part : field.split(",", -1)) {
            if (part.isEmpty()) {
                throw invalid(spec, name + " field '" + field + "' has an empty list element");
            }
            String range = part;
            int step = 1;
            int slash = part.indexOf('/');
            if (slash >= 0) {
                range = part.substring(0, slash);
                String stepText = part.substring(slash + 1);
                step = number(spec, name, stepText, "step");
                if (step < 1) {
                    throw invalid(spec, name + " step must be at least 1: '" + part + "'");
                }
            }
            int low;
            int high;
            if (range.equals("*")) {
                low = min;
                high = max;
            } else {
                int dash = range.indexOf('-');
                if (dash > 0) {
                    low = value(spec, name, range.substring(0, dash), min, max, names);
                    high = value(spec, name, range.substring(dash + 1), min, max, names);
                    if (low > high) {
                        throw invalid(spec, name + " range '" + range + "' runs backwards");
                    }
                } else {
                    low = value(spec, name, range, min, max, names);
                    high = slash >= 0 ? max : low;
                }
            }
            for (int v = low; v <= high; v += step) {
                mask |= 1L << v;
            }
        }
        return mask;
    }

    private static int value(String spec, String name, String text, int min, int max, List<String> names) {
        int value;
        int index = names == null ? -1 : names.indexOf(text.toUpperCase(Locale.ROOT));
        if (index >= 0) {
            value = index + min; // names start at the field's lowest value: JAN = 1, SUN = 0
        } else {
            value = number(spec, name, text, "value");
        }
        if (value < min || value > max) {
            throw invalid(spec, name + " value " + text + " is out of range " + min + "-" + max);
        }
        return value;
    }

    private static int number(String spec, String name, String text, String what) {
        if (text.isEmpty() || !text.chars().allMatch(Character::isDigit) || text.length() > 9) {
            throw invalid(
                    spec,
                    name + " " + what + " '" + text + "' is not a number" + (what.equals("value") ? " or name" : ""));
        }
        return Integer.parseInt(text);
    }

    private static IllegalArgumentException invalid(String spec, String problem) {
        return new IllegalArgumentException("invalid cron spec '" + spec + "': " + problem);
    }
}
