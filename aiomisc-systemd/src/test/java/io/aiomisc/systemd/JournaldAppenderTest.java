package io.aiomisc.systemd;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An unreachable journal: records go to the fallback stream in the plain format with one warning
 * line; the appender tries again at most once a second and says when the journal answers; a
 * journal that disappears mid-run costs the logging caller nothing.
 */
class JournaldAppenderTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private final LoggerContext context = SjEvents.context();
    private final ByteArrayOutputStream fallbackBytes = new ByteArrayOutputStream();
    private final PrintStream fallback = new PrintStream(fallbackBytes, true, StandardCharsets.UTF_8);

    @AfterEach
    void stopContext() {
        context.stop();
    }

    private String fallbackText() {
        return fallbackBytes.toString(StandardCharsets.UTF_8);
    }

    private List<String> warnings() {
        return fallbackText()
                .lines()
                .filter(l -> l.contains("cannot be reached"))
                .toList();
    }

    @Test
    void withNothingListeningRecordsGoToTheFallbackInThePlainFormatUntilTheJournalAppears() throws Exception {
        Path path = dir.resolve("journal");
        long before = System.nanoTime();
        JournaldAppender appender = new JournaldAppender(path, "sj-app", fallback);
        appender.setContext(context);
        appender.start();
        Logger log = context.getLogger("sj.fallback");
        log.addAppender(appender);
        try {
            log.info("first record");
            log.error("second record", new IllegalStateException("boom"));

            List<String> lines = fallbackText().lines().toList();
            assertEquals(1, warnings().size(), fallbackText());
            String warning = warnings().get(0);
            assertTrue(warning.startsWith("aiomisc-systemd: the journal at " + path + " cannot be reached ("), warning);
            assertEquals(warning, lines.get(0)); // said before the first record
            assertEquals("first record", lines.get(1));
            assertEquals("second record", lines.get(2));
            assertEquals("java.lang.IllegalStateException: boom", lines.get(3));
            assertTrue(lines.get(4).contains("at " + JournaldAppenderTest.class.getName()), lines.get(4));
            assertTrue(fallbackText().lines().noneMatch(l -> l.contains("MESSAGE")), fallbackText());

            try (SjJournal journal = SjJournal.bind(path)) {
                AtomicInteger probes = new AtomicInteger();
                AtomicLong answeredAfter = new AtomicLong();
                await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
                    log.info("probe {}", probes.incrementAndGet());
                    answeredAfter.set(System.nanoTime() - before);
                    return fallbackText().contains("answers again");
                });
                // the failure was after `before`: a retry within the second after it is not allowed
                assertTrue(
                        answeredAfter.get() >= Duration.ofSeconds(1).toNanos(),
                        "the journal was tried again after " + Duration.ofNanos(answeredAfter.get()));
                assertEquals(
                        1,
                        fallbackText()
                                .lines()
                                .filter(l -> l.equals(
                                        "aiomisc-systemd: the journal at " + path + " answers again: records go there"))
                                .count(),
                        fallbackText());
                log.info("after the journal appeared");

                List<String> received = receiveUntil(journal, "after the journal appeared");
                List<String> inFallback = fallbackText()
                        .lines()
                        .filter(l -> l.startsWith("probe "))
                        .toList();
                List<String> all = new ArrayList<>(inFallback);
                all.addAll(received.subList(0, received.size() - 1));
                List<String> expected = new ArrayList<>();
                for (int i = 1; i <= probes.get(); i++) {
                    expected.add("probe " + i);
                }
                assertEquals(expected, all); // nothing lost, nothing twice, in order
                assertEquals(1, warnings().size(), fallbackText());
            }
        } finally {
            log.detachAppender(appender);
            appender.stop();
        }
    }

    @Test
    void aJournalThatDisappearsMidRunCostsTheCallerNothingAndIsFoundAgain() throws Exception {
        Path path = dir.resolve("journal");
        JournaldAppender appender = new JournaldAppender(path, "sj-app", fallback);
        appender.setContext(context);
        Logger log = context.getLogger("sj.disappear");
        log.addAppender(appender);
        try {
            try (SjJournal journal = SjJournal.bind(path)) {
                appender.start();
                log.info("before");
                assertEquals("before", journal.receive(WAIT).value("MESSAGE"));
            }
            Files.deleteIfExists(path);

            long gone = System.nanoTime();
            log.info("during 1");
            log.error("during 2", new java.io.IOException("disk gone"));
            log.info("during 3");

            List<String> lines = fallbackText().lines().toList();
            assertEquals(1, warnings().size(), fallbackText());
            assertTrue(
                    warnings().get(0).startsWith("aiomisc-systemd: the journal at " + path + " cannot be reached ("));
            assertEquals(warnings().get(0), lines.get(0));
            assertEquals("during 1", lines.get(1));
            assertEquals("during 2", lines.get(2));
            assertEquals("java.io.IOException: disk gone", lines.get(3));
            assertTrue(lines.contains("during 3"), fallbackText());

            try (SjJournal journal = SjJournal.bind(path)) {
                AtomicLong answeredAfter = new AtomicLong();
                await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
                    log.info("probe");
                    answeredAfter.set(System.nanoTime() - gone);
                    return fallbackText().contains("answers again");
                });
                assertTrue(
                        answeredAfter.get() >= Duration.ofSeconds(1).toNanos(),
                        "the journal was tried again after " + Duration.ofNanos(answeredAfter.get()));
                log.info("found again");
                List<String> received = receiveUntil(journal, "found again");
                assertTrue(
                        received.stream().allMatch(m -> m.equals("probe") || m.equals("found again")),
                        received::toString);
                assertEquals(1, warnings().size(), fallbackText());
            }
        } finally {
            log.detachAppender(appender);
            appender.stop();
        }
    }

    /** The messages that arrive up to and including {@code last}. */
    private static List<String> receiveUntil(SjJournal journal, String last) throws Exception {
        List<String> messages = new ArrayList<>();
        while (messages.isEmpty() || !messages.get(messages.size() - 1).equals(last)) {
            messages.add(journal.receive(WAIT).value("MESSAGE"));
        }
        return messages;
    }

    /** Logging configured twice (before the entrypoint, then by it) must not warn twice. */
    @Test
    void twoAppendersOnTheSameUnreachableJournalWarnOnceBetweenThem() {
        Path path = dir.resolve("nobody-listens");
        JournaldAppender first = new JournaldAppender(path, "sj-app", fallback);
        first.setContext(context);
        first.start();
        first.stop(); // replaced by the second configuration
        JournaldAppender second = new JournaldAppender(path, "sj-app", fallback);
        second.setContext(context);
        second.start();
        Logger log = context.getLogger("sj.twice");
        log.addAppender(second);
        try {
            log.info("after the second configuration");
            assertEquals(1, warnings().size(), fallbackText());
            assertTrue(fallbackText().lines().anyMatch("after the second configuration"::equals), fallbackText());
        } finally {
            log.detachAppender(second);
            second.stop();
        }
    }
}
