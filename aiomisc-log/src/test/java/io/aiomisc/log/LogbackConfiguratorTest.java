package io.aiomisc.log;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.aiomisc.plugin.LogConfigurator;
import org.junit.jupiter.api.Test;

/** The entrypoint's side of this module: {@link LogConfigurator} as core calls it. */
class LogbackConfiguratorTest {
    private final LogConfigurator configurator = new LogbackConfigurator();

    private String rejection(String dateFormat) {
        return assertThrows(IllegalArgumentException.class, () -> configurator.checkDateFormat(dateFormat))
                .getMessage();
    }

    @Test
    void checkDateFormatAcceptsWhatTheFormatsAccept() {
        for (String good :
                new String[] {DateFormats.COLOR, DateFormats.RICH, "%c", "100%% %H", "yyyy-MM-dd'T'HH:mm:ss.SSS", "ppd"
                }) {
            assertDoesNotThrow(() -> configurator.checkDateFormat(good), good);
        }
    }

    @Test
    void checkDateFormatSaysWhatIsWrongWithABadPattern() {
        // the entrypoint's build() adds the option's or the variable's name in front
        assertEquals("'%Q' is not a date format (unsupported directive '%Q')", rejection("%Q"));
        assertEquals("'%H:%' is not a date format (a lone '%' at the end)", rejection("%H:%"));
        assertEquals(
                "'yyyy-MM-dd {' is not a date format (Pattern includes reserved character: '{')",
                rejection("yyyy-MM-dd {"));
        assertEquals("'yyyy-MM-dd bbb' is not a date format (Unknown pattern letter: b)", rejection("yyyy-MM-dd bbb"));
        // parses, but cannot print a four-digit year in a pad of one
        assertEquals(
                "'pyyyy' is not a date format (Cannot print as output of 4 characters exceeds pad width of 1)",
                rejection("pyyyy"));
    }

    @Test
    void checkDateFormatRejectsNull() {
        assertThrows(NullPointerException.class, () -> configurator.checkDateFormat(null));
    }
}
