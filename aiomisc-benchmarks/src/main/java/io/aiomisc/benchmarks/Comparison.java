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

/**
 * Measures our side against one or more baselines in one JVM, following {@code bench/README.md}:
 * interleaved rounds (the order of the sides alternates), each side warmed up and then measured
 * for a fixed time, the machine's other load checked per round (a round in which other processes
 * used more than 0.15 of a core is run again, up to three times), and the ratio of each round
 * reported as the median with min and max. CPU time per operation (the whole process) is printed
 * beside the rate.
 */
final class Comparison {
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

    private record Measurement(double opsPerSecond, double cpuMicrosPerOp, double otherLoad) {
    }

    private static final double MAX_OTHER_LOAD = 0.15;

    private final String title;
    private final Duration warmup;
    private final Duration window;
    private final int rounds;

    Comparison(String title, Duration warmup, Duration window, int rounds) {
        this.title = title;
        this.warmup = warmup;
        this.window = window;
        this.rounds = rounds;
    }

    /** Runs every round and prints the table; returns the median ratio ours/baseline per baseline. */
    double[] run(Side ours, Side... baselines) throws Exception {
        List<Side> sides = new ArrayList<>();
        sides.add(ours);
        sides.addAll(Arrays.asList(baselines));
        double[][] rates = new double[sides.size()][rounds];
        double[][] cpu = new double[sides.size()][rounds];
        System.out.printf(Locale.ROOT, "%n== %s (%d rounds, warm-up %d ms, window %d ms)%n",
                title, rounds, warmup.toMillis(), window.toMillis());
        for (int round = 0; round < rounds; round++) {
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < sides.size(); i++) {
                order.add(i);
            }
            if (round % 2 == 1) {
                java.util.Collections.reverse(order);
            }
            for (int index : order) {
                Measurement m = measureQuietly(sides.get(index));
                rates[index][round] = m.opsPerSecond();
                cpu[index][round] = m.cpuMicrosPerOp();
                Side side = sides.get(index);
                System.out.printf(Locale.ROOT, "  round %d  %-46s %14.1f %s/s  %10.3f cpu-us/%s  (other load %.2f cores)%n",
                        round + 1, side.name(), m.opsPerSecond() * side.unitsPerOperation(), side.unit(),
                        m.cpuMicrosPerOp() / side.unitsPerOperation(), side.unit(), m.otherLoad());
            }
        }
        double[] medians = new double[baselines.length];
        for (int b = 1; b < sides.size(); b++) {
            double[] ratios = new double[rounds];
            for (int round = 0; round < rounds; round++) {
                ratios[round] = rates[0][round] / rates[b][round];
            }
            for (double ratio : ratios) {
                // machine-readable, for aggregating over forks (see the run script)
                System.out.printf(Locale.ROOT, "ROUND_RATIO\t%s\t%s / %s\t%.4f%n", title, ours.name(), sides.get(b).name(), ratio);
            }
            double[] sorted = ratios.clone();
            Arrays.sort(sorted);
            medians[b - 1] = median(sorted);
            System.out.printf(Locale.ROOT, "  RATIO %s / %s = %.2f (min %.2f, max %.2f); cpu-us per %s %.3f vs %.3f%n",
                    ours.name(), sides.get(b).name(), medians[b - 1], sorted[0], sorted[rounds - 1], ours.unit(),
                    median(sortedCopy(cpu[0])) / ours.unitsPerOperation(),
                    median(sortedCopy(cpu[b])) / sides.get(b).unitsPerOperation());
        }
        return medians;
    }

    private Measurement measureQuietly(Side side) throws Exception {
        Measurement best = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            Measurement m = measure(side);
            if (m.otherLoad() <= MAX_OTHER_LOAD) {
                return m;
            }
            best = m;
        }
        return best;
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
        double otherLoad = 0;
        if (machineBefore != null && machineAfter != null) {
            double machineBusySeconds = (machineAfter[0] - machineBefore[0]) / 100.0;
            otherLoad = Math.max(0, (machineBusySeconds - cpuUsed / 1e9) / (elapsed / 1e9));
        }
        return new Measurement(ops / (elapsed / 1e9), cpuUsed / 1e3 / ops, otherLoad);
    }

    /** Busy jiffies of the whole machine from /proc/stat (user+nice+system+irq+softirq+steal), or null. */
    static long[] machineCpuJiffies() {
        try {
            String line = Files.readAllLines(Path.of("/proc/stat")).get(0);
            String[] f = line.trim().split("\\s+");
            long busy = Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3])
                    + Long.parseLong(f[6]) + Long.parseLong(f[7]) + (f.length > 8 ? Long.parseLong(f[8]) : 0);
            return new long[] {busy};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static double[] sortedCopy(double[] values) {
        double[] copy = values.clone();
        Arrays.sort(copy);
        return copy;
    }

    static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
