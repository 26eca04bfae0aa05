package io.aiomisc.systemd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import io.aiomisc.log.Severity;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The native protocol of one record, parsed back field by field ({@link SjJournal#parse}). */
class JournalFieldsTest {
    private final LoggerContext context = SjEvents.context();

    @AfterEach
    void stopContext() {
        context.stop();
    }

    @Test
    void aPlainMessageIsWrittenAsKeyEqualsValueLines() {
        LoggingEvent event = SjEvents.event(context, Level.INFO, "disk at 91%", null);
        byte[] datagram = JournalFields.encode(event, "app", null);

        assertEquals(
                "MESSAGE=disk at 91%\nPRIORITY=6\nSYSLOG_IDENTIFIER=app\nLOGGER=sj.logger\nTHREAD=sj-thread\n",
                new String(datagram, StandardCharsets.UTF_8));
        List<SjJournal.Field> fields = SjJournal.parse(datagram);
        assertEquals(List.of("MESSAGE", "PRIORITY", "SYSLOG_IDENTIFIER", "LOGGER", "THREAD"), names(fields));
        assertTrue(fields.stream().noneMatch(SjJournal.Field::binary), fields::toString);
    }

    @Test
    void aValueWithNewlinesAndATraceUseTheBinaryFormWithALittleEndianLength() {
        String message = "first line\nsecond line";
        LoggingEvent event =
                SjEvents.event(context, Level.ERROR, message, new IllegalStateException("the cause\nof it"));
        byte[] datagram = JournalFields.encode(event, "app", null);

        ByteArrayOutputStream expectedStart = new ByteArrayOutputStream();
        expectedStart.writeBytes("MESSAGE\n".getBytes(StandardCharsets.US_ASCII));
        expectedStart.writeBytes(new byte[] {22, 0, 0, 0, 0, 0, 0, 0}); // 22 bytes, le64
        expectedStart.writeBytes((message + "\n").getBytes(StandardCharsets.UTF_8));
        byte[] start = expectedStart.toByteArray();
        assertArrayEquals(start, java.util.Arrays.copyOf(datagram, start.length));

        SjJournal.Entry entry = new SjJournal.Entry(SjJournal.parse(datagram), false, datagram.length);
        assertEquals(message, entry.value("MESSAGE"));
        assertTrue(entry.field("MESSAGE").binary());
        assertEquals(22, entry.field("MESSAGE").declaredLength());
        assertFalse(entry.field("PRIORITY").binary());
        assertEquals("3", entry.value("PRIORITY"));
        SjJournal.Field exception = entry.field("EXCEPTION");
        assertTrue(exception.binary());
        assertTrue(exception.value().startsWith("java.lang.IllegalStateException: the cause\nof it"), exception::value);
        assertTrue(
                exception
                        .value()
                        .contains("at io.aiomisc.systemd.JournalFieldsTest."
                                + "aValueWithNewlinesAndATraceUseTheBinaryFormWithALittleEndianLength"),
                exception::value);
        assertEquals(exception.value().getBytes(StandardCharsets.UTF_8).length, exception.declaredLength());
    }

    @Test
    void utf8TextKeepsItsBytesAndTheBinaryLengthCountsBytesNotCharacters() {
        String single = "żółw 🐢 日本語";
        String multi = "żółw\n🐢";
        LoggingEvent one = SjEvents.event(context, Level.INFO, single, null);
        LoggingEvent two = SjEvents.event(context, Level.INFO, multi, null);

        SjJournal.Entry first = entry(JournalFields.encode(one, "app", null));
        SjJournal.Entry second = entry(JournalFields.encode(two, "app", null));

        assertEquals(single, first.value("MESSAGE"));
        assertEquals(multi, second.value("MESSAGE"));
        assertTrue(second.field("MESSAGE").binary());
        assertEquals(
                multi.getBytes(StandardCharsets.UTF_8).length,
                second.field("MESSAGE").declaredLength());
        assertTrue(second.field("MESSAGE").declaredLength() > multi.length());
    }

    @Test
    void priorityFollowsTheLevelAndTheCriticalMarker() {
        Map<String, String> priorities = new LinkedHashMap<>();
        for (Level level : List.of(Level.TRACE, Level.DEBUG, Level.INFO, Level.WARN, Level.ERROR)) {
            priorities.put(level.toString(), priority(SjEvents.event(context, level, "x", null)));
        }
        LoggingEvent critical = SjEvents.event(context, Level.ERROR, "x", null);
        critical.addMarker(Severity.CRITICAL_MARKER);
        priorities.put("CRITICAL", priority(critical));

        assertEquals(
                Map.of("TRACE", "7", "DEBUG", "7", "INFO", "6", "WARN", "4", "ERROR", "3", "CRITICAL", "2"),
                priorities);
    }

    @Test
    void theIdentifierIsTheProgramsName() {
        assertEquals("Main", JournaldFormatProvider.identifier("com.x.Main arg"));
        assertEquals("app", JournaldFormatProvider.identifier("/path/app.jar"));
        assertEquals("app", JournaldFormatProvider.identifier("/path/app.jar --port 8080"));
        assertEquals("Main", JournaldFormatProvider.identifier("mod/com.x.Main"));
        assertEquals("java", JournaldFormatProvider.identifier(null));
        assertEquals("java", JournaldFormatProvider.identifier("  "));
    }

    @Test
    void mdcKeysBecomeJournalFieldNames() {
        assertEquals("REQUEST_ID", JournalFields.fieldName("request-id"));
        assertEquals("USER_NAME", JournalFields.fieldName("user.name"));
        assertEquals("X_SECRET", JournalFields.fieldName("_secret"));
        assertEquals("X1ST", JournalFields.fieldName("1st"));
        assertEquals("ZA____", JournalFields.fieldName("zażółć")); // non-ASCII letters are not A-Z
        assertEquals("A".repeat(64), JournalFields.fieldName("a".repeat(70)));
        assertEquals(("X" + "9".repeat(63)), JournalFields.fieldName("9".repeat(70)));
        assertNull(JournalFields.fieldName(""));
        assertNull(JournalFields.fieldName(null));
    }

    @Test
    void mdcEntriesAreUpperCasedFieldsAndCannotReplaceOwnFields() {
        context.getMDCAdapter().put("request-id", "r-17");
        context.getMDCAdapter().put("message", "not the message");
        context.getMDCAdapter().put("priority", "0");
        context.getMDCAdapter().put("_boot", "b");
        context.getMDCAdapter().put("multi", "a\nb");
        try {
            LoggingEvent event = SjEvents.event(context, Level.WARN, "the message", null);
            SjJournal.Entry entry = entry(JournalFields.encode(event, "app", null));

            assertEquals("the message", entry.value("MESSAGE")); // also: exactly one MESSAGE
            assertEquals("4", entry.value("PRIORITY"));
            assertEquals("r-17", entry.value("REQUEST_ID"));
            assertEquals("b", entry.value("X_BOOT"));
            assertEquals("a\nb", entry.value("MULTI"));
            assertTrue(entry.field("MULTI").binary());
        } finally {
            context.getMDCAdapter().clear();
        }
    }

    @Test
    void theCallerBecomesCodeFileLineAndFunction() {
        LoggingEvent event = SjEvents.event(context, Level.INFO, "x", null);
        SjJournal.Entry entry = entry(
                JournalFields.encode(event, "app", new StackTraceElement("com.x.Worker", "run", "Worker.java", 42)));

        assertEquals("Worker.java", entry.value("CODE_FILE"));
        assertEquals("42", entry.value("CODE_LINE"));
        assertEquals("com.x.Worker.run", entry.value("CODE_FUNC"));
    }

    @Test
    void aLimitCutsLongValuesAndMarksThem() {
        String message = "m".repeat(100);
        LoggingEvent event = SjEvents.event(context, Level.INFO, message, null);
        SjJournal.Entry entry = entry(JournalFields.encode(event, "app", null, 10));

        assertEquals("m".repeat(10) + JournalFields.CUT_MARK, entry.value("MESSAGE"));
        assertEquals("sj.logger", entry.value("LOGGER")); // short values stay whole
    }

    private static String priority(LoggingEvent event) {
        return entry(JournalFields.encode(event, "app", null)).value("PRIORITY");
    }

    private static SjJournal.Entry entry(byte[] datagram) {
        return new SjJournal.Entry(SjJournal.parse(datagram), false, datagram.length);
    }

    private static List<String> names(List<SjJournal.Field> fields) {
        return fields.stream().map(SjJournal.Field::name).toList();
    }
}
