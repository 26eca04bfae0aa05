package io.aiomisc.benchmarks;

import ch.qos.logback.classic.LoggerContext;
import com.sun.management.OperatingSystemMXBean;
import io.aiomisc.benchmarks.journald.JournalReceiver;
import io.aiomisc.log.BufferedAppender;
import io.aiomisc.log.BufferedAppenderStatistic;
import io.aiomisc.log.LogConfig;
import io.aiomisc.log.LogFormat;
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
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code journald} log format (aiomisc-systemd) against the {@code plain} format into a file:
 * 1,000,000 records from 4 producer threads through aiomisc-log's buffered appender, both sides in
 * one JVM, interleaved rounds (DESIGN.md §11, as {@link LoggingBenchmark}).
 *
 * <p><b>The journal.</b> The benchmark binds its own Unix datagram socket ({@link JournalReceiver},
 * junixsocket) and drains it on a thread, counting datagrams and bytes: the journald side sends each
 * record as one datagram in the journal's native protocol to it, exactly as the product does. The
 * journald format finds its socket in the {@code JOURNAL_SOCKET} environment variable, which a
 * running JVM cannot set for itself, so {@code main} starts the benchmark again in a child JVM (the
 * same java, JVM options, class path and arguments; the CPU affinity is inherited) with
 * {@code JOURNAL_SOCKET} naming a fresh path in a temporary directory, and waits for it. Both sides
 * run in that child. The receiver's thread runs in the same process, on the same pinned CPU: the
 * journald side pays for its reader, as a machine pays for journald.
 *
 * <p><b>The sides</b>, each exactly what the product configures:
 * {@code LogConfig.builder().format(JOURNALD).buffered(true).apply()} and
 * {@code LogConfig.builder().format(PLAIN).target(file).buffered(true).apply()} with their defaults
 * (buffer 1024 records, flush every 200 ms, {@code OverflowPolicy.WAIT}). Two configurations:
 * <ul>
 *   <li><b>defaults</b>: journald captures the caller at the call by default (its
 *       {@code CODE_FILE}, {@code CODE_LINE}, {@code CODE_FUNC}); plain does not;
 *   <li><b>caller data off</b>: {@code callerData(false)} on both: the formats and transports alone.
 * </ul>
 * Each record is {@code log.info("order {} for customer {} total {}", i, "c-" + (i % 1000),
 * amount)} with an MDC entry per producer thread (journald sends it as a field, plain does not
 * print it).
 *
 * <p><b>Per run</b>: caller-side records/s (from the producers' release until the last logging call
 * returned), the time to stop ({@code LogConfig.close()}: everything buffered is written),
 * delivered records/s (records that arrived, over both), records lost (1,000,000 minus the
 * datagrams / lines carrying the message), bytes per record (journald: the datagrams' bytes;
 * plain: the file's), CPU µs per record (the whole process) and the other processes' load (a run in
 * which it exceeds 0.15 of a core is run again, up to three times). A round runs both sides on a
 * fresh configuration, in alternating order; the first round of each configuration is a warm-up.
 * The ratio journald / plain of every round is printed for the run script, which reports the median
 * with min and max over all rounds of all forks.
 *
 * <p>Run: {@code aiomisc-benchmarks/run JournaldBenchmark [rounds | short]} (rounds per
 * configuration, default 5; {@code short}: 20,000 records, one round, to check that it works), after
 * {@code ./mvnw install -DskipTests -pl aiomisc-benchmarks -am}.
 */
public final class JournaldBenchmark {
    private static final Logger LOG = LoggerFactory.getLogger(JournaldBenchmark.class);
    private static final String JOURNAL_SOCKET = "JOURNAL_SOCKET";
    private static final int PRODUCERS = 4;
    private static final String JOURNALD = "aiomisc buffered journald (datagrams)";
    private static final String PLAIN = "aiomisc buffered plain (file)";
    /** The start of every record: journald's first field is the message, plain's line is the message. */
    private static final String JOURNAL_RECORD = "MESSAGE=order ";

    private static final byte[] PLAIN_RECORD = "order ".getBytes(StandardCharsets.UTF_8);
    private static final String WRITER_THREAD = "aiomisc-log-writer-";

    private JournaldBenchmark() {}

    /** A side: starts its output (on the global Logback context) for one run. */
    @FunctionalInterface
    interface OutputFactory {
        Output start(Path file, Boolean callerData) throws IOException;
    }

    /** A started side. */
    interface Output {
        /** Writes everything buffered; afterwards every record has been written or sent. */
        void stop() throws IOException;

        /** Records and their bytes as they arrived: {records, bytes, other lines or datagrams}. */
        long[] delivered() throws IOException, InterruptedException;

        /** The buffered appender's counters. */
        String detail();
    }

    record Side(String name, OutputFactory factory) {}

    record Run(
            int records,
            double callerRate,
            double stopMillis,
            long lost,
            double bytesPerRecord,
            double cpuMicrosPerRecord,
            double otherLoad,
            String detail) {
        double deliveredRate() {
            return (records - lost) / (records / callerRate + stopMillis / 1e3);
        }
    }

    public static void main(String[] args) throws Exception {
        boolean shortRun = args.length > 0 && args[0].equals("short");
        int rounds = shortRun ? 1 : args.length > 0 ? Integer.parseInt(args[0]) : 5;
        if (rounds < 1) {
            throw new IllegalArgumentException("rounds must be positive: " + rounds);
        }
        int records = shortRun ? 20_000 : 1_000_000;
        String socket = System.getenv(JOURNAL_SOCKET);
        if (socket == null || socket.isBlank()) {
            System.exit(inChildJvm(args));
        }
        try (JournalReceiver receiver = JournalReceiver.bind(Path.of(socket), JOURNAL_RECORD)) {
            run(receiver, records, rounds);
        }
    }

    /**
     * Runs this benchmark again in a child JVM whose {@code JOURNAL_SOCKET} names a fresh path, with
     * the same java, JVM options, class path and arguments; returns its exit code.
     */
    private static int inChildJvm(String[] args) throws IOException, InterruptedException {
        Path directory = Files.createTempDirectory("aiomisc-journald-bench-");
        Path socket = directory.resolve("journal.socket");
        try {
            List<String> command = new ArrayList<>();
            command.add(ProcessHandle.current()
                    .info()
                    .command()
                    .orElse(Path.of(System.getProperty("java.home"), "bin", "java")
                            .toString()));
            List<String> options = ManagementFactory.getRuntimeMXBean().getInputArguments();
            command.addAll(options);
            if (options.stream().noneMatch(o -> o.startsWith("--enable-native-access"))) {
                command.add("--enable-native-access=ALL-UNNAMED"); // junixsocket's JNI library, without a warning
            }
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add(JournaldBenchmark.class.getName());
            command.addAll(Arrays.asList(args));
            ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
            builder.environment().put(JOURNAL_SOCKET, socket.toString());
            Process child = builder.start();
            try {
                return child.waitFor();
            } finally {
                child.destroy();
            }
        } finally {
            Files.deleteIfExists(socket);
            Files.deleteIfExists(directory);
        }
    }

    private static void run(JournalReceiver receiver, int records, int rounds) throws Exception {
        context().reset(); // Logback's default configuration logs to the console
        List<Side> sides = List.of(
                new Side(JOURNALD, (file, callerData) -> journald(receiver, callerData)),
                new Side(PLAIN, JournaldBenchmark::plain));
        StringBuilder summary = new StringBuilder();
        for (Boolean callerData : new Boolean[] {null, false}) {
            summary.append(compare(sides, callerData, records, rounds));
        }
        System.out.println("\nSUMMARY (median ratios journald / plain; caller-side: records/s until the last logging"
                + " call returned; delivered: records that arrived per second until stop returned)");
        System.out.print(summary);
    }

    /** Journald: datagrams to {@code JOURNAL_SOCKET}, which {@code receiver} drains. */
    static Output journald(JournalReceiver receiver, Boolean callerData) throws IOException {
        try {
            receiver.count(); // whatever arrived before this run is not this run's
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        LogConfig.Builder builder =
                LogConfig.builder().format(LogFormat.JOURNALD).buffered(true);
        if (callerData != null) {
            builder.callerData(callerData);
        }
        LogConfig config = builder.apply();
        BufferedAppender buffered = (BufferedAppender) config.appenders().get(0);
        return new Output() {
            @Override
            public void stop() {
                config.close();
            }

            @Override
            public long[] delivered() throws IOException, InterruptedException {
                JournalReceiver.Count count = receiver.count();
                return new long[] {count.records(), count.recordBytes(), count.datagrams() - count.records()};
            }

            @Override
            public String detail() {
                return statistic(buffered);
            }
        };
    }

    /** Plain: lines into {@code path}, opened for appending as {@link LoggingBenchmark} does. */
    static Output plain(Path path, Boolean callerData) throws IOException {
        FileOutputStream file = new FileOutputStream(path.toFile(), true);
        LogConfig.Builder builder =
                LogConfig.builder().format(LogFormat.PLAIN).target(file).buffered(true);
        if (callerData != null) {
            builder.callerData(callerData);
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
            public long[] delivered() throws IOException {
                long[] lines = countLines(path);
                return new long[] {lines[0], lines[1], lines[2] - lines[0]};
            }

            @Override
            public String detail() {
                return statistic(buffered);
            }
        };
    }

    private static String statistic(BufferedAppender buffered) {
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

    private static String compare(List<Side> sides, Boolean callerData, int records, int rounds) throws Exception {
        String configuration = callerData == null ? "defaults (journald with caller data)" : "caller data off";
        String title = String.format(
                Locale.ROOT, "journald vs plain, %,d records, %d producers, %s", records, PRODUCERS, configuration);
        System.out.printf(Locale.ROOT, "%n== %s (1 warm-up round + %d rounds)%n", title, rounds);
        Run[][] runs = new Run[sides.size()][rounds];
        for (int round = 0; round <= rounds; round++) {
            for (int index : Comparison.order(sides.size(), round)) {
                Side side = sides.get(index);
                Run run = Comparison.quietly(() -> measure(side, callerData, records), Run::otherLoad);
                if (round > 0) {
                    runs[index][round - 1] = run;
                }
                System.out.printf(
                        Locale.ROOT,
                        "  %-8s %-40s caller %,11.0f rec/s  stop %7.1f ms  delivered %,11.0f rec/s  lost %,7d  %6.1f B/rec  cpu-us/rec %5.2f  (other load %.2f)  [%s]%n",
                        round == 0 ? "warm-up" : "round " + round,
                        side.name(),
                        run.callerRate(),
                        run.stopMillis(),
                        run.deliveredRate(),
                        run.lost(),
                        run.bytesPerRecord(),
                        run.cpuMicrosPerRecord(),
                        run.otherLoad(),
                        run.detail());
            }
        }
        StringBuilder summary = new StringBuilder();
        summary.append(String.format(Locale.ROOT, "  %s%n", configuration));
        for (String metric : List.of("caller-side records/s", "delivered records/s")) {
            ToDoubleFunction<Run> value = metric.startsWith("caller") ? Run::callerRate : Run::deliveredRate;
            double[] ratios = new double[rounds];
            for (int round = 0; round < rounds; round++) {
                ratios[round] = value.applyAsDouble(runs[0][round]) / value.applyAsDouble(runs[1][round]);
                Comparison.printRoundRatio(title + ", " + metric, JOURNALD, PLAIN, ratios[round]);
            }
            String ratio = String.format(
                    Locale.ROOT,
                    "%s: %s / %s = %.2f (min %.2f, max %.2f)",
                    metric,
                    JOURNALD,
                    PLAIN,
                    Comparison.median(ratios),
                    Arrays.stream(ratios).min().orElseThrow(),
                    Arrays.stream(ratios).max().orElseThrow());
            System.out.printf(Locale.ROOT, "  RATIO %s%n", ratio);
            summary.append("    ").append(ratio).append('\n');
        }
        for (int s = 0; s < sides.size(); s++) {
            Run[] mine = runs[s];
            String line = String.format(
                    Locale.ROOT,
                    "%-40s caller %,11.0f rec/s  delivered %,11.0f rec/s  stop %7.1f ms  lost %,7d (max)  %6.1f B/rec  cpu-us/rec %5.2f",
                    sides.get(s).name(),
                    median(mine, Run::callerRate),
                    median(mine, Run::deliveredRate),
                    median(mine, Run::stopMillis),
                    Arrays.stream(mine).mapToLong(Run::lost).max().orElse(0),
                    median(mine, Run::bytesPerRecord),
                    median(mine, Run::cpuMicrosPerRecord));
            System.out.printf(Locale.ROOT, "  MEDIAN %s%n", line);
            summary.append("    ").append(line).append('\n');
        }
        return summary.toString();
    }

    private static double median(Run[] runs, ToDoubleFunction<Run> value) {
        return Comparison.median(Arrays.stream(runs).mapToDouble(value).toArray());
    }

    private static Run measure(Side side, Boolean callerData, int records) throws Exception {
        Path path = Files.createTempFile("aiomisc-journald-bench-", ".log");
        try {
            context().reset();
            System.gc(); // the previous run's garbage is not this run's cost
            Output output = side.factory().start(path, callerData);
            OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long[] machineBefore = Comparison.machineCpuJiffies();
            long cpuBefore = os.getProcessCpuTime();
            long wallBefore = System.nanoTime();
            long callerNanos = LogProducers.run(LOG, PRODUCERS, records).elapsedNanos();
            long stopStart = System.nanoTime();
            output.stop();
            long stopNanos = System.nanoTime() - stopStart;
            long cpuUsed = os.getProcessCpuTime() - cpuBefore;
            long elapsed = System.nanoTime() - wallBefore;
            long[] machineAfter = Comparison.machineCpuJiffies();
            String detail = output.detail();
            long[] delivered = output.delivered();
            context().reset(); // stops the journald appender: its socket is closed
            LogProducers.awaitNoThreads(WRITER_THREAD);
            if (delivered[2] != 0) {
                detail += ", " + delivered[2] + " other lines or datagrams";
            }
            return new Run(
                    records,
                    records / (callerNanos / 1e9),
                    stopNanos / 1e6,
                    records - delivered[0],
                    delivered[0] == 0 ? 0 : (double) delivered[1] / delivered[0],
                    cpuUsed / 1e3 / records,
                    Comparison.otherLoad(machineBefore, machineAfter, cpuUsed, elapsed),
                    detail);
        } finally {
            Files.deleteIfExists(path);
        }
    }

    /** {records, their bytes, all lines}: records are the lines starting with the message. */
    private static long[] countLines(Path path) throws IOException {
        long records = 0;
        long recordBytes = 0;
        long lines = 0;
        long lineBytes = 0;
        int matched = 0; // bytes of PLAIN_RECORD matched at the start of this line
        byte[] chunk = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(path)) {
            for (int n; (n = in.read(chunk)) > 0; ) {
                for (int i = 0; i < n; i++) {
                    byte b = chunk[i];
                    lineBytes++;
                    if (b == '\n') {
                        lines++;
                        if (matched == PLAIN_RECORD.length) {
                            records++;
                            recordBytes += lineBytes;
                        }
                        matched = 0;
                        lineBytes = 0;
                    } else if (matched >= 0 && matched < PLAIN_RECORD.length) {
                        matched = b == PLAIN_RECORD[matched] ? matched + 1 : -1;
                    }
                }
            }
        }
        return new long[] {records, recordBytes, lines};
    }

    private static LoggerContext context() {
        return (LoggerContext) LoggerFactory.getILoggerFactory();
    }
}
