package io.aiomisc.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** Each format's output for records with and without an exception, MDC and arguments. */
class FormatsTest {
    private static final Logger log = LoggerFactory.getLogger("io.aiomisc.test.formats");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @AfterEach
    void reset() {
        MDC.clear();
        Logback.reset();
    }

    /** Logs the three records every format is checked with; returns the line the first was logged on. */
    private static int logSamples() {
        int line = new Throwable().getStackTrace()[0].getLineNumber() + 1;
        log.info("plain {} of {}", "message", 3);
        MDC.put("request_id", "r-42");
        log.warn("with mdc");
        MDC.clear();
        log.error("failed {}", "badly", new IllegalStateException("boom", new java.io.IOException("disk")));
        return line;
    }

    private List<String> apply(String format, boolean buffered) {
        LogConfig config = LogConfig.builder()
                .format(format)
                .buffered(buffered)
                .target(out)
                .apply();
        logSamples();
        config.close();
        return Logback.lines(out);
    }

    @Test
    void jsonHasAiomiscsFieldsAndParses() throws Exception {
        LogConfig config =
                LogConfig.builder().format(LogFormat.JSON).target(out).apply();
        int line = logSamples();
        log.atInfo().addKeyValue("user", 7).addKeyValue("pid", "clash").log("structured");
        log.error(Severity.CRITICAL_MARKER, "on fire");
        config.close();
        List<String> lines = Logback.lines(out);
        assertEquals(5, lines.size(), lines::toString);
        JsonNode first = JSON.readTree(lines.get(0));
        assertEquals("plain message of 3", first.get("msg").asText());
        assertEquals("info", first.get("level").asText());
        JsonNode fields = first.get("@fields");
        assertEquals("FormatsTest.java", fields.get("code_file").asText());
        assertEquals(line, fields.get("code_line").asInt());
        assertTrue(fields.get("code_line").isInt());
        assertEquals("logSamples", fields.get("code_func").asText());
        assertEquals(FormatsTest.class.getName(), fields.get("code_module").asText());
        assertEquals("io.aiomisc.test.formats", fields.get("identifier").asText());
        assertEquals("plain {} of {}", fields.get("message_raw").asText());
        assertEquals(ProcessHandle.current().pid(), fields.get("pid").asLong());
        assertEquals(Thread.currentThread().getName(), fields.get("thread_name").asText());
        assertEquals("message", fields.get("argument_0").asText());
        assertEquals("3", fields.get("argument_1").asText());
        assertEquals(0, fields.get("errno").asInt());
        assertNull(first.get("stackTrace"));
        double timestamp = first.get("@timestamp").asDouble();
        assertTrue(Math.abs(timestamp - Instant.now().getEpochSecond()) < 60, "epoch seconds: " + timestamp);

        JsonNode warning = JSON.readTree(lines.get(1));
        assertEquals("warn", warning.get("level").asText());
        assertEquals("r-42", warning.get("@fields").get("request_id").asText());

        JsonNode error = JSON.readTree(lines.get(2));
        assertEquals("error", error.get("level").asText());
        assertEquals("failed badly", error.get("msg").asText());
        assertEquals(255, error.get("@fields").get("errno").asInt());
        String trace = error.get("stackTrace").asText();
        assertTrue(trace.startsWith("java.lang.IllegalStateException: boom\n\tat "), trace);
        assertTrue(trace.contains("Caused by: java.io.IOException: disk"), trace);

        JsonNode structured = JSON.readTree(lines.get(3));
        assertEquals(7, structured.get("@fields").get("user").asInt());
        assertEquals("clash", structured.get("@fields").get("extra_pid").asText());
        assertEquals(
                ProcessHandle.current().pid(),
                structured.get("@fields").get("pid").asLong());

        assertEquals("fatal", JSON.readTree(lines.get(4)).get("level").asText());
    }

    @Test
    void jsonTakesADateFormatAndCanSkipCallerData() throws Exception {
        LogConfig config = LogConfig.builder()
                .format("json")
                .dateFormat("%Y-%m-%d")
                .callerData(false)
                .target(out)
                .apply();
        log.info("dated");
        config.close();
        JsonNode record = JSON.readTree(Logback.lines(out).get(0));
        assertEquals(
                DateTimeFormatter.ISO_LOCAL_DATE.format(java.time.LocalDate.now()),
                record.get("@timestamp").asText());
        assertNull(record.get("@fields").get("code_line"));
    }

    @Test
    void streamIsLevelLoggerMessage() {
        List<String> lines = apply("stream", true);
        assertEquals("INFO:io.aiomisc.test.formats:plain message of 3", lines.get(0));
        assertEquals("WARNING:io.aiomisc.test.formats:with mdc", lines.get(1));
        assertEquals("ERROR:io.aiomisc.test.formats:failed badly", lines.get(2));
        assertEquals("java.lang.IllegalStateException: boom", lines.get(3));
        assertTrue(
                lines.get(4).startsWith("\tat io.aiomisc.log.FormatsTest.logSamples(FormatsTest.java:"), lines.get(4));
        assertTrue(lines.stream().anyMatch(l -> l.equals("Caused by: java.io.IOException: disk")), lines::toString);
    }

    @Test
    void streamWithADateFormatStartsWithTheDate() {
        LogConfig config = LogConfig.builder()
                .format("stream")
                .dateFormat("HH:mm")
                .buffered(false)
                .target(out)
                .apply();
        log.info("timed");
        String line = Logback.lines(out).get(0);
        config.close();
        assertTrue(line.matches("\\d\\d:\\d\\d INFO:io\\.aiomisc\\.test\\.formats:timed"), line);
    }

    @Test
    void plainIsTheMessageAlone() {
        List<String> lines = apply("plain", false);
        assertEquals("plain message of 3", lines.get(0));
        assertEquals("with mdc", lines.get(1));
        assertEquals("failed badly", lines.get(2));
        assertEquals("java.lang.IllegalStateException: boom", lines.get(3));
    }

    @Test
    void colorHasDateThreadAndLevelAndEscapesOnlyWhenOn() {
        LogConfig config =
                LogConfig.builder().format("color").colors(false).target(out).apply();
        logSamples();
        config.close();
        List<String> lines = Logback.lines(out);
        String thread = Thread.currentThread().getName();
        assertTrue(
                lines.get(0)
                        .matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d \\[T:"
                                + java.util.regex.Pattern.quote(thread)
                                + "] INFO:io\\.aiomisc\\.test\\.formats: plain message of 3"),
                lines.get(0));
        assertFalse(String.join("\n", lines).contains("\u001b["));
        assertFalse(config.colors());

        Logback.reset();
        out.reset();
        LogConfig colored =
                LogConfig.builder().format("color").colors(true).target(out).apply();
        log.info("green");
        log.warn("loud");
        colored.close();
        List<String> escaped = Logback.lines(out);
        assertTrue(escaped.get(0).contains(Ansi.GREEN + "INFO:io.aiomisc.test.formats" + Ansi.RESET), escaped.get(0));
        assertTrue(escaped.get(0).contains(Ansi.BLUE + "[T:" + thread + "]" + Ansi.RESET), escaped.get(0));
        assertTrue(
                escaped.get(1).contains(Ansi.YELLOW + "WARNING:")
                        && escaped.get(1).contains(Ansi.BOLD + "loud"),
                escaped.get(1));
    }

    @Test
    void colorsFollowTheTerminalByDefault() {
        LogConfig config = LogConfig.builder().format("color").apply(); // stderr of a test run is a pipe or file
        config.close();
        assertFalse(config.colors());
    }

    @Test
    void richHasTimeLevelMessageAndLocationAndTheTraceInFull() {
        LogConfig config = LogConfig.builder().format("rich").target(out).apply();
        int line = logSamples();
        config.close();
        List<String> lines = Logback.lines(out);
        assertTrue(
                lines.get(0).matches("\\[\\d\\d:\\d\\d:\\d\\d] INFO +plain message of 3 +FormatsTest\\.java:" + line),
                lines.get(0));
        LocalTime.parse(lines.get(0).substring(1, 9));
        assertEquals("java.lang.IllegalStateException: boom", lines.get(3));
        long frames = lines.stream().filter(l -> l.startsWith("\tat ")).count();
        Throwable sample = new IllegalStateException();
        assertTrue(frames >= 2L * sample.getStackTrace().length - 2, "both exceptions' frames in full: " + frames);
    }

    @Test
    void richTbDrawsTheTracebackMostRecentCallLast() {
        LogConfig config = LogConfig.builder().format("rich_tb").target(out).apply();
        logSamples();
        config.close();
        String text = out.toString(StandardCharsets.UTF_8);
        int cause = text.indexOf("java.io.IOException: disk");
        int effect = text.indexOf("java.lang.IllegalStateException: boom");
        assertTrue(cause > 0 && effect > cause, "the root cause first, as Python prints chains:\n" + text);
        assertTrue(text.contains("Traceback (most recent call last)"), text);
        assertTrue(text.contains("The above exception was the direct cause of the following exception:"), text);
        int box = text.lastIndexOf("Traceback (most recent call last)");
        String lastBox = text.substring(box, effect);
        assertTrue(lastBox.trim().split("\n").length > 3, lastBox);
        assertTrue(
                lastBox.indexOf("in io.aiomisc.log.FormatsTest.logSamples") > lastBox.indexOf("in java.base"),
                "outermost frame first, the raising frame last:\n" + lastBox);
    }

    @Test
    void disabledWritesNothingButExtraAppendersGetEverything() {
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> extra =
                new ch.qos.logback.core.read.ListAppender<>();
        extra.setName("extra");
        LogConfig config = LogConfig.builder()
                .format(LogFormat.DISABLED)
                .appenders(extra)
                .target(out)
                .apply();
        logSamples();
        config.close();
        assertEquals(0, out.size());
        assertEquals(3, extra.list.size());
        assertEquals("r-42", extra.list.get(1).getMDCPropertyMap().get("request_id"));
    }

    @Test
    void journaldWithoutItsModuleFailsNamingWhatToAdd() {
        assertFalse(LogFormat.JOURNALD.isAvailable());
        IllegalArgumentException thrown = assertThrows(
                IllegalArgumentException.class,
                () -> LogConfig.builder().format("journald").apply());
        assertTrue(thrown.getMessage().contains("io.aiomisc:aiomisc-systemd"), thrown.getMessage());
        assertNotNull(LoggerFactory.getLogger(getClass()));
    }

    @Test
    void syslogSendsRfc5424MessagesToTheGivenAddress() throws Exception {
        try (java.net.DatagramSocket receiver =
                new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            receiver.setSoTimeout(10_000);
            LogConfig config = LogConfig.builder()
                    .format("syslog")
                    .syslogAddress((java.net.InetSocketAddress) receiver.getLocalSocketAddress())
                    .apply();
            logSamples();
            config.close();
            List<String> messages = new java.util.ArrayList<>();
            for (int i = 0; i < 3; i++) {
                java.net.DatagramPacket packet = new java.net.DatagramPacket(new byte[65536], 65536);
                receiver.receive(packet);
                messages.add(new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8));
            }
            assertTrue(
                    messages.get(0)
                            .matches("<14>1 \\S+ \\S+ \\S+ "
                                    + ProcessHandle.current().pid() + " - - \uFEFFplain message of 3"),
                    messages.get(0));
            assertTrue(
                    messages.get(1).startsWith("<12>1 ")
                            && messages.get(1).contains("[mdc@32473 request_id=\"r-42\"] \uFEFFwith mdc"),
                    messages.get(1));
            assertTrue(
                    messages.get(2).startsWith("<11>1 ")
                            && messages.get(2).contains("\uFEFFfailed badly\njava.lang.IllegalStateException: boom"),
                    messages.get(2));
        }
    }
}
