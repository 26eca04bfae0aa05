package io.aiomisc.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import io.aiomisc.log.BufferedAppender;
import io.aiomisc.testing.JavaProcess;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records logged through the journald appender arrive at a journal socket the test binds, with
 * the caller of the logging call (also through the buffered appender), large ones through a passed
 * descriptor; and in a child JVM, the {@code journald} format of {@code LogConfig} and
 * {@code defaultFormat()} under {@code JOURNAL_STREAM}.
 */
class JournaldFormatTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private final LoggerContext context = SjEvents.context();
    private final ByteArrayOutputStream fallback = new ByteArrayOutputStream();

    @AfterEach
    void stopContext() {
        context.stop();
    }

    private JournaldAppender appender(Path socket) {
        JournaldAppender appender =
                new JournaldAppender(socket, "sj-app", new PrintStream(fallback, true, StandardCharsets.UTF_8));
        appender.setContext(context);
        return appender;
    }

    private static int nextLine() {
        return new Throwable().getStackTrace()[1].getLineNumber() + 1;
    }

    @Test
    void aRecordCarriesTheCallerOfTheLoggingCallAndItsFields() throws Exception {
        try (SjJournal journal = SjJournal.bind(dir.resolve("journal"))) {
            JournaldAppender appender = appender(journal.path());
            appender.start();
            Logger log = context.getLogger("sj.format");
            log.addAppender(appender);
            context.getMDCAdapter().put("request-id", "r-9");
            try {
                int line = nextLine();
                log.warn("disk {} at {}%", "sda", 91);

                SjJournal.Entry entry = journal.receive(WAIT);
                assertEquals("disk sda at 91%", entry.value("MESSAGE"));
                assertEquals("4", entry.value("PRIORITY"));
                assertEquals("sj-app", entry.value("SYSLOG_IDENTIFIER"));
                assertEquals("JournaldFormatTest.java", entry.value("CODE_FILE"));
                assertEquals(Integer.toString(line), entry.value("CODE_LINE"));
                assertEquals(
                        JournaldFormatTest.class.getName() + ".aRecordCarriesTheCallerOfTheLoggingCallAndItsFields",
                        entry.value("CODE_FUNC"));
                assertEquals("sj.format", entry.value("LOGGER"));
                assertEquals(Thread.currentThread().getName(), entry.value("THREAD"));
                assertEquals("r-9", entry.value("REQUEST_ID"));
                assertFalse(entry.has("EXCEPTION"));
                assertFalse(entry.throughDescriptor());
            } finally {
                context.getMDCAdapter().clear();
                log.detachAppender(appender);
                appender.stop();
            }
        }
        assertEquals("", fallback.toString(StandardCharsets.UTF_8));
    }

    @Test
    void anExceptionArrivesInTheBinaryForm() throws Exception {
        try (SjJournal journal = SjJournal.bind(dir.resolve("journal"))) {
            JournaldAppender appender = appender(journal.path());
            appender.start();
            Logger log = context.getLogger("sj.format");
            log.addAppender(appender);
            try {
                log.error("lost the connection\nretrying", new java.io.IOException("reset by peer"));

                SjJournal.Entry entry = journal.receive(WAIT);
                assertEquals("lost the connection\nretrying", entry.value("MESSAGE"));
                assertTrue(entry.field("MESSAGE").binary());
                assertEquals("3", entry.value("PRIORITY"));
                SjJournal.Field exception = entry.field("EXCEPTION");
                assertTrue(exception.binary());
                assertTrue(exception.value().startsWith("java.io.IOException: reset by peer\n"), exception::value);
                assertTrue(exception.value().contains("\tat " + JournaldFormatTest.class.getName()), exception::value);
            } finally {
                log.detachAppender(appender);
                appender.stop();
            }
        }
    }

    @Test
    void throughTheBufferedAppenderTheCallerIsCapturedAtTheCall() throws Exception {
        try (SjJournal journal = SjJournal.bind(dir.resolve("journal"))) {
            BufferedAppender buffered = BufferedAppender.builder(appender(journal.path()))
                    .callerData(true) // what LogConfig asks for the journald format
                    .flushInterval(Duration.ofMillis(50))
                    .build();
            buffered.setContext(context);
            buffered.start();
            Logger log = context.getLogger("sj.buffered");
            log.addAppender(buffered);
            AtomicInteger line = new AtomicInteger();
            try {
                Thread caller = Thread.ofPlatform().name("sj-caller").start(() -> {
                    line.set(nextLine());
                    log.info("buffered record");
                });
                caller.join();

                SjJournal.Entry entry = journal.receive(WAIT);
                assertEquals("buffered record", entry.value("MESSAGE"));
                assertEquals("sj-caller", entry.value("THREAD"));
                assertEquals("JournaldFormatTest.java", entry.value("CODE_FILE"));
                assertEquals(Integer.toString(line.get()), entry.value("CODE_LINE"));
                assertTrue(
                        entry.value("CODE_FUNC")
                                .startsWith(JournaldFormatTest.class.getName()
                                        + ".lambda$throughTheBufferedAppenderTheCallerIsCapturedAtTheCall"),
                        entry.value("CODE_FUNC"));
            } finally {
                log.detachAppender(buffered);
                buffered.stop();
            }
        }
    }

    @Test
    void withoutCaptureTheBufferedRecordNamesNoCallerRatherThanTheFlushingThread() throws Exception {
        try (SjJournal journal = SjJournal.bind(dir.resolve("journal"))) {
            BufferedAppender buffered = BufferedAppender.builder(appender(journal.path()))
                    .callerData(false)
                    .flushInterval(Duration.ofMillis(50))
                    .build();
            buffered.setContext(context);
            buffered.start();
            Logger log = context.getLogger("sj.buffered");
            log.addAppender(buffered);
            try {
                Thread caller = Thread.ofPlatform().name("sj-caller").start(() -> log.info("no caller"));
                caller.join();

                SjJournal.Entry entry = journal.receive(WAIT);
                assertEquals("no caller", entry.value("MESSAGE"));
                assertFalse(entry.has("CODE_FILE"), entry::toString);
                assertFalse(entry.has("CODE_LINE"), entry::toString);
                assertFalse(entry.has("CODE_FUNC"), entry::toString);
            } finally {
                log.detachAppender(buffered);
                buffered.stop();
            }
        }
    }

    @Test
    void aRecordTooLargeForADatagramArrivesWholeThroughAPassedDescriptor() throws Exception {
        String message = "0123456789abcdef".repeat(64 * 1024); // 1 MiB
        try (SjJournal journal = SjJournal.bind(dir.resolve("journal"))) {
            JournaldAppender appender = appender(journal.path());
            appender.start();
            Logger log = context.getLogger("sj.large");
            log.addAppender(appender);
            try {
                log.info(message);
                log.info("small after large");

                SjJournal.Entry large = journal.receive(WAIT);
                assertTrue(large.throughDescriptor());
                assertEquals(message.length(), large.value("MESSAGE").length());
                assertEquals(message, large.value("MESSAGE"));
                assertEquals("6", large.value("PRIORITY"));
                assertEquals("sj.large", large.value("LOGGER"));
                SjJournal.Entry small = journal.receive(WAIT);
                assertFalse(small.throughDescriptor());
                assertEquals("small after large", small.value("MESSAGE"));
            } finally {
                log.detachAppender(appender);
                appender.stop();
            }
        }
        assertEquals("", fallback.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aRecordBelowTheDatagramLimitButAboveJunixsocketsSmallBuffersArrivesWholeInline() throws Exception {
        String message = "x".repeat(150 * 1024); // below the default 208 KiB send buffer
        try (SjJournal journal = SjJournal.bind(dir.resolve("journal"))) {
            JournaldAppender appender = appender(journal.path());
            appender.start();
            Logger log = context.getLogger("sj.large");
            log.addAppender(appender);
            try {
                log.info(message);

                SjJournal.Entry entry = journal.receive(WAIT);
                assertEquals(message, entry.value("MESSAGE"));
                assertEquals("sj.large", entry.value("LOGGER"));
                assertFalse(entry.throughDescriptor());
            } finally {
                log.detachAppender(appender);
                appender.stop();
            }
        }
        assertEquals("", fallback.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aChildConfiguredWithTheJournaldFormatWritesItsRecordsToTheJournalSocket() throws Exception {
        try (SjJournal journal = SjJournal.bind(dir.resolve("journal"));
                JavaProcess child = JavaProcess.start(
                        SjMain.class,
                        Map.of("JOURNAL_SOCKET", dir.resolve("journal").toString()),
                        "journald")) {
            String line = child.awaitStdout(l -> l.startsWith("LINE="), WAIT).substring("LINE=".length());
            assertEquals(0, child.awaitExit(WAIT), child::transcript);
            assertTrue(child.stdout().contains("FORMAT=journald"), child::transcript);

            SjJournal.Entry info = journal.receive(WAIT);
            assertEquals("hello from the child", info.value("MESSAGE"));
            assertEquals("6", info.value("PRIORITY"));
            assertEquals("SjMain", info.value("SYSLOG_IDENTIFIER"));
            assertEquals("sj.child", info.value("LOGGER"));
            assertEquals("main", info.value("THREAD"));
            assertEquals("SjMain.java", info.value("CODE_FILE"), child::transcript);
            assertEquals(line, info.value("CODE_LINE"));
            assertEquals(SjMain.class.getName() + ".journald", info.value("CODE_FUNC"));
            assertEquals("r-1", info.value("REQUEST_ID"));

            SjJournal.Entry error = journal.receive(WAIT);
            assertEquals("it failed", error.value("MESSAGE"));
            assertEquals("3", error.value("PRIORITY"));
            assertFalse(error.has("REQUEST_ID"));
            assertTrue(error.value("EXCEPTION").startsWith("java.lang.IllegalStateException: boom\n"));
            assertTrue(error.field("EXCEPTION").binary());
            assertTrue(child.stderr().stream().noneMatch(l -> l.contains("it failed")), child::transcript);
        }
    }

    @Test
    void theDefaultFormatIsJournaldWhenJournalStreamNamesStandardError() throws Exception {
        try (JavaProcess child = JavaProcess.startAfterShell(
                "export JOURNAL_STREAM=$(stat -L -c %d:%i /proc/self/fd/2)",
                SjMain.class, Map.of(), "default-format")) {
            assertEquals(0, child.awaitExit(WAIT), child::transcript);
            assertTrue(child.stdout().contains("DEFAULT=journald"), child::transcript);
        }
    }

    @Test
    void theDefaultFormatIsNotJournaldWhenJournalStreamNamesSomethingElse() throws Exception {
        try (JavaProcess child = JavaProcess.startAfterShell(
                "export JOURNAL_STREAM=$(stat -L -c %d:%i /proc/self/fd/1)",
                SjMain.class, Map.of(), "default-format")) {
            assertEquals(0, child.awaitExit(WAIT), child::transcript);
            assertTrue(child.stdout().contains("DEFAULT=plain"), child::transcript);
        }
    }
}
