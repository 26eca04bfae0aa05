package io.aiomisc.benchmarks;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.encoder.JsonEscapeUtil;
import com.sun.management.OperatingSystemMXBean;
import io.aiomisc.log.BufferedAppender;
import io.aiomisc.log.BufferedAppenderStatistic;
import io.aiomisc.log.LogConfig;
import io.aiomisc.log.LogFormat;
import io.aiomisc.log.OverflowPolicy;
import java.io.BufferedReader;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Buffered JSON logging (DESIGN.md §11): 1,000,000 records from 4 producer threads through
 * aiomisc-log's buffered JSON output against Logback's {@link AsyncAppender} with
 * {@code neverBlock} in front of a {@link FileAppender} with Logback's {@link JsonEncoder}, both
 * writing to a file. Target: caller-side throughput ours / Logback ≥ 1.0, and no record lost on our
 * side (Logback's losses are reported).
 *
 * <p>Each record is {@code log.info("order {} for customer {} total {}", i, "c-" + (i % 1000),
 * amount)} from this class's logger, with an MDC entry per producer thread. Per run:
 * <ul>
 *   <li><b>caller</b>: records per second from the moment the 4 producers are released until the
 *       last producer's last logging call has returned (the flush at the end is not included);
 *   <li><b>stop</b>: the time to stop afterwards (ours: {@code LogConfig.close()} and closing the
 *       file; Logback: {@code AsyncAppender.stop()}, which waits up to {@code maxFlushTime});
 *   <li><b>lost</b>: 1,000,000 minus the records in the file after stop (lines carrying the
 *       message pattern, so that a warning about dropped records is not counted as a record);
 *   <li><b>delivered</b>: the records in the file per second, from the producers' release until
 *       stop returned — what the logging achieved, where caller-side speed also rewards discarding;
 *   <li>bytes per record written, CPU µs per record (the whole process, calls and stop; and the
 *       producers' own share while they log), and the
 *       load of other processes during the run (a run in which it exceeds 0.15 of a core is run
 *       again, up to three times in all).
 * </ul>
 *
 * <p>Ours is exactly what the product configures: {@code LogConfig.builder().format(JSON)
 * .target(file).buffered(true).apply()} with its defaults (buffer 1024 records, holding 4096; flush
 * every 200 ms; {@code OverflowPolicy.WAIT} up to 200 ms). Logback: {@code AsyncAppender}
 * (queue 256, default discarding threshold: INFO records are discarded once the queue is 80% full,
 * {@code neverBlock}: the rest are dropped when it is full) → {@code FileAppender} (defaults:
 * immediate flush) → {@code JsonEncoder} (defaults). Two configurations:
 * <ul>
 *   <li><b>caller data on</b>: ours by default for JSON ({@code code_file}, {@code code_line}, ...);
 *       Logback {@code includeCallerData=true}. Logback's {@code JsonEncoder} writes no caller
 *       data at all (1.5.x), so this side's encoder adds it through the encoder's own extension
 *       point, {@code appendCustomFields} ({@link CallerJsonEncoder}), and both files carry the
 *       source location.
 *   <li><b>caller data off</b>: ours {@code callerData(false)}; Logback's defaults.
 * </ul>
 * A round runs each side once on a fresh configuration (the order alternates from round to round);
 * the first round of each configuration is a warm-up and is not counted. Between runs the Logback
 * context is reset, and no writer thread may be left behind.
 *
 * <p>Reading the ratios: {@code neverBlock} discards a record on arrival whenever its 256-slot
 * queue is 80% full, before formatting it or finding its caller, so against a burst of a million
 * records its callers mostly discard (over 99% here). A lossless logger cannot match that
 * caller-side speed: its callers go as fast as the output is written. Hence the references and
 * the delivered rate.
 *
 * <p>With {@code references} two more sides explain the headline ratio, each compared with its
 * like: Logback's {@code AsyncAppender} blocking and discarding nothing (lossless, as ours) against
 * ours, and ours with {@code OverflowPolicy.DROP} (dropping what does not fit, as
 * {@code neverBlock}) against Logback's {@code neverBlock}.
 *
 * <p>Run: {@code FORKS=1 aiomisc-benchmarks/run LoggingBenchmark [rounds [references]]} (rounds
 * counted per configuration, default 5), after
 * {@code ./mvnw install -DskipTests -pl aiomisc-benchmarks -am}.
 */
public final class LoggingBenchmark {
    static final int RECORDS = 1_000_000;
    static final int PRODUCERS = 4;
    /** In every record of both sides' output: ours as {@code message_raw}, Logback's as {@code message}. */
    private static final byte[] PATTERN = "\"order {} for customer {} total {}\"".getBytes(StandardCharsets.UTF_8);

    private static final String[] WRITER_THREADS = {"aiomisc-log-writer-", "AsyncAppender-Worker-"};
    private static final Logger LOG = LoggerFactory.getLogger(LoggingBenchmark.class);
    private static final String OURS = "aiomisc buffered JSON";
    private static final String LOGBACK = "Logback AsyncAppender(neverBlock)+JsonEncoder";
    private static final String LOGBACK_BLOCKING = "ref: Logback AsyncAppender(blocking)+JsonEncoder";
    private static final String OURS_DROP = "ref: aiomisc buffered JSON, OverflowPolicy.DROP";

    private LoggingBenchmark() {}

    /** A side's output, configured on the global Logback context and started. */
    interface Output {
        /** Writes everything accepted and stops; afterwards the file holds what this side wrote. */
        void stop() throws IOException;

        /** Counters worth printing after stop, or "". */
        String detail();
    }

    /** A competitor: configures its output, writing to {@code file}. */
    record Side(String name, OutputFactory factory) {}

    @FunctionalInterface
    interface OutputFactory {
        Output start(Path file, boolean callerData) throws IOException;
    }

    record Run(
            double callerRate,
            double stopMillis,
            long lost,
            double bytesPerRecord,
            double cpuMicrosPerRecord,
            double producerCpuMicrosPerRecord,
            double otherLoad,
            String detail,
            String firstLine) {
        /** Records that reached the file per second, from the producers' release until stop returned. */
        double deliveredRate() {
            return (RECORDS - lost) / (RECORDS / callerRate + stopMillis / 1e3);
        }
    }

    /** Ours: exactly what the product configures. */
    static Output ours(Path path, boolean callerData) throws IOException {
        return ours(path, callerData, OverflowPolicy.WAIT);
    }

    /** Reference: ours dropping what does not fit, like Logback's {@code neverBlock}. */
    static Output oursDropping(Path path, boolean callerData) throws IOException {
        return ours(path, callerData, OverflowPolicy.DROP);
    }

    private static Output ours(Path path, boolean callerData, OverflowPolicy overflow) throws IOException {
        // append mode, as Logback's FileAppender opens it: truncating an existing file makes ext4
        // write the whole file back when it is closed (auto_da_alloc), ~200 ms for 480 MB
        FileOutputStream file = new FileOutputStream(path.toFile(), true);
        LogConfig.Builder builder =
                LogConfig.builder().format(LogFormat.JSON).target(file).buffered(true);
        if (overflow != OverflowPolicy.WAIT) {
            builder.overflow(overflow);
        }
        if (!callerData) {
            builder.callerData(false);
        }
        LogConfig config = builder.apply();
        BufferedAppender buffered = (BufferedAppender) config.appenders().get(0);
        return new Output() {
            @Override
            public void stop() throws IOException {
                config.close();
                file.close();
            }

            @Override
            public String detail() {
                BufferedAppenderStatistic s = buffered.statistic();
                return String.format(
                        Locale.ROOT,
                        "records %d, flushes %d, dropped %d, waits %d, errors %d",
                        s.records.value(),
                        s.flushes.value(),
                        s.dropped.value(),
                        s.waits.value(),
                        s.errors.value());
            }
        };
    }

    /**
     * Logback: AsyncAppender → FileAppender → JsonEncoder, on the root logger; {@code neverBlock}
     * with the default discarding threshold, or (a reference) blocking and discarding nothing.
     */
    static Output logback(Path path, boolean callerData, boolean neverBlock) {
        LoggerContext context = context();
        JsonEncoder encoder = callerData ? new CallerJsonEncoder() : new JsonEncoder();
        encoder.setContext(context);
        encoder.start();
        FileAppender<ILoggingEvent> file = new FileAppender<>();
        file.setContext(context);
        file.setName("file");
        file.setFile(path.toString());
        file.setEncoder(encoder);
        file.start();
        AsyncAppender async = new AsyncAppender();
        async.setContext(context);
        async.setName("async");
        if (neverBlock) {
            async.setNeverBlock(true);
        } else {
            async.setDiscardingThreshold(0);
        }
        async.setIncludeCallerData(callerData);
        async.addAppender(file);
        async.start();
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(async);
        return new Output() {
            @Override
            public void stop() {
                async.stop(); // its worker writes what is queued (at most maxFlushTime) and stops the file appender
            }

            @Override
            public String detail() {
                return file.isStarted() ? "file appender still started after stop" : "";
            }
        };
    }

    /**
     * Logback's {@link JsonEncoder} with the caller's location, which it does not write itself:
     * {@code "caller":{"class":…,"method":…,"file":…,"line":…}} through its
     * {@code appendCustomFields} hook, from the caller data the {@code AsyncAppender} captured.
     */
    static final class CallerJsonEncoder extends JsonEncoder {
        @Override
        protected void appendCustomFields(StringBuilder sb, ILoggingEvent event) {
            StackTraceElement[] callers = event.getCallerData();
            if (callers == null || callers.length == 0) {
                return;
            }
            StackTraceElement caller = callers[0];
            sb.append(",\"caller\":{\"class\":\"")
                    .append(JsonEscapeUtil.jsonEscapeString(caller.getClassName()))
                    .append("\",\"method\":\"")
                    .append(JsonEscapeUtil.jsonEscapeString(caller.getMethodName()))
                    .append("\",\"file\":\"")
                    .append(JsonEscapeUtil.jsonEscapeString(String.valueOf(caller.getFileName())))
                    .append("\",\"line\":")
                    .append(caller.getLineNumber())
                    .append('}');
        }
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        if (rounds < 1) {
            throw new IllegalArgumentException("rounds must be positive: " + rounds);
        }
        boolean references = args.length > 1 && args[1].equals("references");
        context().reset(); // Logback's default configuration logs to the console
        List<Side> sides = new ArrayList<>(List.of(
                new Side(OURS, LoggingBenchmark::ours),
                new Side(LOGBACK, (path, callerData) -> logback(path, callerData, true))));
        List<int[]> pairs = new ArrayList<>();
        pairs.add(new int[] {0, 1});
        if (references) {
            sides.add(new Side(LOGBACK_BLOCKING, (path, callerData) -> logback(path, callerData, false)));
            sides.add(new Side(OURS_DROP, LoggingBenchmark::oursDropping));
            pairs.add(new int[] {0, 2}); // lossless against lossless
            pairs.add(new int[] {3, 1}); // dropping when full against dropping when full
        }
        StringBuilder summary = new StringBuilder();
        for (boolean callerData : new boolean[] {true, false}) {
            summary.append(compare(sides, pairs, callerData, rounds));
        }
        System.out.println(
                "\nSUMMARY (median ratios; caller-side: records/s until the last logging call returned; delivered:"
                        + " records written to the file per second until stop returned; >= 1.0: the first side is faster)");
        System.out.print(summary);
    }

    private static String compare(List<Side> sides, List<int[]> pairs, boolean callerData, int rounds)
            throws Exception {
        String title = String.format(
                Locale.ROOT,
                "buffered JSON logging, 1M records, %d producers, caller data %s",
                PRODUCERS,
                callerData ? "on" : "off");
        System.out.printf(Locale.ROOT, "%n== %s (1 warm-up round + %d rounds)%n", title, rounds);
        Run[][] runs = new Run[sides.size()][rounds];
        for (int round = 0; round <= rounds; round++) {
            for (int index : Comparison.order(sides.size(), round)) {
                Side side = sides.get(index);
                Run run = Comparison.quietly(() -> measure(side, callerData), Run::otherLoad);
                if (round > 0) {
                    runs[index][round - 1] = run;
                }
                System.out.printf(
                        Locale.ROOT,
                        "  %-8s %-50s caller %,11.0f rec/s  stop %7.1f ms  lost %,7d  %5.1f B/rec  cpu-us/rec %5.2f (callers %5.2f)  (other load %.2f)%s%n",
                        round == 0 ? "warm-up" : "round " + round,
                        side.name(),
                        run.callerRate(),
                        run.stopMillis(),
                        run.lost(),
                        run.bytesPerRecord(),
                        run.cpuMicrosPerRecord(),
                        run.producerCpuMicrosPerRecord(),
                        run.otherLoad(),
                        run.detail().isEmpty() ? "" : "  [" + run.detail() + "]");
                if (round == 0) {
                    System.out.printf(Locale.ROOT, "           first line: %s%n", run.firstLine());
                }
            }
        }
        StringBuilder summary = new StringBuilder();
        summary.append(String.format(Locale.ROOT, "  caller data %s%n", callerData ? "on" : "off"));
        for (String metric : List.of("caller-side records/s", "delivered records/s")) {
            java.util.function.ToDoubleFunction<Run> value =
                    metric.startsWith("caller") ? Run::callerRate : Run::deliveredRate;
            summary.append("    ").append(metric).append('\n');
            for (int[] pair : pairs) {
                Side ours = sides.get(pair[0]);
                Side baseline = sides.get(pair[1]);
                double[] ratios = new double[rounds];
                for (int round = 0; round < rounds; round++) {
                    ratios[round] =
                            value.applyAsDouble(runs[pair[0]][round]) / value.applyAsDouble(runs[pair[1]][round]);
                    Comparison.printRoundRatio(title + ", " + metric, ours.name(), baseline.name(), ratios[round]);
                }
                Arrays.sort(ratios);
                String ratio = String.format(
                        Locale.ROOT,
                        "%s / %s = %.2f (min %.2f, max %.2f)",
                        ours.name(),
                        baseline.name(),
                        Comparison.median(ratios),
                        ratios[0],
                        ratios[rounds - 1]);
                System.out.printf(Locale.ROOT, "  RATIO %s %s%n", metric, ratio);
                summary.append("      ").append(ratio).append('\n');
            }
        }
        for (int s = 0; s < sides.size(); s++) {
            Run[] mine = runs[s];
            long maxLost = Arrays.stream(mine).mapToLong(Run::lost).max().orElse(0);
            String line = String.format(
                    Locale.ROOT,
                    "%-50s caller %,11.0f rec/s  delivered %,9.0f rec/s  stop %7.1f ms  lost %,7.0f (max %,7d)  %5.1f B/rec  cpu-us/rec %5.2f (callers %5.2f)",
                    sides.get(s).name(),
                    median(mine, Run::callerRate),
                    median(mine, Run::deliveredRate),
                    median(mine, Run::stopMillis),
                    median(mine, r -> r.lost()),
                    maxLost,
                    median(mine, Run::bytesPerRecord),
                    median(mine, Run::cpuMicrosPerRecord),
                    median(mine, Run::producerCpuMicrosPerRecord));
            System.out.printf(Locale.ROOT, "  MEDIAN %s%n", line);
            summary.append("      ").append(line).append('\n');
        }
        return summary.toString();
    }

    private static double median(Run[] runs, java.util.function.ToDoubleFunction<Run> value) {
        return Comparison.median(Arrays.stream(runs).mapToDouble(value).toArray());
    }

    private static Run measure(Side side, boolean callerData) throws Exception {
        Path path = Files.createTempFile("aiomisc-logging-bench-", ".json");
        try {
            context().reset();
            System.gc(); // the previous run's garbage is not this run's cost
            Output output = side.factory().start(path, callerData);
            OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long[] machineBefore = Comparison.machineCpuJiffies();
            long cpuBefore = os.getProcessCpuTime();
            long wallBefore = System.nanoTime();
            LogProducers.Produced produced = LogProducers.run(LOG, PRODUCERS, RECORDS);
            long callerNanos = produced.elapsedNanos();
            long stopStart = System.nanoTime();
            output.stop();
            long stopNanos = System.nanoTime() - stopStart;
            long cpuUsed = os.getProcessCpuTime() - cpuBefore;
            long elapsed = System.nanoTime() - wallBefore;
            long[] machineAfter = Comparison.machineCpuJiffies();
            String detail = output.detail();
            context().reset();
            LogProducers.awaitNoThreads(WRITER_THREADS);
            double otherLoad = Comparison.otherLoad(machineBefore, machineAfter, cpuUsed, elapsed);
            long[] counted = countRecords(path);
            if (counted[1] != counted[0]) {
                detail += (detail.isEmpty() ? "" : ", ") + (counted[1] - counted[0]) + " other lines";
            }
            long size = Files.size(path);
            return new Run(
                    RECORDS / (callerNanos / 1e9),
                    stopNanos / 1e6,
                    RECORDS - counted[0],
                    counted[0] == 0 ? 0 : (double) size / counted[0],
                    cpuUsed / 1e3 / RECORDS,
                    produced.cpuNanos() / 1e3 / RECORDS,
                    otherLoad,
                    detail,
                    firstLine(path));
        } finally {
            Files.deleteIfExists(path);
        }
    }

    /** {records, lines}: lines carrying the message pattern, and all lines. */
    private static long[] countRecords(Path path) throws IOException {
        long records = 0;
        long lines = 0;
        int matched = 0; // bytes of PATTERN matched so far on this line
        boolean found = false;
        byte[] chunk = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(path)) {
            for (int n; (n = in.read(chunk)) > 0; ) {
                for (int i = 0; i < n; i++) {
                    byte b = chunk[i];
                    if (b == '\n') {
                        lines++;
                        if (found) {
                            records++;
                        }
                        found = false;
                        matched = 0;
                    } else if (!found) {
                        matched = b == PATTERN[matched] ? matched + 1 : b == PATTERN[0] ? 1 : 0;
                        if (matched == PATTERN.length) {
                            found = true;
                        }
                    }
                }
            }
        }
        return new long[] {records, lines};
    }

    private static String firstLine(Path path) throws IOException {
        try (BufferedReader reader = Files.newBufferedReader(path)) {
            String line = reader.readLine();
            return line == null ? "(empty)" : line;
        }
    }

    private static LoggerContext context() {
        return (LoggerContext) LoggerFactory.getILoggerFactory();
    }
}
