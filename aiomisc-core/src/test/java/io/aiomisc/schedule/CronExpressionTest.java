package io.aiomisc.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CronExpressionTest {
    private static final ZoneId UTC = ZoneOffset.UTC;
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final ZoneId LORD_HOWE = ZoneId.of("Australia/Lord_Howe");

    private static ZonedDateTime at(String local, ZoneId zone) {
        return LocalDateTime.parse(local).atZone(zone);
    }

    /** The next {@code count} fire times after {@code start}, as local date-time strings with offsets. */
    private static List<String> fires(String spec, ZonedDateTime start, int count) {
        CronExpression expression = CronExpression.parse(spec);
        List<String> fires = new ArrayList<>();
        ZonedDateTime t = start;
        for (int i = 0; i < count; i++) {
            t = expression.next(t);
            fires.add(t.toOffsetDateTime().toString());
        }
        return fires;
    }

    @Test
    void everyFieldType() {
        assertEquals(
                List.of("2026-01-01T00:01Z", "2026-01-01T00:02Z"), fires("* * * * *", at("2026-01-01T00:00", UTC), 2));
        assertEquals(
                List.of("2026-01-01T00:15Z", "2026-01-01T00:30Z", "2026-01-01T00:45Z", "2026-01-01T01:00Z"),
                fires("*/15 * * * *", at("2026-01-01T00:00", UTC), 4));
        assertEquals(
                List.of("2026-01-01T09:05Z", "2026-01-01T10:05Z", "2026-01-01T11:05Z", "2026-01-02T09:05Z"),
                fires("5 9-11 * * *", at("2026-01-01T00:00", UTC), 4));
        assertEquals(
                List.of("2026-01-01T08:00Z", "2026-01-01T10:00Z", "2026-01-01T12:00Z"),
                fires("0 8-12/2 * * *", at("2026-01-01T07:00", UTC), 3));
        assertEquals(
                List.of("2026-01-01T00:20Z", "2026-01-01T00:40Z", "2026-01-01T01:20Z"),
                fires("20/20 * * * *", at("2026-01-01T00:00", UTC), 3));
        assertEquals(
                List.of("2026-01-01T00:01Z", "2026-01-01T00:07Z", "2026-01-01T00:30Z", "2026-01-01T01:01Z"),
                fires("1,7,30 * * * *", at("2026-01-01T00:00", UTC), 4));
        assertEquals(
                List.of("2026-03-01T00:00Z", "2026-07-01T00:00Z", "2027-03-01T00:00Z"),
                fires("0 0 1 mar,JUL *", at("2026-01-01T00:00", UTC), 3));
        assertEquals(
                List.of(
                        "2026-01-05T06:00Z",
                        "2026-01-06T06:00Z",
                        "2026-01-07T06:00Z",
                        "2026-01-08T06:00Z",
                        "2026-01-09T06:00Z",
                        "2026-01-12T06:00Z"),
                fires("0 6 * * MON-fri", at("2026-01-03T00:00", UTC), 6)); // 2026-01-03 is a Saturday
        assertEquals(
                fires("0 0 * * 0", at("2026-01-01T00:00", UTC), 3), fires("0 0 * * 7", at("2026-01-01T00:00", UTC), 3));
    }

    @Test
    void macros() {
        ZonedDateTime start = at("2026-05-17T13:27", UTC);
        assertEquals(fires("0 0 1 1 *", start, 2), fires("@yearly", start, 2));
        assertEquals(fires("0 0 1 1 *", start, 2), fires("@annually", start, 2));
        assertEquals(fires("0 0 1 * *", start, 2), fires("@monthly", start, 2));
        assertEquals(fires("0 0 * * 0", start, 2), fires("@weekly", start, 2));
        assertEquals(fires("0 0 * * *", start, 2), fires("@daily", start, 2));
        assertEquals(fires("0 0 * * *", start, 2), fires("@midnight", start, 2));
        assertEquals(fires("0 * * * *", start, 2), fires("@HOURLY", start, 2));
    }

    @Test
    void sixFieldsHaveSecondsFirst() {
        assertEquals(
                List.of("2026-01-01T00:00:05Z", "2026-01-01T00:00:10Z", "2026-01-01T00:00:15Z"),
                fires("*/5 * * * * *", at("2026-01-01T00:00:03", UTC), 3));
        assertEquals(
                List.of("2026-01-01T00:01:30Z", "2026-01-01T00:02:30Z"),
                fires("30 * * * * *", at("2026-01-01T00:00:30", UTC), 2));
        assertTrue(CronExpression.parse("0 * * * * *").hasSeconds());
        assertFalse(CronExpression.parse("* * * * *").hasSeconds());
    }

    @Test
    void nextIsStrictlyAfterAndInTheArgumentsZone() {
        ZonedDateTime exactly = at("2026-01-01T10:00", BERLIN);
        ZonedDateTime next = CronExpression.parse("0 10 * * *").next(exactly);
        assertEquals(at("2026-01-02T10:00", BERLIN), next);
        assertEquals(BERLIN, next.getZone());
        assertEquals(
                at("2026-01-01T10:00", BERLIN),
                CronExpression.parse("0 10 * * *").next(at("2026-01-01T09:59:59.999", BERLIN)));
    }

    @Test
    void dayOfMonthAndDayOfWeekAreOredWhenBothAreRestricted() {
        // the 13th, and every Friday: 2026-02-06 (Fri), 02-13 (Fri and 13th), 02-20, 02-27, 03-06, 03-13
        assertEquals(
                List.of(
                        "2026-02-06T00:00Z",
                        "2026-02-13T00:00Z",
                        "2026-02-20T00:00Z",
                        "2026-02-27T00:00Z",
                        "2026-03-06T00:00Z",
                        "2026-03-13T00:00Z"),
                fires("0 0 13 * 5", at("2026-02-01T00:00", UTC), 6));
        // a day-of-month field starting with * makes it an AND: odd days that are Fridays
        assertEquals(
                List.of("2026-02-13T00:00Z", "2026-02-27T00:00Z", "2026-03-13T00:00Z"),
                fires("0 0 */2 * 5", at("2026-02-01T00:00", UTC), 3));
    }

    @Test
    void monthEndsAndLeapYears() {
        assertEquals(
                List.of("2026-01-31T00:00Z", "2026-03-31T00:00Z", "2026-05-31T00:00Z"),
                fires("0 0 31 * *", at("2026-01-01T00:00", UTC), 3));
        assertEquals(
                List.of("2028-02-29T00:00Z", "2032-02-29T00:00Z", "2036-02-29T00:00Z"),
                fires("0 0 29 2 *", at("2025-03-01T00:00", UTC), 3));
        assertEquals(
                List.of("2104-02-29T00:00Z"),
                fires("0 0 29 2 *", at("2096-03-01T00:00", UTC), 1),
                "2100 is not a leap year");
        assertEquals(
                List.of("2026-02-28T00:00Z", "2027-02-28T00:00Z"), fires("0 0 28 2 *", at("2026-01-01T00:00", UTC), 2));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "61 * * * *      | minute     | 61",
                "* 24 * * *      | hour       | 24",
                "* * 0 * *       | day of month | 0",
                "* * 32 * *      | day of month | 32",
                "* * * 13 *      | month      | 13",
                "* * * FOO *     | month      | FOO",
                "* * * * 8       | day of week | 8",
                "* * * * funday  | day of week | funday",
                "60 * * * * *    | second     | 60",
                "*/0 * * * *     | minute     | */0",
                "5-1 * * * *     | minute     | 5-1",
                "1,,2 * * * *    | minute     | 1,,2",
                "0 0 30 2 *      | day of month | 30",
                "L * * * *       | minute     | L",
            })
    void invalidSpecsNameTheFieldAndTheValue(String spec, String field, String value) {
        IllegalArgumentException thrown =
                assertThrows(IllegalArgumentException.class, () -> CronExpression.parse(spec));
        assertTrue(thrown.getMessage().contains(field), thrown.getMessage());
        assertTrue(thrown.getMessage().contains(value), thrown.getMessage());
    }

    @Test
    void invalidShapes() {
        assertThrows(IllegalArgumentException.class, () -> CronExpression.parse(""));
        assertThrows(IllegalArgumentException.class, () -> CronExpression.parse("* * * *"));
        assertThrows(IllegalArgumentException.class, () -> CronExpression.parse("* * * * * * *"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CronExpression.parse("@sometimes"))
                .getMessage()
                .contains("@sometimes"));
        assertThrows(NullPointerException.class, () -> CronExpression.parse(null));
    }

    // --- daylight saving ---

    @Test
    void newYorkSpringForwardGapFiresOnceAtTheEndOfTheGap() {
        // 2026-03-08: 02:00 EST jumps to 03:00 EDT
        assertEquals(
                List.of("2026-03-07T02:30-05:00", "2026-03-08T03:00-04:00", "2026-03-09T02:30-04:00"),
                fires("30 2 * * *", at("2026-03-07T00:00", NEW_YORK), 3));
        assertEquals(
                List.of("2026-03-08T01:00-05:00", "2026-03-08T03:00-04:00", "2026-03-08T04:00-04:00"),
                fires("0 * * * *", at("2026-03-08T00:30", NEW_YORK), 3),
                "02:00 and 03:00 fire once together");
        assertEquals(
                List.of("2026-03-08T01:59-05:00", "2026-03-08T03:00-04:00", "2026-03-08T03:01-04:00"),
                fires("* * * * *", at("2026-03-08T01:58", NEW_YORK), 3));
    }

    @Test
    void newYorkFallBackRepeatedHourFiresOnlyOnItsFirstOccurrence() {
        // 2026-11-01: 02:00 EDT falls back to 01:00 EST; 01:00-01:59 happens twice
        assertEquals(
                List.of("2026-11-01T01:30-04:00", "2026-11-02T01:30-05:00"),
                fires("30 1 * * *", at("2026-11-01T00:00", NEW_YORK), 2));
        assertEquals(
                List.of(
                        "2026-11-01T00:30-04:00",
                        "2026-11-01T01:00-04:00",
                        "2026-11-01T01:30-04:00",
                        "2026-11-01T02:00-05:00"),
                fires("*/30 * * * *", at("2026-11-01T00:00", NEW_YORK), 4));
        ZonedDateTime secondPass =
                ZonedDateTime.ofStrict(LocalDateTime.parse("2026-11-01T01:10"), ZoneOffset.ofHours(-5), NEW_YORK);
        assertEquals(
                "2026-11-02T01:30-05:00",
                CronExpression.parse("30 1 * * *")
                        .next(secondPass)
                        .toOffsetDateTime()
                        .toString());
    }

    @Test
    void berlinTransitions() {
        // 2026-03-29: 02:00 CET -> 03:00 CEST; 2026-10-25: 03:00 CEST -> 02:00 CET
        assertEquals(
                List.of("2026-03-28T02:15+01:00", "2026-03-29T03:00+02:00", "2026-03-30T02:15+02:00"),
                fires("15 2 * * *", at("2026-03-28T00:00", BERLIN), 3));
        assertEquals(
                List.of("2026-10-25T02:15+02:00", "2026-10-26T02:15+01:00"),
                fires("15 2 * * *", at("2026-10-25T00:00", BERLIN), 2));
    }

    @Test
    void lordHoweHalfHourShifts() {
        // 2026-04-05: 02:00 (+11) falls back to 01:30 (+10:30); 2026-10-04: 02:00 (+10:30) springs to 02:30 (+11)
        assertEquals(
                List.of("2026-04-05T01:45+11:00", "2026-04-06T01:45+10:30"),
                fires("45 1 * * *", at("2026-04-05T00:00", LORD_HOWE), 2));
        assertEquals(
                List.of("2026-10-03T02:10+10:30", "2026-10-04T02:30+11:00", "2026-10-05T02:10+11:00"),
                fires("10 2 * * *", at("2026-10-03T00:00", LORD_HOWE), 3));
        assertEquals(
                List.of("2026-10-04T01:00+10:30", "2026-10-04T02:30+11:00", "2026-10-04T03:00+11:00"),
                fires("0 * * * *", at("2026-10-04T00:30", LORD_HOWE), 3));
    }

    // --- property: next() against a brute-force minute-by-minute reference ---

    /** The first fire time after {@code after}, found by looking at every minute's instant. */
    static ZonedDateTime bruteForceNext(CronExpression expression, ZonedDateTime after, Duration horizon) {
        ZoneId zone = after.getZone();
        ZoneRules rules = zone.getRules();
        Instant limit = after.toInstant().plus(horizon);
        Instant instant = after.toInstant()
                .truncatedTo(java.time.temporal.ChronoUnit.MINUTES)
                .plusSeconds(60);
        while (instant.isBefore(limit)) {
            LocalDateTime local = LocalDateTime.ofInstant(instant, zone);
            if (!expression.matchesDate(local.toLocalDate()) && !gapEndsAt(rules, instant)) {
                // nothing fires on this local day: go to the next local midnight (an instant)
                Instant nextDay =
                        local.toLocalDate().plusDays(1).atStartOfDay(zone).toInstant();
                instant = nextDay.isAfter(instant) ? nextDay : instant.plusSeconds(60);
                continue;
            }
            boolean firstOccurrence = rules.getValidOffsets(local).size() < 2
                    || rules.getOffset(instant)
                            .equals(rules.getValidOffsets(local).get(0));
            if (expression.matches(local) && firstOccurrence) {
                return ZonedDateTime.ofInstant(instant, zone);
            }
            if (gapEndsAt(rules, instant)) {
                ZoneOffsetTransition gap = rules.previousTransition(instant.plusNanos(1));
                for (LocalDateTime skipped = gap.getDateTimeBefore();
                        skipped.isBefore(gap.getDateTimeAfter());
                        skipped = skipped.plusMinutes(1)) {
                    if (expression.matches(skipped)) {
                        return ZonedDateTime.ofInstant(instant, zone);
                    }
                }
            }
            instant = instant.plusSeconds(60);
        }
        return null;
    }

    private static boolean gapEndsAt(ZoneRules rules, Instant instant) {
        ZoneOffsetTransition transition = rules.previousTransition(instant.plusNanos(1));
        return transition != null
                && transition.isGap()
                && transition.getInstant().equals(instant);
    }

    private static String randomField(SplittableRandom random, int min, int max, String[] names) {
        switch (random.nextInt(7)) {
            case 0, 1:
                return "*";
            case 2:
                return "*/" + (1 + random.nextInt(Math.max(1, (max - min) / 2)));
            case 3:
                return name(random, random.nextInt(min, max + 1), min, names);
            case 4: {
                int low = random.nextInt(min, max + 1);
                int high = random.nextInt(low, max + 1);
                return name(random, low, min, names) + "-" + name(random, high, min, names);
            }
            case 5: {
                int low = random.nextInt(min, max + 1);
                return low + "-" + max + "/" + (1 + random.nextInt(3));
            }
            default: {
                List<String> parts = new ArrayList<>();
                for (int i = 0, n = 2 + random.nextInt(3); i < n; i++) {
                    parts.add(Integer.toString(random.nextInt(min, max + 1)));
                }
                return String.join(",", parts);
            }
        }
    }

    private static String name(SplittableRandom random, int value, int min, String[] names) {
        return names != null && random.nextBoolean() ? names[value - min] : Integer.toString(value);
    }

    @Test
    void nextAgreesWithABruteForceReferenceForRandomSpecsInstantsAndZones() {
        SplittableRandom random = new SplittableRandom(20261121);
        List<ZoneId> zones = List.of(
                UTC,
                NEW_YORK,
                BERLIN,
                LORD_HOWE,
                ZoneId.of("Asia/Kolkata"),
                ZoneId.of("America/Santiago"),
                ZoneId.of("Pacific/Chatham"));
        String[] months = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
        String[] days = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};
        int checked = 0;
        while (checked < 400) {
            String spec = String.join(
                    " ",
                    randomField(random, 0, 59, null),
                    random.nextInt(3) == 0 ? randomField(random, 0, 23, null) : random.nextInt(0, 4) + "-23",
                    random.nextInt(3) == 0 ? randomField(random, 1, 31, null) : "*",
                    random.nextInt(4) == 0 ? randomField(random, 1, 12, months) : "*",
                    random.nextInt(3) == 0 ? randomField(random, 0, 6, days) : "*");
            CronExpression expression;
            try {
                expression = CronExpression.parse(spec);
            } catch (IllegalArgumentException impossible) {
                continue; // e.g. day 31 of a 30-day month only
            }
            ZoneId zone = zones.get(random.nextInt(zones.size()));
            // instants near the transitions of 2026, and anywhere in 2025-2027
            Instant instant;
            if (random.nextBoolean()) {
                ZoneOffsetTransition transition = zone.getRules()
                        .nextTransition(
                                Instant.parse("2026-01-01T00:00:00Z").plusSeconds(random.nextLong(0, 365L * 86400)));
                Instant near = transition == null ? Instant.parse("2026-06-01T00:00:00Z") : transition.getInstant();
                instant = near.plusSeconds(random.nextLong(-3 * 3600, 3 * 3600));
            } else {
                instant = Instant.parse("2025-01-01T00:00:00Z").plusSeconds(random.nextLong(0, 3L * 365 * 86400));
            }
            ZonedDateTime after = ZonedDateTime.ofInstant(instant, zone);
            ZonedDateTime expected = bruteForceNext(expression, after, Duration.ofDays(800));
            if (expected == null) {
                continue;
            }
            assertEquals(expected.toInstant(), expression.next(after).toInstant(), spec + " after " + after);
            checked++;
        }
    }

    @Test
    void walkingThroughEveryTransitionOf2026FiresWhatTheReferenceFires() {
        int walked = 0;
        for (ZoneId zone : List.of(NEW_YORK, LORD_HOWE, BERLIN)) {
            ZoneRules rules = zone.getRules();
            for (ZoneOffsetTransition transition = rules.nextTransition(Instant.parse("2026-01-01T00:00:00Z"));
                    transition.getInstant().isBefore(Instant.parse("2027-01-01T00:00:00Z"));
                    transition = rules.nextTransition(transition.getInstant())) {
                for (String spec :
                        List.of("*/7 * * * *", "0,30 1-3 * * *", "45 1 * * *", "*/10 2 * * *", "* * * * *")) {
                    CronExpression expression = CronExpression.parse(spec);
                    ZonedDateTime t =
                            ZonedDateTime.ofInstant(transition.getInstant().minusSeconds(3 * 3600), zone);
                    ZonedDateTime reference = t;
                    Instant end = transition.getInstant().plusSeconds(3 * 3600);
                    while (t.toInstant().isBefore(end)) {
                        t = expression.next(t);
                        reference = bruteForceNext(expression, reference, Duration.ofDays(400));
                        assertEquals(
                                reference.toInstant(), t.toInstant(), spec + " in " + zone + " around " + transition);
                        walked++;
                    }
                }
            }
        }
        assertTrue(walked > 1000, "walked " + walked + " fires");
        assertTrue(CronExpression.parse("30 2 8 3 *").matchesDate(LocalDate.of(2026, 3, 8)));
    }

    @Test
    void sixFieldSpecsAgreeWithASecondBySecondReference() {
        SplittableRandom random = new SplittableRandom(6);
        for (int i = 0; i < 60; i++) {
            String spec = randomField(random, 0, 59, null) + " " + randomField(random, 0, 59, null) + " * * * *";
            CronExpression expression = CronExpression.parse(spec);
            ZoneId zone = random.nextBoolean() ? UTC : NEW_YORK;
            Instant start = Instant.parse("2026-03-08T06:30:00Z").plusSeconds(random.nextLong(0, 2 * 3600));
            ZonedDateTime after = ZonedDateTime.ofInstant(start, zone);
            Instant expected = null;
            for (Instant t = start.plusSeconds(1); t.isBefore(start.plusSeconds(3 * 3600)); t = t.plusSeconds(1)) {
                if (expression.matches(LocalDateTime.ofInstant(t, zone))) {
                    expected = t;
                    break;
                }
                if (gapEndsAt(zone.getRules(), t)) {
                    ZoneOffsetTransition gap = zone.getRules().previousTransition(t.plusNanos(1));
                    boolean skippedFire = false;
                    for (LocalDateTime skipped = gap.getDateTimeBefore();
                            skipped.isBefore(gap.getDateTimeAfter());
                            skipped = skipped.plusSeconds(1)) {
                        skippedFire |= expression.matches(skipped);
                    }
                    if (skippedFire) {
                        expected = t;
                        break;
                    }
                }
            }
            if (expected != null) {
                assertEquals(expected, expression.next(after).toInstant(), spec + " after " + after);
            }
        }
    }
}
