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

    /** A competitor; each operation does {@code unitsPerOperation} units of work (calls, items). */
    record Side(String name, Operation operation, long unitsPerOperation, String unit) {
        Side(String name, Operation operation) {
            this(name, operation, 1, "ops");
        }
    }

    private record Measurement(double opsPerSecond, double cpuMicrosPerOp, double otherLoad) {}

    /** A measurement during which other processes used more cores than this is run again. */
    static final double MAX_OTHER_LOAD = 0.15;

    /** Runs every round and prints the table; returns the median ratio ours/baseline per baseline. */
    double[] run(Side ours, Side... baselines) throws Exception {
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
                        "  round %d  %-46s %14.1f %s/s  %10.3f cpu-us/%s  (other load %.2f cores)%n",
                        round + 1,
                        side.name(),
                        m.opsPerSecond() * side.unitsPerOperation(),
                        side.unit(),
                        m.cpuMicrosPerOp() / side.unitsPerOperation(),
                        side.unit(),
                        m.otherLoad());
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
        return medians;
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
        long warmupEnd = System.nanoTime() + warmup.toNanos();
        while (System.nanoTime() < warmupEnd) {
            side.operation().run();
        }
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long[] machineBefore = machineCpuJiffies();
        long cpuBefore = os.getProcessCpuTime();
        long start = System.nanoTime();
        long end = start + window.toNanos();
        long ops = 0;
        long now;
        do {
            side.operation().run();
            ops++;
            now = System.nanoTime();
        } while (now < end);
        long elapsed = now - start;
        long cpuUsed = os.getProcessCpuTime() - cpuBefore;
        long[] machineAfter = machineCpuJiffies();
        return new Measurement(
                ops / (elapsed / 1e9), cpuUsed / 1e3 / ops, otherLoad(machineBefore, machineAfter, cpuUsed, elapsed));
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
