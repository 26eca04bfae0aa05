package io.aiomisc.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Logback's start-up in a child JVM set up as an application's ({@link ApplicationJvm}: no
 * {@code logback-test.xml}), so that {@link StartupConfigurator} is what configures it.
 */
class ApplicationStartupTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void badVariablesAreOneLineEachOnStderrAndNothingOfLogbacksStatusReachesStdout() throws Exception {
        ApplicationJvm child = ApplicationJvm.run(
                dir,
                LoggingChild.class,
                List.of(),
                Map.of("AIOMISC_LOG_FORMAT", "json", "AIOMISC_LOG_LEVEL", "loud", "AIOMISC_LOG_DATE_FORMAT", "%Q"),
                "log-one");
        assertEquals(0, child.status(), child::transcript);
        // stdout is the JSON stream: the record and nothing else (Logback used to print its status block here)
        assertEquals(1, child.stdout().size(), child::transcript);
        JsonNode record = JSON.readTree(child.stdout().get(0));
        assertEquals("hello", record.get("msg").asText());
        assertEquals(
                List.of(
                        "aiomisc-log: AIOMISC_LOG_LEVEL is not a log level: 'loud' (expected one of "
                                + "[critical, error, warning, info, debug, notset]); using info",
                        "aiomisc-log: AIOMISC_LOG_DATE_FORMAT is not a date format: '%Q' (unsupported directive '%Q');"
                                + " using the format's date format"),
                child.stderr());
    }

    @Test
    void aBadFormatIsNamedWithItsVariable() throws Exception {
        ApplicationJvm child =
                ApplicationJvm.run(dir, LoggingChild.class, List.of(), Map.of("AIOMISC_LOG_FORMAT", "jsn"), "log-one");
        assertEquals(0, child.status(), child::transcript);
        assertEquals(List.of(), child.stdout());
        assertEquals(
                "aiomisc-log: AIOMISC_LOG_FORMAT is not a log format: 'jsn' (expected one of "
                        + "[stream, color, json, syslog, plain, journald, rich, rich_tb, disabled]); using the default format",
                child.stderr().get(0),
                child::transcript);
        assertEquals("hello", child.stderr().get(1), "then the record, in the default format (plain: not a terminal)");
    }

    @Test
    void goodVariablesPrintNothingButTheRecords() throws Exception {
        ApplicationJvm child = ApplicationJvm.run(
                dir,
                LoggingChild.class,
                List.of(),
                Map.of("AIOMISC_LOG_FORMAT", "stream", "AIOMISC_LOG_LEVEL", "debug"),
                "log-one");
        assertEquals(0, child.status(), child::transcript);
        assertEquals(List.of(), child.stdout());
        assertEquals(List.of("INFO:child:hello"), child.stderr());
    }

    /**
     * Start-up time: an entrypoint with one service, logging in a text format, loads no Jackson
     * (the json format's), defines no dynamic proxy (Logback reading an annotation), no status
     * printer (which Logback sets up, with its date formatting, when no status listener is
     * registered) and no lambda of this module.
     */
    @Test
    void aTextFormatStartLoadsNoJacksonNoProxyAndNoStatusPrinter() throws Exception {
        Path classLog = dir.resolve("classes.log");
        ApplicationJvm child = ApplicationJvm.run(
                dir,
                LoggingChild.class,
                List.of("-Xlog:class+load=info:file=" + classLog),
                Map.of("AIOMISC_LOG_FORMAT", "plain"),
                "one-service");
        assertEquals(0, child.status(), child::transcript);
        assertEquals("started", child.stderr().get(0), child::transcript);
        List<String> loaded = Files.readAllLines(classLog);
        assertTrue(
                loaded.stream().anyMatch(line -> line.contains(" io.aiomisc.log.StartupConfigurator ")),
                "the class log must show our classes loading: " + loaded.size() + " lines");
        // a lambda is a class spun at run time: a millisecond or two each in a cold JVM
        for (String unwanted : new String[] {
            ".* com\\.fasterxml\\.jackson\\..*",
            ".*\\$Proxy\\d.*",
            ".*\\.StatusPrinter.*",
            ".* io\\.aiomisc\\.log\\.[^ ]*\\$\\$Lambda.*"
        }) {
            assertEquals(
                    List.of(),
                    loaded.stream().filter(line -> line.matches(unwanted)).toList(),
                    unwanted);
        }
    }

    @Test
    void theJsonFormatLoadsJackson() throws Exception {
        Path classLog = dir.resolve("classes.log");
        ApplicationJvm child = ApplicationJvm.run(
                dir,
                LoggingChild.class,
                List.of("-Xlog:class+load=info:file=" + classLog),
                Map.of("AIOMISC_LOG_FORMAT", "json"),
                "one-service");
        assertEquals(0, child.status(), child::transcript);
        assertTrue(
                Files.readAllLines(classLog).stream().anyMatch(line -> line.contains(" com.fasterxml.jackson.core.")));
    }
}
