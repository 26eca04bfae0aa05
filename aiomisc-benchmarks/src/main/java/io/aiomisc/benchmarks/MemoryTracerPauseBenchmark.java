package io.aiomisc.benchmarks;

import io.aiomisc.Entrypoint;
import io.aiomisc.service.MemoryTracer;
import io.aiomisc.stats.RecurringCallbackStatistic;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.lang.ref.Reference;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * The pause {@link MemoryTracer} causes per interval on a full 1 GB heap. Reported, no target.
 *
 * <p><b>Heap.</b> The run script's {@code -Xms1g -Xmx1g}, filled with about 630 MB of live objects before measuring: {@code small} (default 5,000,000) small
 * objects (a long, an int and a reference to one of 1,000 shared strings: 32 bytes each, in one
 * array), a {@code HashMap} of 200,000 {@code Long} → {@code String} entries, and {@code arrays} MB
 * (default 420) of {@code byte[]} and {@code long[]} of 256 KiB each (not humongous for G1's 1 MiB
 * regions). The live heap is printed (the histogram's total and the heap used after it).
 *
 * <p><b>What is timed.</b> MemoryTracer's work per interval is one class histogram: the
 * {@code gcClassHistogram} diagnostic command through the platform MBean server, invoked exactly as
 * MemoryTracer invokes it (a full GC, then a heap walk, both stop-the-world). Measured
 * {@code histograms} times (default 10), one after another, each: its wall time, the collection
 * time the {@link GarbageCollectorMXBean}s add during it (the GC part of the pause), and the
 * longest stall of an application thread (a platform thread waking every millisecond, recording
 * the longest gap between two wake-ups while the histogram runs: the pause as the program sees
 * it). Then, as a cross-check of the whole service, a real {@code MemoryTracer(1 s, 20)} runs on an
 * entrypoint for {@code intervals} (default 3) intervals and its callback's mean time (histogram,
 * parse, diff, table, log record) is read from its {@link RecurringCallbackStatistic}.
 *
 * <p><b>Collector.</b> The collector is printed. Under the run script's {@code taskset} the JVM
 * sees one CPU and picks the Serial collector; servers run G1 (the default with 2+ CPUs). Run both:
 * {@code BENCH_JAVA_OPTS=-XX:+UseG1GC} gives G1 on the one pinned CPU (its parallel full GC with one
 * core, as on a busy machine), {@code BENCH_CPUS=0,1} G1 on both cores. The first histogram (the
 * tracer's baseline at start, which also collects what the fill left) is printed, not counted.
 *
 * <p>Run: {@code FORKS=1 BENCH_JAVA_OPTS=-XX:+UseG1GC aiomisc-benchmarks/run
 * MemoryTracerPauseBenchmark [histograms [small [arrays [intervals]]]]} (defaults 10, 5000000, 420,
 * 3).
 */
public final class MemoryTracerPauseBenchmark {
    private static final int ARRAY_BYTES = 256 * 1024;
    private static final Pattern TOTAL = Pattern.compile("(?m)^Total\\s+(\\d+)\\s+(\\d+)");
    private static final Pattern ROW = Pattern.compile("(?m)^\\s*\\d+:");

    private MemoryTracerPauseBenchmark() {}

    /** A small live object: 32 bytes with compressed references. */
    private record Item(long id, int kind, String label) {}

    /** What the benchmark keeps alive. */
    private record Live(Item[] items, Map<Long, String> sessions, Object[] arrays) {}

    public static void main(String[] args) throws Exception {
        int histograms = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int small = args.length > 1 ? Integer.parseInt(args[1]) : 5_000_000;
        int arrayMegabytes = args.length > 2 ? Integer.parseInt(args[2]) : 420;
        int intervals = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        if (histograms < 1 || small < 0 || arrayMegabytes < 0 || intervals < 0) {
            throw new IllegalArgumentException("histograms must be positive and the others not negative: histograms="
                    + histograms + ", small=" + small + ", arrays=" + arrayMegabytes + ", intervals=" + intervals);
        }
        long started = System.nanoTime();
        Live live = fill(small, arrayMegabytes);
        System.out.printf(
                Locale.ROOT,
                "filled in %.1f s: %,d small objects, %,d map entries, %,d arrays of %d KiB; max heap %d MB; collectors %s%n",
                (System.nanoTime() - started) / 1e9,
                live.items().length,
                live.sessions().size(),
                live.arrays().length,
                ARRAY_BYTES / 1024,
                Runtime.getRuntime().maxMemory() / (1024 * 1024),
                ManagementFactory.getGarbageCollectorMXBeans().stream()
                        .map(GarbageCollectorMXBean::getName)
                        .toList());

        long first = System.nanoTime();
        histogram(); // as MemoryTracer's baseline at start: also collects what the fill left
        System.out.printf(
                Locale.ROOT,
                "first histogram (MemoryTracer's baseline at start; not counted): %.1f ms%n",
                (System.nanoTime() - first) / 1e6);
        Stall stall = Stall.start();
        double[] wall = new double[histograms];
        double[] gc = new double[histograms];
        double[] stalls = new double[histograms];
        try {
            for (int i = 0; i < histograms; i++) {
                long gcBefore = collectionMillis();
                stall.reset();
                long start = System.nanoTime();
                String text = histogram();
                long end = System.nanoTime();
                wall[i] = (end - start) / 1e6;
                gc[i] = collectionMillis() - gcBefore;
                stalls[i] = stall.longestNanosUntil(end) / 1e6;
                MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
                Matcher total = TOTAL.matcher(text);
                long liveBytes = total.find() ? Long.parseLong(total.group(2)) : -1;
                System.out.printf(
                        Locale.ROOT,
                        "  histogram %2d: %8.1f ms wall, %8.1f ms GC, longest application stall %8.1f ms;"
                                + " live %.1f MB in %,d classes, heap used after %.1f MB of %.1f MB%n",
                        i + 1,
                        wall[i],
                        gc[i],
                        stalls[i],
                        liveBytes / 1e6,
                        ROW.matcher(text).results().count(),
                        heap.getUsed() / 1e6,
                        heap.getCommitted() / 1e6);
            }
        } finally {
            stall.close();
        }

        String tracer = intervals == 0 ? "not run" : tracer(intervals);
        Reference.reachabilityFence(live);
        System.out.printf(
                Locale.ROOT,
                "%nSUMMARY MemoryTracer pause per interval (one class histogram), %d MB heap, about %.0f MB live:%n"
                        + "  wall     median %.1f ms (min %.1f, max %.1f) over %d histograms%n"
                        + "  GC part  median %.1f ms (min %.1f, max %.1f)%n"
                        + "  longest application stall median %.1f ms (min %.1f, max %.1f)%n"
                        + "  MemoryTracer(1 s, 20) on an entrypoint: %s%n",
                Runtime.getRuntime().maxMemory() / (1024 * 1024),
                liveMegabytes(),
                Comparison.median(wall),
                Arrays.stream(wall).min().orElseThrow(),
                Arrays.stream(wall).max().orElseThrow(),
                histograms,
                Comparison.median(gc),
                Arrays.stream(gc).min().orElseThrow(),
                Arrays.stream(gc).max().orElseThrow(),
                Comparison.median(stalls),
                Arrays.stream(stalls).min().orElseThrow(),
                Arrays.stream(stalls).max().orElseThrow(),
                tracer);
    }

    private static Live fill(int small, int arrayMegabytes) {
        SplittableRandom random = new SplittableRandom(17);
        String[] labels = new String[1000];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = "label-" + i;
        }
        Item[] items = new Item[small];
        for (int i = 0; i < small; i++) {
            items[i] = new Item(random.nextLong(), random.nextInt(16), labels[random.nextInt(labels.length)]);
        }
        Map<Long, String> sessions = new HashMap<>();
        for (long i = 0; i < 200_000; i++) {
            sessions.put(i * 7919, "session-" + Long.toHexString(random.nextLong()));
        }
        int count = (int) ((long) arrayMegabytes * 1_000_000 / ARRAY_BYTES);
        Object[] arrays = new Object[count];
        for (int i = 0; i < count; i++) {
            if (i % 4 == 3) {
                long[] longs = new long[ARRAY_BYTES / Long.BYTES];
                longs[random.nextInt(longs.length)] = random.nextLong();
                arrays[i] = longs;
            } else {
                byte[] bytes = new byte[ARRAY_BYTES];
                random.nextBytes(bytes); // real content: the pages are touched, as in a real heap
                arrays[i] = bytes;
            }
        }
        return new Live(items, sessions, arrays);
    }

    /** One class histogram, invoked as {@link MemoryTracer} invokes it. */
    private static String histogram() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName command = new ObjectName("com.sun.management:type=DiagnosticCommand");
        return (String) server.invoke(
                command, "gcClassHistogram", new Object[] {new String[0]}, new String[] {String[].class.getName()});
    }

    private static long collectionMillis() {
        long total = 0;
        for (GarbageCollectorMXBean bean : ManagementFactory.getGarbageCollectorMXBeans()) {
            total += Math.max(0, bean.getCollectionTime());
        }
        return total;
    }

    private static double liveMegabytes() throws Exception {
        Matcher total = TOTAL.matcher(histogram());
        return total.find() ? Long.parseLong(total.group(2)) / 1e6 : Double.NaN;
    }

    /** Runs a real MemoryTracer for {@code intervals} intervals; its callback's mean time. */
    private static String tracer(int intervals) throws Exception {
        MemoryTracer tracer = new MemoryTracer(Duration.ofSeconds(1), 20);
        long start = System.nanoTime();
        RecurringCallbackStatistic statistic;
        try (Entrypoint entrypoint = Entrypoint.builder()
                .logConfig(false)
                .catchSignals(false)
                .services(tracer)
                .start()) {
            double startMillis = (System.nanoTime() - start) / 1e6; // the baseline histogram
            statistic = tracer.periodic().statistic();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60L + 10L * intervals);
            while (statistic.done.value() + statistic.fail.value() < intervals && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            long calls = statistic.done.value();
            if (calls == 0) {
                return "no interval completed (" + statistic.fail.value() + " failed)";
            }
            return String.format(
                    Locale.ROOT,
                    "start (baseline histogram) %.1f ms; callback mean %.1f ms over %d intervals, %d failed",
                    startMillis,
                    statistic.sumTime.seconds() * 1e3 / calls,
                    calls,
                    statistic.fail.value());
        }
    }

    /** A platform thread waking every millisecond; the longest gap since {@link #reset()}. */
    private static final class Stall implements AutoCloseable {
        private final AtomicLong longest = new AtomicLong();
        private volatile boolean running = true;
        private volatile long resetAt;
        private volatile long lastWake;
        private Thread thread;

        static Stall start() {
            Stall stall = new Stall();
            stall.thread = Thread.ofPlatform().name("stall-probe").daemon().start(stall::probe);
            return stall;
        }

        private void probe() {
            long last = System.nanoTime();
            while (running) {
                LockSupport.parkNanos(1_000_000);
                long now = System.nanoTime();
                longest.accumulateAndGet(now - Math.max(last, resetAt), Math::max);
                last = now;
                lastWake = now;
            }
        }

        void reset() {
            resetAt = System.nanoTime();
            longest.set(0);
        }

        /** The longest gap since the reset, once the probe has woken after {@code end}. */
        long longestNanosUntil(long end) {
            while (lastWake <= end) {
                LockSupport.parkNanos(100_000); // not a spin: on one CPU the probe needs it
            }
            return longest.get();
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join();
        }
    }
}
