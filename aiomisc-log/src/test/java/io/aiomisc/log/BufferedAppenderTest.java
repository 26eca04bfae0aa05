package io.aiomisc.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.read.ListAppender;
import io.aiomisc.plugin.LogSettings;
import io.aiomisc.stats.Metric;
import io.aiomisc.stats.Statistics;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BufferedAppenderTest {
    private final LoggerContext context = new LoggerContext();
    private final Logger log = context.getLogger("buffered.test");

    {
        context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter()); // as SLF4J's provider does
    }

    @AfterEach
    void stop() {
        context.stop(); // stops the appenders: their writer threads end
    }

    private BufferedAppender attach(BufferedAppender.Builder builder) {
        BufferedAppender appender = builder.build();
        appender.setContext(context);
        appender.start();
        log.addAppender(appender);
        return appender;
    }

    private static ListAppender<ILoggingEvent> list() {
        ListAppender<ILoggingEvent> list = new ListAppender<>();
        list.setName("list");
        return list;
    }

    /** A downstream appender that blocks every record until released. */
    static final class Gate extends AppenderBase<ILoggingEvent> {
        final CountDownLatch open = new CountDownLatch(1);
        final List<String> written = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        protected void append(ILoggingEvent event) {
            try {
                open.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            written.add(event.getFormattedMessage());
        }
    }

    @Test
    void tenThousandRecordsFromEightThreadsJustBeforeStopAreAllWrittenInPerThreadOrder() throws Exception {
        LogConfig config = null;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            config = LogConfig.builder()
                    .format("plain")
                    .target(out)
                    .bufferSize(64)
                    .flushInterval(Duration.ofSeconds(5))
                    .apply();
            org.slf4j.Logger logger = org.slf4j.LoggerFactory.getLogger("ordered");
            int threads = 8;
            int each = 10_000 / threads;
            CyclicBarrier start = new CyclicBarrier(threads);
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                workers.add(Thread.ofPlatform().start(() -> {
                    try {
                        start.await();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    for (int i = 0; i < each; i++) {
                        logger.info("t{} n{}", id, i);
                    }
                }));
            }
            for (Thread worker : workers) {
                worker.join();
            }
            config.close(); // at once: most records are still buffered
            Map<Integer, Integer> next = new HashMap<>();
            List<String> lines = Logback.lines(out);
            for (String line : lines) {
                String[] parts = line.split(" ");
                int thread = Integer.parseInt(parts[0].substring(1));
                int number = Integer.parseInt(parts[1].substring(1));
                assertEquals(next.getOrDefault(thread, 0), number, "thread " + thread + "'s records in order");
                next.put(thread, number + 1);
            }
            assertEquals(10_000, lines.size());
            BufferedAppenderStatistic statistic =
                    ((BufferedAppender) config.appenders().get(0)).statistic();
            assertEquals(0, statistic.dropped.value());
            assertEquals(10_000, statistic.records.value());
        } finally {
            Logback.reset();
        }
    }

    @Test
    void aBlockedOutputStallsACallerAtMostMaxWaitThenRecordsAreDroppedCountedAndReported() throws Exception {
        Gate gate = new Gate();
        gate.setName("gate");
        Duration maxWait = Duration.ofMillis(100);
        BufferedAppender appender = attach(
                BufferedAppender.builder(gate).bufferSize(2).maxWait(maxWait).flushInterval(Duration.ofMillis(10)));
        long worst = 0;
        long started = System.nanoTime();
        for (int i = 0; i < 200; i++) {
            long before = System.nanoTime();
            log.info("record {}", i);
            worst = Math.max(worst, System.nanoTime() - before);
        }
        long total = System.nanoTime() - started;
        assertTrue(worst < maxWait.toNanos() + TimeUnit.MILLISECONDS.toNanos(400), "worst call " + worst / 1e6 + " ms");
        assertTrue(
                total < TimeUnit.SECONDS.toNanos(2),
                "once stuck, later calls do not wait again: " + total / 1e6 + " ms");
        BufferedAppenderStatistic statistic = appender.statistic();
        long dropped = statistic.dropped.value();
        assertTrue(dropped > 150, "dropped " + dropped);
        assertTrue(statistic.waits.value() >= 1);
        gate.open.countDown();
        Awaitility.await()
                .until(() -> gate.written.stream().anyMatch(m -> m.startsWith(dropped + " log records were dropped")));
        assertEquals(
                200 - dropped,
                gate.written.stream().filter(m -> m.startsWith("record ")).count());
        log.info("after");
        Awaitility.await().until(() -> gate.written.contains("after"));
    }

    @Test
    void theDropPolicyNeverWaits() {
        Gate gate = new Gate();
        gate.setName("gate");
        BufferedAppender appender = attach(BufferedAppender.builder(gate)
                .bufferSize(2)
                .overflow(OverflowPolicy.DROP)
                .maxWait(Duration.ofSeconds(30)));
        long started = System.nanoTime();
        for (int i = 0; i < 1000; i++) {
            log.info("record {}", i);
        }
        assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(5));
        assertEquals(0, appender.statistic().waits.value());
        assertTrue(appender.statistic().dropped.value() > 900);
        gate.open.countDown();
    }

    @Test
    void aDroppedRecordCostsNoFormattingAndNoCallerLookup() {
        Gate gate = new Gate();
        gate.setName("gate");
        BufferedAppender appender = attach(BufferedAppender.builder(gate)
                .bufferSize(1)
                .overflow(OverflowPolicy.DROP)
                .callerData(true));
        java.util.concurrent.atomic.AtomicInteger formatted = new java.util.concurrent.atomic.AtomicInteger();
        Object argument = new Object() {
            @Override
            public String toString() {
                formatted.incrementAndGet();
                return "argument";
            }
        };
        for (int i = 0; i < 100; i++) {
            log.info("record {}", argument);
        }
        long dropped = appender.statistic().dropped.value();
        assertTrue(dropped >= 100 - 5, "dropped " + dropped); // the writer holds one, the buffer 4
        assertEquals(100 - dropped, formatted.get(), "only the accepted records were formatted");
        gate.open.countDown();
    }

    @Test
    void aSlowOutputThatKeepsGoingLosesNothing() {
        AtomicLong written = new AtomicLong();
        AppenderBase<ILoggingEvent> slow = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent event) {
                java.util.concurrent.locks.LockSupport.parkNanos(20_000); // a slow disk
                written.incrementAndGet();
            }
        };
        slow.setName("slow");
        BufferedAppender appender =
                attach(BufferedAppender.builder(slow).bufferSize(4).maxWait(Duration.ofSeconds(5)));
        for (int i = 0; i < 3000; i++) {
            log.info("record {}", i);
        }
        appender.stop();
        assertEquals(3000, written.get());
        assertEquals(0, appender.statistic().dropped.value());
        assertTrue(appender.statistic().waits.value() > 0, "callers waited for room");
    }

    @Test
    void recordsAreWrittenWithinTheFlushIntervalOrOnceBufferSizeAreWaiting() {
        ListAppender<ILoggingEvent> byTime = list();
        attach(BufferedAppender.builder(byTime)
                .bufferSize(1000)
                .flushInterval(Duration.ofMillis(50))
                .name("by-time"));
        log.info("soon");
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> byTime.list.size() == 1);
        log.detachAndStopAllAppenders();

        ListAppender<ILoggingEvent> bySize = list();
        BufferedAppender appender =
                attach(BufferedAppender.builder(bySize).bufferSize(10).flushInterval(Duration.ofHours(1)));
        for (int i = 0; i < 9; i++) {
            log.info("record {}", i);
        }
        assertTrue(bySize.list.isEmpty(), "fewer than bufferSize wait for the interval");
        log.info("the tenth");
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> bySize.list.size() == 10);
        assertTrue(appender.statistic().flushes.value() >= 1);
    }

    @Test
    void aWriterThatStartsLateStillWaitsForBufferSizeOrTheInterval() throws Exception {
        CountDownLatch letRun = new CountDownLatch(1);
        List<Thread> made = new ArrayList<>();
        ListAppender<ILoggingEvent> list = list();
        BufferedAppender appender = attach(BufferedAppender.builder(list)
                .bufferSize(10)
                .flushInterval(Duration.ofHours(1))
                .threadFactory(body -> {
                    Thread thread = Thread.ofPlatform().daemon().unstarted(() -> {
                        try {
                            letRun.await(); // a busy machine schedules the writer late
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        body.run();
                    });
                    made.add(thread);
                    return thread;
                }));
        for (int i = 0; i < 9; i++) {
            log.info("record {}", i);
        }
        letRun.countDown();
        Thread writer = made.get(0);
        // the writer has run its first round and is parked for the interval (or it wrote early)
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> writer.getState() == Thread.State.TIMED_WAITING || !list.list.isEmpty());
        assertTrue(list.list.isEmpty(), "nine of ten records wait for the interval, however late the writer starts");
        log.info("the tenth");
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> list.list.size() == 10);
        assertEquals(1, appender.statistic().flushes.value());
    }

    @Test
    void aStopGivesUpAfterTenSecondsOnAStuckOutputCountsTheRestAndKeepsTheInterrupt() throws Exception {
        Gate gate = new Gate();
        gate.setName("gate");
        List<Thread> made = new ArrayList<>();
        BufferedAppender appender = attach(BufferedAppender.builder(gate)
                .flushInterval(Duration.ofMillis(1))
                .threadFactory(body -> {
                    Thread thread = Thread.ofPlatform().daemon().unstarted(body);
                    made.add(thread);
                    return thread;
                }));
        Thread writer = made.get(0);
        log.info("stuck in the output");
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> isIn(writer, Gate.class));
        log.info("still buffered");
        Thread.currentThread().interrupt();
        long started = System.nanoTime();
        appender.stop();
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertTrue(Thread.interrupted(), "the interrupt status is set again");
        assertTrue(
                took.compareTo(Duration.ofSeconds(9)) > 0 && took.compareTo(Duration.ofSeconds(30)) < 0,
                "gives up after 10 s: " + took);
        assertEquals(1, appender.statistic().dropped.value(), "the buffered record is given up and counted");
        log.info("while the writer is stuck");
        assertEquals(2, appender.statistic().dropped.value(), "dropped, not written: writing would block");
        assertTrue(gate.isStarted(), "not stopped: stopping would block on the stuck output");
        gate.open.countDown();
        writer.join(Duration.ofSeconds(30));
        assertFalse(writer.isAlive());
        assertEquals(
                List.of(
                        "stuck in the output",
                        "2 log records were dropped: the log buffer of buffered-gate was full or its output blocked"),
                gate.written,
                "what was given up is not written late, but reported once the output works again");
    }

    /** True once {@code thread} waits inside a method of {@code type}. */
    private static boolean isIn(Thread thread, Class<?> type) {
        if (thread.getState() != Thread.State.WAITING) {
            return false;
        }
        for (StackTraceElement frame : thread.getStackTrace()) {
            if (frame.getClassName().equals(type.getName())) {
                return true;
            }
        }
        return false;
    }

    @Test
    void countersAreReportedByStatistics() {
        ListAppender<ILoggingEvent> list = list();
        BufferedAppender appender = attach(BufferedAppender.builder(list).name("counted"));
        log.info("one");
        log.info("two");
        appender.stop();
        Map<String, Number> metrics = new HashMap<>();
        for (Metric metric : Statistics.all()) {
            if (metric.kind().equals("BufferedAppenderStatistic") && "counted".equals(metric.name())) {
                metrics.put(metric.metric(), metric.value());
            }
        }
        assertEquals(2L, metrics.get("records").longValue());
        assertEquals(0L, metrics.get("dropped").longValue());
        assertTrue(metrics.get("flushes").longValue() >= 1);
    }

    @Test
    void afterStopRecordsAreWrittenDirectlyUntilTheOutputIsStopped() {
        ListAppender<ILoggingEvent> list = list();
        BufferedAppender appender = attach(BufferedAppender.builder(list).flushInterval(Duration.ofHours(1)));
        log.info("buffered");
        appender.unbuffer();
        assertFalse(appender.isBuffering());
        assertEquals(1, list.list.size());
        log.info("direct");
        assertEquals(2, list.list.size(), "written on the logging thread");
        appender.stop();
        assertFalse(list.isStarted());
        appender.doAppend(list.list.get(0));
        assertEquals(1, appender.statistic().dropped.value());
    }

    @Test
    void badOptionsAreRejectedNamingTheValue() {
        ListAppender<ILoggingEvent> list = list();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> BufferedAppender.builder(list)
                        .bufferSize(0))
                .getMessage()
                .contains("0"));
        // the entrypoint's bound: a buffer of 4 x 268,435,456 slots would exhaust the heap at start
        String tooBig = assertThrows(IllegalArgumentException.class, () -> BufferedAppender.builder(list)
                        .bufferSize(LogSettings.MAX_BUFFER_SIZE + 1))
                .getMessage();
        assertTrue(tooBig.contains("bufferSize") && tooBig.contains("1048577"), tooBig);
        BufferedAppender.builder(list).bufferSize(LogSettings.MAX_BUFFER_SIZE);
        assertThrows(IllegalArgumentException.class, () -> BufferedAppender.builder(list)
                .flushInterval(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> BufferedAppender.builder(list)
                .maxWait(Duration.ofMillis(-1)));
        assertThrows(NullPointerException.class, () -> BufferedAppender.builder(null));
        assertThrows(
                IllegalStateException.class, () -> BufferedAppender.wrap(list).statistic());
    }
}
