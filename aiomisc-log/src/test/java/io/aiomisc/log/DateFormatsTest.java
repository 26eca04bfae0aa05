package io.aiomisc.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class DateFormatsTest {
    private static final ZonedDateTime WHEN =
            ZonedDateTime.of(2026, 3, 7, 9, 5, 2, 123_456_000, ZoneId.systemDefault());

    private static String format(String pattern) {
        return DateFormats.parse("test", pattern).format(WHEN);
    }

    @Test
    void strftimePatternsAsAiomiscUsesThem() {
        assertEquals("2026-03-07 09:05:02", format(DateFormats.COLOR));
        assertEquals("[2026-03-07 09:05:02]", format("[%Y-%m-%d %H:%M:%S]"));
        assertEquals("09:05:02", format(DateFormats.RICH));
        assertEquals("26/03/07 09:05:02.123456", format("%y/%m/%d %H:%M:%S.%f"));
        assertEquals("Sat Mar  7 09:05:02 2026", format("%c"));
        assertEquals("100% at 09 AM", format("100%% at %I %p"));
        assertEquals("it's 066", format("it's %j"));
    }

    @Test
    void javaPatternsPassThrough() {
        assertEquals("2026-03-07T09:05", format("yyyy-MM-dd'T'HH:mm"));
    }

    @Test
    void badPatternsNameTheSourceAndTheValue() {
        for (String bad : new String[] {"%Q", "%Y-%", "yyyy-MM-dd bbb"}) {
            IllegalArgumentException thrown =
                    assertThrows(IllegalArgumentException.class, () -> DateFormats.parse("log date format", bad));
            assertTrue(
                    thrown.getMessage().startsWith("log date format is not a date format: '" + bad + "'"),
                    thrown.getMessage());
        }
    }

    @Test
    void patternsThatParseButCannotPrintEveryDateAreRejected() {
        // each is a valid DateTimeFormatter pattern whose pad is narrower than what it pads
        for (String bad : new String[] {"pyyyy", "pd", "pH:mm"}) {
            IllegalArgumentException thrown =
                    assertThrows(IllegalArgumentException.class, () -> DateFormats.parse("log date format", bad));
            assertTrue(
                    thrown.getMessage().startsWith("log date format is not a date format: '" + bad + "' (Cannot print"),
                    thrown.getMessage());
        }
        assertEquals(" 7|2026", format("ppd|ppppyyyy")); // pads wide enough are fine
    }
}
