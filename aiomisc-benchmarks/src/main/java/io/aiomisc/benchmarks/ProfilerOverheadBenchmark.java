package io.aiomisc.benchmarks;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.aiomisc.Entrypoint;
import io.aiomisc.service.Profiler;
import io.aiomisc.task.Task;
import io.aiomisc.thread.Threaded;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;

/**
 * What {@link Profiler} costs the program it profiles: a CPU-bound workload on an entrypoint with
 * a running profiler against the same entrypoint without one. Issue 17 target: overhead
 * ({@code 1 - with / without}) ≤ 3 %.
 *
 * <p><b>Workload.</b> One operation runs {@code threads} tasks (default 2) on the entrypoint's
 * pool ({@code Threaded.threaded}, a pool of {@code threads} platform threads) and waits for
 * them; each task descends {@value #DEPTH} frames (a framework's stack, which the sampler walks on
 * every sample) and then hashes a 256 KiB {@code long[]} (L2-resident) {@value #PASSES} times with
 * a 64-bit mix: pure CPU, a fixed amount of work, no allocation. The rate is in tasks per second;
 * the process's CPU time per task is printed beside it (on a loaded machine, the extra CPU per task
 * with the profiler is the steadier figure).
 *
 * <p><b>Variants</b> (each its own comparison and ratio): {@code Profiler(1 s, 10, null)} (samples,
 * logs the tables every second), and {@code Profiler(1 s, 10, path)} (also dumps the {@code .jfr}
 * and writes the HTML flame graph every second, to a fresh directory under
 * {@code java.io.tmpdir}). The profiler's reports are captured (not printed) and each measurement
 * prints the samples it took, so a profiler that sampled nothing would show; with a path, the
 * sizes of the last {@code .jfr} and {@code .html}.
 *
 * <p><b>Method</b> ({@link Comparison}): every measurement starts a fresh entrypoint (and a fresh
 * profiler: JFR starts and stops every time), warms up 2 s, measures 5 s, closes (the profiler's
 * stop drains JFR and writes its last report, not timed); rounds alternate the order; before the
 * first round each side runs once, not measured (JFR's first start in a JVM is slow). Under the
 * run script's {@code taskset} everything shares one CPU: JFR's sampler and its stream's
 * processing take their CPU from the workload, so the measured overhead is what a program pays on
 * a fully busy machine (on an idle second core it is lower). The sessions last seconds: the
 * {@code .jfr} each report dumps is small; after hours, with up to 64 MiB kept, a dump costs more.
 *
 * <p>Run: {@code aiomisc-benchmarks/run ProfilerOverheadBenchmark [rounds [threads
 * [variants]]]} (defaults 10, 2, {@code log,path}); e.g. {@code FORKS=3 aiomisc-benchmarks/run
 * ProfilerOverheadBenchmark 10}. A ratio this close to 1 needs many rounds: the run script's overall
 * median over every round of every fork is the figure to report.
 */
public final class ProfilerOverheadBenchmark {
    private static final int DEPTH = 40;
    private static final int PASSES = 1024;
    private static final int ELEMENTS = 32 * 1024;
    private static final Duration INTERVAL = Duration.ofSeconds(1);
    private static final int TOP = 10;
    private static final Pattern SAMPLES = Pattern.compile("^Profile: (\\d+) samples");

    private ProfilerOverheadBenchmark() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        List<String> variants = Arrays.asList((args.length > 2 ? args[2] : "log,path").split(","));
        if (rounds < 1 || threads < 1 || !List.of("log", "path").containsAll(variants)) {
            throw new IllegalArgumentException("rounds and threads must be positive and variants among log, path:"
                    + " rounds=" + rounds + ", threads=" + threads + ", variants=" + variants);
        }
        Reports reports = Reports.capture();
        long[] table = table();
        long expected = Work.expected(table, threads);
        Path directory = Files.createTempDirectory("aiomisc-profiler-bench-");
        StringBuilder summary = new StringBuilder();
        try {
            for (String variant : variants) {
                Path path = variant.equals("path") ? directory.resolve("profile.jfr") : null;
                String title = String.format(
                        Locale.ROOT,
                        "CPU-bound work in %d threads (depth %d), Profiler(%d s, top %d, %s)",
                        threads,
                        DEPTH,
                        INTERVAL.toSeconds(),
                        TOP,
                        path == null ? "null" : "path");
                Comparison comparison = new Comparison(title, Duration.ofSeconds(2), Duration.ofSeconds(5), rounds);
                Comparison.Side with = new Comparison.Side(
                        "with Profiler" + (path == null ? "" : " writing files"),
                        threads,
                        "tasks",
                        () -> workload(threads, table, expected, reports, path));
                Comparison.Side without = new Comparison.Side(
                        "without Profiler", threads, "tasks", () -> workload(threads, table, expected, null, null));
                comparison.warmUpFirst(with, without);
                double ratio = comparison.run(with, without)[0];
                summary.append(String.format(
                        Locale.ROOT,
                        "  %-28s with / without %.3f: overhead %.1f %% (target <= 3 %%)%n",
                        path == null ? "Profiler, path null:" : "Profiler writing files:",
                        ratio,
                        (1 - ratio) * 100));
            }
        } finally {
            try (Stream<Path> files = Files.walk(directory)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
        System.out.printf(
                Locale.ROOT, "%nSUMMARY Profiler overhead on a CPU-bound loop (%d threads):%n%s", threads, summary);
    }

    /** A fresh entrypoint running the workload; with a profiler unless {@code reports} is null. */
    private static Comparison.Session workload(int threads, long[] table, long expected, Reports reports, Path path)
            throws Exception {
        Entrypoint.Builder builder =
                Entrypoint.builder().poolSize(threads).logConfig(false).catchSignals(false);
        if (path != null) { // the last session's files: detail() shows this session's
            Files.deleteIfExists(path);
            Files.deleteIfExists(html(path));
        }
        if (reports != null) {
            reports.reset();
            builder.services(new Profiler(INTERVAL, TOP, path));
        }
        Entrypoint entrypoint = builder.start();
        return new Comparison.Session() {
            @Override
            public void run() throws Exception {
                long sum = entrypoint.runUntilComplete(() -> {
                    List<Task<Long>> tasks = new ArrayList<>(threads);
                    for (int t = 0; t < threads; t++) {
                        long seed = t;
                        tasks.add(Threaded.threaded(() -> Work.descend(DEPTH, table, seed)));
                    }
                    long total = 0;
                    for (Task<Long> task : tasks) {
                        total += task.await();
                    }
                    return total;
                });
                if (sum != expected) {
                    throw new IllegalStateException("wrong result " + sum + ", expected " + expected);
                }
            }

            @Override
            public void close() {
                entrypoint.close();
            }

            @Override
            public String detail() {
                if (reports == null) {
                    return "";
                }
                String files = "";
                if (path != null) {
                    try {
                        files = String.format(
                                Locale.ROOT,
                                "; %.1f KB .jfr, %.1f KB .html",
                                Files.size(path) / 1e3,
                                Files.size(html(path)) / 1e3);
                    } catch (IOException e) {
                        files = "; files missing: " + e;
                    }
                }
                return String.format(
                        Locale.ROOT, "%,d samples in %d reports%s", reports.samples(), reports.count(), files);
            }
        };
    }

    private static Path html(Path path) {
        return path.resolveSibling(path.getFileName() + ".html");
    }

    private static long[] table() {
        long[] table = new long[ELEMENTS];
        for (int i = 0; i < table.length; i++) {
            table[i] = i * 0x9E3779B97F4A7C15L;
        }
        return table;
    }

    /** The workload: a deep stack, then a fixed number of hashing passes. */
    static final class Work {
        private Work() {}

        /** Descends {@code depth} frames, then hashes; the frames are what a sampler walks. */
        static long descend(int depth, long[] table, long seed) {
            return depth == 0 ? hash(table, seed) : descend(depth - 1, table, seed);
        }

        /** {@link #PASSES} passes of a 64-bit mix over {@code table}. */
        static long hash(long[] table, long seed) {
            long h = seed;
            for (int pass = 0; pass < PASSES; pass++) {
                for (long value : table) {
                    h ^= value + pass;
                    h *= 0xBF58476D1CE4E5B9L;
                    h ^= h >>> 31;
                }
            }
            return h;
        }

        /** What an operation's {@code threads} tasks sum to. */
        static long expected(long[] table, int threads) {
            long sum = 0;
            for (int t = 0; t < threads; t++) {
                sum += hash(table, t);
            }
            return sum;
        }
    }

    /** Captures the profiler's INFO reports (not printed) and keeps the last sample count. */
    private static final class Reports extends AppenderBase<ILoggingEvent> {
        private final AtomicLong samples = new AtomicLong();
        private final AtomicLong count = new AtomicLong();

        static Reports capture() {
            Logger logger = (Logger) LoggerFactory.getLogger(Profiler.class);
            Reports reports = new Reports();
            reports.setContext(logger.getLoggerContext());
            reports.start();
            logger.setLevel(Level.INFO);
            logger.setAdditive(false); // reports go here only; the WARNs and ERRORs are printed too
            logger.addAppender(reports);
            return reports;
        }

        void reset() {
            samples.set(0);
            count.set(0);
        }

        long samples() {
            return samples.get();
        }

        long count() {
            return count.get();
        }

        @Override
        protected void append(ILoggingEvent event) {
            Matcher matcher = SAMPLES.matcher(event.getFormattedMessage());
            if (matcher.find()) {
                samples.set(Long.parseLong(matcher.group(1)));
                count.incrementAndGet();
            } else if (event.getLevel().isGreaterOrEqual(Level.WARN)) {
                System.err.println("Profiler " + event.getLevel() + ": " + event.getFormattedMessage());
            }
        }
    }
}
