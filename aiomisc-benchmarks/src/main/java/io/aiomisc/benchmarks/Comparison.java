package io.aiomisc.benchmarks;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;

/**
 * Measures our side against one or more baselines in one JVM, following this module's method
 * (same-core pinning, interleaved rounds, repeats): interleaved rounds (the order of the sides alternates), each side warmed up and then measured
 * for a fixed time, the machine's other load checked per round (a round in which other processes
 * used more than 0.15 of a core is run again, up to three times), and the ratio of each round
 * reported as the median with min and max. CPU time per operation (the whole process) is printed
 * beside the rate.
 */
record Comparison(String title, Duration warmup, Duration window, int rounds) {
    /** One unit of work; called repeatedly. */
    @FunctionalInterface
    interface Operation {
        void run() throws Exception;
    }

    /**
     * What a side needs running only while it is measured (an entrypoint with a service, a
     * JVM-wide SDK): opened before each of the side's measurements (before its warm-up) and closed
     * after its window, so each measurement runs on a fresh one and nothing of it runs while
     * another side is measured. Opening and closing are not timed.
     */
    @FunctionalInterface
    interface Sessions {
        Session open() throws Exception;
    }

    /** An opened {@link Sessions}: the operation measured on it, and its teardown. */
    @FunctionalInterface
    interface Session extends AutoCloseable {
        /** One unit of work; called repeatedly. */
        void run() throws Exception;

        /** Ends what the session started; nothing by default. */
        @Override
        default void close() throws Exception {}

        /** Printed beside the measurement (after {@link #close()}); empty for nothing. */
        default String detail() {
            return "";
        }
    }

    /**
     * A competitor; each operation does {@code unitsPerOperation} units of work (calls, items) on a
     * session opened for each of its measurements.
     */
    record Side(String name, long unitsPerOperation, String unit, Sessions sessions) {
        /** A side whose operation needs nothing opened around its measurements. */
        Side(String name, Operation operation, long unitsPerOperation, String unit) {
            this(name, unitsPerOperation, unit, () -> operation::run);
        }

        Side(String name, Operation operation) {
            this(name, operation, 1, "ops");
        }
    }

    /**
     * What {@link #runAll} measured, per side (ours first, then the baselines in their order).
     *
     * @param ratios       the median ratio ours / baseline, per baseline
     * @param opsPerSecond the median operations per second, per side
     * @param cpuMicrosPerOp the median CPU µs (the whole process) per operation, per side
     */
    record Result(double[] ratios, double[] opsPerSecond, double[] cpuMicrosPerOp) {}

    private record Measurement(double opsPerSecond, double cpuMicrosPerOp, double otherLoad, String detail) {}

    /** A measurement during which other processes used more cores than this is run again. */
    static final double MAX_OTHER_LOAD = 0.15;

    /** Runs every round and prints the table; returns the median ratio ours/baseline per baseline. */
    double[] run(Side ours, Side... baselines) throws Exception {
        return runAll(ours, baselines).ratios();
    }

    /** Runs every round and prints the table; returns the medians of every side. */
    Result runAll(Side ours, Side... baselines) throws Exception {
        List<Side> sides = new ArrayList<>();
        sides.add(ours);
        sides.addAll(Arrays.asList(baselines));
        double[][] rates = new double[sides.size()][rounds];
        double[][] cpu = new double[sides.size()][rounds];
        System.out.printf(
                Locale.ROOT,
                "%n== %s (%d rounds, warm-up %d ms, window %d ms)%n",
                title,
                rounds,
                warmup.toMillis(),
                window.toMillis());
        for (int round = 0; round < rounds; round++) {
            for (int index : order(sides.size(), round)) {
                Measurement m = quietly(() -> measure(sides.get(index)), Measurement::otherLoad);
                rates[index][round] = m.opsPerSecond();
                cpu[index][round] = m.cpuMicrosPerOp();
                Side side = sides.get(index);
                System.out.printf(
                        Locale.ROOT,
                        "  round %d  %-46s %14.1f %s/s  %10.3f cpu-us/%s  (other load %.2f cores)%s%n",
                        round + 1,
                        side.name(),
                        m.opsPerSecond() * side.unitsPerOperation(),
                        side.unit(),
                        m.cpuMicrosPerOp() / side.unitsPerOperation(),
                        side.unit(),
                        m.otherLoad(),
                        m.detail().isEmpty() ? "" : "  [" + m.detail() + "]");
            }
        }
        double[] medians = new double[baselines.length];
        for (int b = 1; b < sides.size(); b++) {
            double[] ratios = new double[rounds];
            for (int round = 0; round < rounds; round++) {
                ratios[round] = rates[0][round] / rates[b][round];
            }
            for (double ratio : ratios) {
                printRoundRatio(title, ours.name(), sides.get(b).name(), ratio);
            }
            medians[b - 1] = median(ratios);
            System.out.printf(
                    Locale.ROOT,
                    "  RATIO %s / %s = %.2f (min %.2f, max %.2f); cpu-us per %s %.3f vs %.3f%n",
                    ours.name(),
                    sides.get(b).name(),
                    medians[b - 1],
                    Arrays.stream(ratios).min().orElseThrow(),
                    Arrays.stream(ratios).max().orElseThrow(),
                    ours.unit(),
                    median(cpu[0]) / ours.unitsPerOperation(),
                    median(cpu[b]) / sides.get(b).unitsPerOperation());
        }
        double[] opsPerSecond = new double[sides.size()];
        double[] cpuMicrosPerOp = new double[sides.size()];
        for (int s = 0; s < sides.size(); s++) {
            opsPerSecond[s] = median(rates[s]);
            cpuMicrosPerOp[s] = median(cpu[s]);
        }
        return new Result(medians, opsPerSecond, cpuMicrosPerOp);
    }

    /**
     * Runs every side once for the warm-up time, not measured and printed only as one line, before
     * {@link #run} or {@link #runAll}: the code the sides share (an SDK, a registry, an entrypoint)
     * is compiled before round 1, whose first side would otherwise pay for it alone.
     */
    void warmUpFirst(Side... sides) throws Exception {
        for (Side side : sides) {
            try (Session session = side.sessions().open()) {
                long end = System.nanoTime() + warmup.toNanos();
                while (System.nanoTime() < end) {
                    session.run();
                }
            }
        }
        System.out.printf(Locale.ROOT, "%n(each side warmed up once for %d ms before the rounds)%n", warmup.toMillis());
    }

    /** The order the sides run in, in {@code round} (from 0): as given, reversed every other round. */
    static List<Integer> order(int sides, int round) {
        List<Integer> order = new ArrayList<>(sides);
        for (int i = 0; i < sides; i++) {
            order.add(round % 2 == 0 ? i : sides - 1 - i);
        }
        return order;
    }

    /**
     * Measures until a measurement's {@code otherLoad} is at most {@link #MAX_OTHER_LOAD}, three
     * times at the most; returns the last measurement.
     */
    static <T> T quietly(Callable<T> measure, ToDoubleFunction<T> otherLoad) throws Exception {
        T measurement = measure.call();
        for (int attempt = 1; attempt < 3 && otherLoad.applyAsDouble(measurement) > MAX_OTHER_LOAD; attempt++) {
            measurement = measure.call();
        }
        return measurement;
    }

    /**
     * The cores other processes used while this process used {@code cpuNanos} of CPU over
     * {@code elapsedNanos}, from two {@link #machineCpuJiffies()} readings; 0 if unknown.
     */
    static double otherLoad(long[] machineBefore, long[] machineAfter, long cpuNanos, long elapsedNanos) {
        if (machineBefore == null || machineAfter == null) {
            return 0;
        }
        double machineBusySeconds = (machineAfter[0] - machineBefore[0]) / 100.0;
        return Math.max(0, (machineBusySeconds - cpuNanos / 1e9) / (elapsedNanos / 1e9));
    }

    /** One round's ratio, machine-readable, for the run script to aggregate over forks. */
    static void printRoundRatio(String title, String ours, String baseline, double ratio) {
        System.out.printf(Locale.ROOT, "ROUND_RATIO\t%s\t%s / %s\t%.4f%n", title, ours, baseline, ratio);
    }

    private Measurement measure(Side side) throws Exception {
        Session session = side.sessions().open();
        Measurement measurement;
        try {
            measurement = measure(session);
        } finally {
            session.close();
        }
        return new Measurement(
                measurement.opsPerSecond(), measurement.cpuMicrosPerOp(), measurement.otherLoad(), session.detail());
    }

    private Measurement measure(Session session) throws Exception {
        long warmupEnd = System.nanoTime() + warmup.toNanos();
        while (System.nanoTime() < warmupEnd) {
            session.run();
        }
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long[] machineBefore = machineCpuJiffies();
        long cpuBefore = os.getProcessCpuTime();
        long start = System.nanoTime();
        long end = start + window.toNanos();
        long ops = 0;
        long now;
        do {
            session.run();
            ops++;
            now = System.nanoTime();
        } while (now < end);
        long elapsed = now - start;
        long cpuUsed = os.getProcessCpuTime() - cpuBefore;
        long[] machineAfter = machineCpuJiffies();
        return new Measurement(
                ops / (elapsed / 1e9),
                cpuUsed / 1e3 / ops,
                otherLoad(machineBefore, machineAfter, cpuUsed, elapsed),
                "");
    }

    /** Busy jiffies of the whole machine from /proc/stat (user+nice+system+irq+softirq+steal), or null. */
    static long[] machineCpuJiffies() {
        try {
            String line = Files.readAllLines(Path.of("/proc/stat")).get(0);
            String[] f = line.trim().split("\\s+");
            long busy = Long.parseLong(f[1])
                    + Long.parseLong(f[2])
                    + Long.parseLong(f[3])
                    + Long.parseLong(f[6])
                    + Long.parseLong(f[7])
                    + (f.length > 8 ? Long.parseLong(f[8]) : 0);
            return new long[] {busy};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The median of {@code values} (not changed). */
    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
