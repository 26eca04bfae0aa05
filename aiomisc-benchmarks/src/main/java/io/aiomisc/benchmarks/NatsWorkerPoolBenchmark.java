package io.aiomisc.benchmarks;

import com.sun.management.OperatingSystemMXBean;
import io.aiomisc.nats.DistributedWorkerPool;
import io.aiomisc.nats.NatsSettings;
import io.aiomisc.worker.WorkerPool;
import io.aiomisc.worker.WorkerTask;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.ToDoubleFunction;

/**
 * {@link DistributedWorkerPool} (aiomisc-nats), issue 19's two performance figures, measured in one
 * run against a nats-server this benchmark starts ({@code /usr/sbin/nats-server -js -sd <tmpdir> -a
 * 127.0.0.1 -p <free port>}; it fails at once, saying how to install it, when it is missing; the
 * server is stopped and its store deleted at the end):
 * <ol>
 * <li><b>The broker hop's price.</b> Round trips of a tiny task (it returns its argument) from
 *     {@code C} concurrent callers (platform threads, each waiting for its task before it sends the
 *     next) through a {@code DistributedWorkerPool} with 2 {@code WorkerNode}s against the local
 *     {@link WorkerPool} with 2 workers. Printed per side: tasks/s, p50 and p99 latency, CPU µs per
 *     task of every process involved (this JVM, the workers or the nodes, and the nats-server; the
 *     server's share beside it). Ratio: tasks/s distributed / local.
 * <li><b>Scaling</b> over 1, 2 and 3 nodes on CPU-bound tasks: each task does a fixed amount of
 *     arithmetic (a dependent multiply-xorshift chain, its iteration count calibrated in this JVM
 *     before the rounds to take about 5 ms here), 8 callers keep the queue full. Printed: tasks/s per
 *     node count, and the ratios to 1 node. This machine has 2 cores: 2 nodes can at best double
 *     1 node's rate, and 3 nodes cannot beat 2 (they share the same 2 cores); on a quiet machine
 *     expect ≈ 2× and ≈ 2× (not 3×).
 * </ol>
 *
 * <p><b>Nodes are child JVMs</b> ({@link NatsBenchNodes}), started as the local pool starts its
 * workers (same {@code java}, class path, serial collector; one task at a time per node, as one per
 * local worker): the same number of processes and OS-level isolation on both sides, so the
 * difference is the transport (JetStream publish, pull, result stream, acks, the HMAC of every frame)
 * and not a node sharing this JVM's heap, JIT and scheduler. In-process nodes would also hide the
 * cost of each node's own NATS connection behind this JVM's CPU accounting.
 *
 * <p><b>Placement.</b> Part 1 runs everything where this JVM runs (the run script pins it to one CPU,
 * {@code BENCH_CPUS}; the workers, nodes and the server inherit it), as every ratio of this module.
 * Part 2 must let nodes use more than one CPU or it would measure nothing: its nodes are started
 * with {@code taskset -c} on all online CPUs ({@code /sys/devices/system/cpu/online}; override with
 * {@code NATS_BENCH_SCALING_CPUS}, e.g. {@code 0} to see the pinned case), while this JVM (the
 * producer) and the server stay where they are. Each node count has its own pool (its own work
 * queue) and nodes, all started before part 2's rounds; the idle ones only poll once a second.
 *
 * <p><b>Method</b> (see {@link Comparison}): the sides alternate within a round (reversed every
 * other round), each measurement warms up (1 s) before its window (2 s), a measurement during which
 * other processes used more than {@link Comparison#MAX_OTHER_LOAD} of a core is run again (up to
 * three times; not in the short mode), and each ratio is the median over the rounds with min and max
 * ({@code ROUND_RATIO} lines for the run script's aggregation over forks). Before round 1 every side
 * is warmed up once, not measured, by task count: a node runs one tiny task per few hundred
 * microseconds, so its JIT needs many seconds to compile the task's path (the per-task CPU of the
 * nodes falls several-fold over the first 10,000 tasks); part 1 runs 20,000 tiny tasks per side,
 * part 2 tiny tasks through its three pools at once (5,000 per node), then each pool's CPU-bound
 * tasks for 1 s; each first warm-up stops after 20 s regardless (it prints what it did). A full run
 * (5 rounds, callers 2 and 8) takes about two and a half minutes on a quiet machine, longer when
 * measurements are repeated.
 *
 * <p>Run: {@code FORKS=1 aiomisc-benchmarks/run NatsWorkerPoolBenchmark [short] [rounds]
 * [callers...]} (defaults: 5 rounds, callers 2 and 8). {@code short} is a quick check that it works
 * (2 rounds, short windows, 4 callers, no re-measuring; about 30 s); its figures are not the ones to
 * report.
 */
public final class NatsWorkerPoolBenchmark {
    private static final int WORKERS = 2;
    private static final List<Integer> NODE_COUNTS = List.of(1, 2, 3);
    private static final int SCALING_CALLERS = 8;
    private static final double TASK_MILLIS = 5.0;
    /** The first warm-up of a side ends after this many tasks (per node in part 2)... */
    private static final long FIRST_WARMUP_TASKS = 20_000;
    /** ... or after this long, whichever comes first. */
    private static final long FIRST_WARMUP_MILLIS = 20_000;

    private NatsWorkerPoolBenchmark() {}

    /** The tiny task: returns its argument. A record: serializable, and an application class. */
    record Echo(long value) implements WorkerTask<Long> {
        @Override
        public Long call() {
            return value;
        }
    }

    /** The CPU-bound task: {@code iterations} steps of arithmetic, then returns {@code value}. */
    record Spin(long value, long iterations) implements WorkerTask<Long> {
        @Override
        public Long call() {
            sink = spin(value, iterations); // kept: the JIT cannot drop the loop
            return value;
        }
    }

    /** Where {@link Spin} leaves its arithmetic's result. */
    static volatile long sink;

    /** A dependent chain (no vectorizing, no folding): multiply, add, xorshift. */
    static long spin(long seed, long iterations) {
        long x = seed | 1;
        for (long i = 0; i < iterations; i++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
            x ^= x >>> 29;
        }
        return x;
    }

    /** The run's settings. */
    private record Settings(
            boolean isShort,
            int rounds,
            List<Integer> callers,
            long warmupNanos,
            long windowNanos,
            long scalingWarmupNanos,
            long scalingWindowNanos,
            long firstWarmupTasks,
            long firstWarmupNanos) {
        static Settings parse(String[] args) {
            List<String> rest = new ArrayList<>(Arrays.asList(args));
            boolean isShort = !rest.isEmpty() && rest.get(0).equals("short");
            if (isShort) {
                rest.remove(0);
            }
            int rounds = rest.isEmpty() ? (isShort ? 2 : 5) : positive("rounds", rest.remove(0));
            List<Integer> callers = new ArrayList<>();
            for (String c : rest) {
                callers.add(positive("callers", c));
            }
            if (callers.isEmpty()) {
                callers.addAll(isShort ? List.of(4) : List.of(2, 8));
            }
            return isShort
                    ? new Settings(
                            true,
                            rounds,
                            callers,
                            millis(300),
                            millis(700),
                            millis(300),
                            millis(1000),
                            2_000,
                            millis(3000))
                    : new Settings(
                            false,
                            rounds,
                            callers,
                            millis(1000),
                            millis(2000),
                            millis(1000),
                            millis(2000),
                            FIRST_WARMUP_TASKS,
                            millis(FIRST_WARMUP_MILLIS));
        }

        private static int positive(String name, String value) {
            int parsed;
            try {
                parsed = Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "usage: NatsWorkerPoolBenchmark [short] [rounds] [callers...]; " + name
                                + " must be a positive integer: " + value,
                        e);
            }
            if (parsed < 1) {
                throw new IllegalArgumentException(name + " must be a positive integer: " + value);
            }
            return parsed;
        }

        private static long millis(long millis) {
            return TimeUnit.MILLISECONDS.toNanos(millis);
        }
    }

    /** One measured side of one round; CPU per task of the side's processes (and the server's part). */
    private record Sample(
            long tasks,
            double tasksPerSecond,
            double p50Micros,
            double p99Micros,
            double cpuMicrosPerTask,
            double hereMicrosPerTask,
            double brokerMicrosPerTask,
            double other,
            double maxMillis,
            long redelivered) {}

    /** One caller's round trip: sends task {@code value}, returns the answer. */
    @FunctionalInterface
    private interface RoundTrip {
        long call(long value) throws Exception;
    }

    /** The processes one side uses besides this JVM, and every process of the run (for the other load). */
    private record Processes(List<Long> side, long broker, List<Long> all, LongSupplier redelivered) {
        /** No processes to account for, no redeliveries counted. */
        static final Processes NONE = new Processes(List.of(), -1, List.of(), () -> 0);
    }

    /** Everything started, for the shutdown hook (a run stopped by Ctrl-C leaves nothing behind). */
    private static final List<AutoCloseable> STARTED = new CopyOnWriteArrayList<>(); // the shutdown hook reads it

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.parse(args);
        try {
            NatsBenchBroker.binary();
        } catch (IllegalStateException e) {
            System.err.println("NatsWorkerPoolBenchmark: " + e.getMessage());
            System.exit(2);
        }
        Path work = Files.createTempDirectory("aiomisc-nats-bench-");
        String secret = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
        Thread hook = Thread.ofPlatform().unstarted(() -> killAll(work));
        Runtime.getRuntime().addShutdownHook(hook);
        List<String> summary = new ArrayList<>();
        try (NatsBenchBroker broker = NatsBenchBroker.start(work, NatsWorkerPoolBenchmark::started)) {
            System.out.printf(
                    Locale.ROOT,
                    "NatsWorkerPoolBenchmark%s: %d rounds, callers %s, %d processors here (of %s online);"
                            + " nats-server %s (pid %d)%n",
                    settings.isShort() ? " (short mode: a check that it works, not figures to report)" : "",
                    settings.rounds(),
                    settings.callers(),
                    Runtime.getRuntime().availableProcessors(),
                    onlineCpus(),
                    broker.url(),
                    broker.pid());
            brokerHop(settings, broker, secret, work, summary);
            scaling(settings, broker, secret, work, summary);
        } finally {
            STARTED.clear();
            NatsBenchBroker.deleteTree(work);
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down: the hook cleans up
            }
        }
        System.out.println();
        summary.forEach(System.out::println);
    }

    private static void started(AutoCloseable resource) {
        STARTED.add(resource);
    }

    /**
     * The shutdown hook (a run stopped by SIGINT or SIGTERM): kills the nodes and the server, deletes
     * the work directory (the server's store, the logs).
     */
    private static void killAll(Path work) {
        try {
            for (AutoCloseable resource : STARTED) {
                if (resource instanceof NatsBenchNodes nodes) {
                    nodes.kill();
                } else if (resource instanceof NatsBenchBroker broker) {
                    broker.kill();
                }
            }
            NatsBenchBroker.deleteTree(work);
        } catch (InterruptedException | java.io.IOException | RuntimeException e) {
            System.err.println("NatsWorkerPoolBenchmark: cleaning up after a stop failed: " + e);
        }
    }

    private static DistributedWorkerPool pool(NatsBenchBroker broker, String name, String secret) throws Exception {
        DistributedWorkerPool pool = DistributedWorkerPool.builder()
                .settings(NatsSettings.builder()
                        .servers(broker.url())
                        .pool(name)
                        .secret(secret.getBytes(StandardCharsets.UTF_8))
                        .build())
                .build();
        pool.start();
        return pool;
    }

    // ---- 1. the broker hop ------------------------------------------------------------------------

    private static void brokerHop(
            Settings settings, NatsBenchBroker broker, String secret, Path work, List<String> summary)
            throws Exception {
        try (DistributedWorkerPool distributed = pool(broker, "tiny", secret);
                NatsBenchNodes nodes = NatsBenchNodes.start(
                        distributed, secret, WORKERS, null, work, NatsWorkerPoolBenchmark::started);
                WorkerPool local = new WorkerPool(WORKERS)) {
            local.start();
            // once each, not measured, before any round: the JIT of this JVM, the nodes and the workers
            // has compiled the task's path (a node sees one task per few hundred microseconds, so
            // compiling its path takes many seconds of a time-bounded warm-up)
            int callers = settings.callers().get(settings.callers().size() - 1);
            firstWarmUp(
                    "DistributedWorkerPool",
                    settings,
                    callers,
                    settings.firstWarmupTasks(),
                    value -> distributed.createTask(new Echo(value)).await(),
                    new Processes(List.of(), -1, List.of(), distributed.statistic().redelivered::value));
            firstWarmUp(
                    "WorkerPool",
                    settings,
                    callers,
                    settings.firstWarmupTasks(),
                    value -> local.createTask(new Echo(value)).await(),
                    Processes.NONE);
            for (int c : settings.callers()) {
                brokerHop(settings, broker, distributed, nodes, local, c, summary);
            }
        }
    }

    private static void brokerHop(
            Settings settings,
            NatsBenchBroker broker,
            DistributedWorkerPool distributed,
            NatsBenchNodes nodes,
            WorkerPool local,
            int callers,
            List<String> summary)
            throws Exception {
        String title = "tiny-task round trips, " + callers + " callers";
        String[] names = {"DistributedWorkerPool(" + WORKERS + " nodes)", "WorkerPool(" + WORKERS + ")"};
        System.out.printf(
                Locale.ROOT,
                "%n== %s: a task returning its argument (%d rounds; warm-up %d ms, window %d ms; nodes: child JVMs,"
                        + " 1 task at a time each; nats-server on the same CPUs)%n",
                title,
                settings.rounds(),
                TimeUnit.NANOSECONDS.toMillis(settings.warmupNanos()),
                TimeUnit.NANOSECONDS.toMillis(settings.windowNanos()));
        RoundTrip[] trips = {
            value -> distributed.createTask(new Echo(value)).await(),
            value -> local.createTask(new Echo(value)).await()
        };
        Callable<Processes> viaNats = () -> new Processes(
                nodes.pids(),
                broker.pid(),
                all(broker, nodes.pids(), local.pids()),
                distributed.statistic().redelivered::value);
        Callable<Processes> viaLocal =
                () -> new Processes(List.copyOf(local.pids()), -1, all(broker, nodes.pids(), local.pids()), () -> 0);
        List<Callable<Processes>> processes = List.of(viaNats, viaLocal);
        Sample[][] samples = new Sample[2][settings.rounds()];
        for (int round = 0; round < settings.rounds(); round++) {
            for (int side : Comparison.order(2, round)) {
                int s = side;
                Callable<Sample> measure = () -> {
                    run(
                            callers,
                            trips[s],
                            settings.warmupNanos(),
                            processes.get(s).call());
                    return run(
                            callers,
                            trips[s],
                            settings.windowNanos(),
                            processes.get(s).call());
                };
                Sample sample = settings.isShort() ? measure.call() : Comparison.quietly(measure, Sample::other);
                samples[side][round] = sample;
                printSample(round, names[side], sample);
            }
        }
        double[] ratios = ratios(samples[0], samples[1]);
        for (double ratio : ratios) {
            Comparison.printRoundRatio(title, names[0], names[1], ratio);
        }
        for (int side = 0; side < 2; side++) {
            printMedians(names[side], samples[side]);
        }
        String ratio = ratioText(ratios);
        System.out.printf(Locale.ROOT, "  RATIO %s / %s (tasks/s) = %s%n", names[0], names[1], ratio);
        summary.add(String.format(
                Locale.ROOT,
                "SUMMARY %s: %s = %s x in tasks/s (%.0f vs %.0f tasks/s); p50 %.0f vs %.0f us, p99 %.0f vs %.0f us;"
                        + " cpu %.0f (server %.0f) vs %.0f us/task",
                title,
                names[0] + " / " + names[1],
                ratio,
                median(samples[0], Sample::tasksPerSecond),
                median(samples[1], Sample::tasksPerSecond),
                median(samples[0], Sample::p50Micros),
                median(samples[1], Sample::p50Micros),
                median(samples[0], Sample::p99Micros),
                median(samples[1], Sample::p99Micros),
                median(samples[0], Sample::cpuMicrosPerTask),
                median(samples[0], Sample::brokerMicrosPerTask),
                median(samples[1], Sample::cpuMicrosPerTask)));
    }

    private static List<Long> all(NatsBenchBroker broker, List<Long> nodes, java.util.Set<Long> workers) {
        List<Long> all = new ArrayList<>(nodes);
        all.addAll(workers);
        all.add(broker.pid());
        return all;
    }

    // ---- 2. scaling over nodes --------------------------------------------------------------------

    private static void scaling(
            Settings settings, NatsBenchBroker broker, String secret, Path work, List<String> summary)
            throws Exception {
        long iterations = calibrate();
        String cpus = System.getenv().getOrDefault("NATS_BENCH_SCALING_CPUS", onlineCpus());
        String title =
                String.format(Locale.ROOT, "CPU-bound tasks (%.0f ms each), %d callers", TASK_MILLIS, SCALING_CALLERS);
        System.out.printf(
                Locale.ROOT,
                "%n== scaling, %s: %d rounds, warm-up %d ms, window %d ms; a task is %,d iterations of arithmetic"
                        + " (%.1f ms in this JVM); nodes on CPUs %s (taskset), one task at a time each; this machine has"
                        + " %s CPUs online: expect no gain from 2 to 3 nodes%n",
                title,
                settings.rounds(),
                TimeUnit.NANOSECONDS.toMillis(settings.scalingWarmupNanos()),
                TimeUnit.NANOSECONDS.toMillis(settings.scalingWindowNanos()),
                iterations,
                TASK_MILLIS,
                cpus,
                onlineCpus());
        int sides = NODE_COUNTS.size();
        List<DistributedWorkerPool> pools = new ArrayList<>();
        List<NatsBenchNodes> nodeGroups = new ArrayList<>();
        try {
            for (int count : NODE_COUNTS) {
                DistributedWorkerPool pool = pool(broker, "scale" + count, secret);
                pools.add(pool);
                nodeGroups.add(NatsBenchNodes.start(pool, secret, count, cpus, work, NatsWorkerPoolBenchmark::started));
            }
            List<Long> everyNode =
                    nodeGroups.stream().flatMap(group -> group.pids().stream()).toList();
            List<Long> all = new ArrayList<>(everyNode);
            all.add(broker.pid());
            String[] names = new String[sides];
            RoundTrip[] trips = new RoundTrip[sides];
            Processes[] processes = new Processes[sides];
            for (int s = 0; s < sides; s++) {
                names[s] = NODE_COUNTS.get(s) + (NODE_COUNTS.get(s) == 1 ? " node" : " nodes");
                DistributedWorkerPool pool = pools.get(s);
                trips[s] = value -> pool.createTask(new Spin(value, iterations)).await();
                processes[s] =
                        new Processes(nodeGroups.get(s).pids(), broker.pid(), all, pool.statistic().redelivered::value);
            }
            // not measured, before any round: tiny tasks through the three pools at once until the
            // nodes' transport path is compiled (a fresh node JVM runs it slowly for thousands of
            // tasks), then each pool's CPU-bound tasks once
            List<Thread> warmers = new ArrayList<>();
            List<Exception> failures = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int s = 0; s < sides; s++) {
                DistributedWorkerPool pool = pools.get(s);
                long tasks = settings.firstWarmupTasks() / 4 * NODE_COUNTS.get(s);
                String name = "pool of " + names[s] + " (tiny tasks)";
                warmers.add(Thread.ofPlatform().start(() -> {
                    try {
                        firstWarmUp(
                                name,
                                settings,
                                4,
                                tasks,
                                value -> pool.createTask(new Echo(value)).await(),
                                new Processes(List.of(), -1, List.of(), pool.statistic().redelivered::value));
                    } catch (Exception e) {
                        failures.add(e);
                    }
                }));
            }
            for (Thread warmer : warmers) {
                warmer.join();
            }
            if (!failures.isEmpty()) {
                throw failures.get(0);
            }
            for (int s = 0; s < sides; s++) {
                run(SCALING_CALLERS, trips[s], settings.scalingWarmupNanos(), processes[s]);
            }
            Sample[][] samples = new Sample[sides][settings.rounds()];
            for (int round = 0; round < settings.rounds(); round++) {
                for (int side : Comparison.order(sides, round)) {
                    int s = side;
                    Callable<Sample> measure = () -> {
                        run(SCALING_CALLERS, trips[s], settings.scalingWarmupNanos(), processes[s]);
                        return run(SCALING_CALLERS, trips[s], settings.scalingWindowNanos(), processes[s]);
                    };
                    Sample sample = settings.isShort() ? measure.call() : Comparison.quietly(measure, Sample::other);
                    samples[side][round] = sample;
                    printSample(round, names[side], sample);
                }
            }
            StringBuilder perCount = new StringBuilder();
            for (int s = 0; s < sides; s++) {
                printMedians(names[s], samples[s]);
                perCount.append(String.format(
                        Locale.ROOT,
                        "%s%s %.0f tasks/s",
                        s == 0 ? "" : ", ",
                        names[s],
                        median(samples[s], Sample::tasksPerSecond)));
            }
            StringBuilder gains = new StringBuilder();
            for (int s = 1; s < sides; s++) {
                double[] ratios = ratios(samples[s], samples[0]);
                for (double ratio : ratios) {
                    Comparison.printRoundRatio("scaling, " + title, names[s], names[0], ratio);
                }
                String ratio = ratioText(ratios);
                System.out.printf(Locale.ROOT, "  RATIO %s / %s (tasks/s) = %s%n", names[s], names[0], ratio);
                gains.append(String.format(Locale.ROOT, "; %s / %s = %s", names[s], names[0], ratio));
            }
            summary.add(String.format(
                    Locale.ROOT,
                    "SUMMARY scaling, %s, nodes on CPUs %s: %s%s (2 CPUs: no gain from 2 to 3 nodes expected)",
                    title,
                    cpus,
                    perCount,
                    gains));
        } finally {
            for (NatsBenchNodes group : nodeGroups) {
                group.close();
            }
            for (DistributedWorkerPool pool : pools) {
                pool.close();
            }
        }
    }

    /** The iteration count of {@link Spin} that takes about {@link #TASK_MILLIS} in this (warmed-up) JVM. */
    private static long calibrate() {
        long probe = 1_000_000;
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
        while (System.nanoTime() < end) { // warm-up: compiled before it is timed
            sink = spin(System.nanoTime(), probe);
        }
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 20; i++) {
            long start = System.nanoTime();
            sink = spin(start, probe);
            best = Math.min(best, System.nanoTime() - start);
        }
        return Math.max(1, (long) (probe * TASK_MILLIS * 1e6 / best));
    }

    /** A first warm-up: until {@code maxTasks} tasks or {@link Settings#firstWarmupNanos}, whichever first. */
    private static void firstWarmUp(
            String name, Settings settings, int callers, long maxTasks, RoundTrip trip, Processes processes)
            throws Exception {
        long start = System.nanoTime();
        Sample sample = run(callers, trip, settings.firstWarmupNanos(), maxTasks, processes);
        System.out.printf(
                Locale.ROOT,
                "  (%s warmed up, not measured: %,d tasks in %.1f s, %d callers; slowest task %.1f ms, %d redelivered)%n",
                name,
                sample.tasks(),
                (System.nanoTime() - start) / 1e9,
                callers,
                sample.maxMillis(),
                sample.redelivered());
    }

    // ---- measuring --------------------------------------------------------------------------------

    /**
     * {@code callers} platform threads each make round trips for {@code windowNanos}; returns the
     * rate over the time until the last caller finished, the latency percentiles, the CPU per task
     * of this JVM and the side's processes (the broker's part separately), and the other load.
     */
    private static Sample run(int callers, RoundTrip roundTrip, long windowNanos, Processes processes)
            throws Exception {
        return run(callers, roundTrip, windowNanos, Long.MAX_VALUE, processes);
    }

    /** As {@link #run(int, RoundTrip, long, Processes)}, ending after {@code maxTasks} tasks at the latest. */
    private static Sample run(int callers, RoundTrip roundTrip, long windowNanos, long maxTasks, Processes processes)
            throws Exception {
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        List<Long> side = new ArrayList<>(processes.side());
        if (processes.broker() > 0) {
            side.add(processes.broker());
        }
        long[] machineBefore = Comparison.machineCpuJiffies();
        long cpuBefore = os.getProcessCpuTime();
        long sideBefore = cpuJiffies(side);
        long brokerBefore = cpuJiffies(List.of(processes.broker()));
        long allBefore = cpuJiffies(processes.all());
        long redeliveredBefore = processes.redelivered().getAsLong();
        AtomicLong sent = new AtomicLong();
        long[][] latencies = new long[callers][];
        int[] counts = new int[callers];
        Throwable[] failures = new Throwable[callers];
        Thread[] threads = new Thread[callers];
        long start = System.nanoTime();
        long end = start + windowNanos;
        for (int c = 0; c < callers; c++) {
            int caller = c;
            threads[c] = Thread.ofPlatform().name("caller-" + c).start(() -> {
                long[] mine = new long[1024];
                int n = 0;
                try {
                    long value;
                    while (System.nanoTime() < end && (value = sent.incrementAndGet()) <= maxTasks) {
                        long before = System.nanoTime();
                        long answer = roundTrip.call(value);
                        long took = System.nanoTime() - before;
                        if (answer != value) {
                            throw new IllegalStateException("sent " + value + ", got " + answer);
                        }
                        if (n == mine.length) {
                            mine = Arrays.copyOf(mine, n * 2);
                        }
                        mine[n++] = took;
                    }
                } catch (Throwable e) {
                    failures[caller] = e;
                }
                latencies[caller] = mine;
                counts[caller] = n;
            });
        }
        for (Thread thread : threads) {
            thread.join();
        }
        long elapsed = System.nanoTime() - start;
        for (Throwable failure : failures) {
            if (failure != null) {
                throw new IllegalStateException("a round trip failed", failure);
            }
        }
        long cpuNanos = os.getProcessCpuTime() - cpuBefore;
        long sideNanos = cpuNanos + (cpuJiffies(side) - sideBefore) * 10_000_000L;
        long brokerNanos = (cpuJiffies(List.of(processes.broker())) - brokerBefore) * 10_000_000L;
        long allNanos = cpuNanos + (cpuJiffies(processes.all()) - allBefore) * 10_000_000L;
        int total = Arrays.stream(counts).sum();
        long[] all = new long[total];
        int at = 0;
        for (int c = 0; c < callers; c++) {
            System.arraycopy(latencies[c], 0, all, at, counts[c]);
            at += counts[c];
        }
        Arrays.sort(all);
        return new Sample(
                total,
                total / (elapsed / 1e9),
                percentile(all, 0.50) / 1e3,
                percentile(all, 0.99) / 1e3,
                sideNanos / 1e3 / Math.max(1, total),
                cpuNanos / 1e3 / Math.max(1, total),
                brokerNanos / 1e3 / Math.max(1, total),
                Comparison.otherLoad(machineBefore, Comparison.machineCpuJiffies(), allNanos, elapsed),
                total == 0 ? Double.NaN : all[total - 1] / 1e6,
                processes.redelivered().getAsLong() - redeliveredBefore);
    }

    private static void printSample(int round, String name, Sample sample) {
        System.out.printf(
                Locale.ROOT,
                "  round %d  %-28s %10.1f tasks/s  p50 %9.1f us  p99 %9.1f us  %8.1f cpu-us/task (here %6.1f,"
                        + " workers %6.1f, server %6.1f)  (%d tasks, slowest %.1f ms, %d redelivered; other load %.2f"
                        + " cores)%n",
                round + 1,
                name,
                sample.tasksPerSecond(),
                sample.p50Micros(),
                sample.p99Micros(),
                sample.cpuMicrosPerTask(),
                sample.hereMicrosPerTask(),
                workersMicros(sample),
                sample.brokerMicrosPerTask(),
                sample.tasks(),
                sample.maxMillis(),
                sample.redelivered(),
                sample.other());
    }

    private static void printMedians(String name, Sample[] samples) {
        System.out.printf(
                Locale.ROOT,
                "  %-28s medians: %10.1f tasks/s  p50 %9.1f us  p99 %9.1f us  %8.1f cpu-us/task (here %6.1f,"
                        + " workers %6.1f, server %6.1f)%n",
                name,
                median(samples, Sample::tasksPerSecond),
                median(samples, Sample::p50Micros),
                median(samples, Sample::p99Micros),
                median(samples, Sample::cpuMicrosPerTask),
                median(samples, Sample::hereMicrosPerTask),
                median(samples, NatsWorkerPoolBenchmark::workersMicros),
                median(samples, Sample::brokerMicrosPerTask));
    }

    /** CPU µs per task of the workers or nodes: the side's total less this JVM's and the server's. */
    private static double workersMicros(Sample sample) {
        return sample.cpuMicrosPerTask() - sample.hereMicrosPerTask() - sample.brokerMicrosPerTask();
    }

    // ---- helpers ----------------------------------------------------------------------------------

    /** The online CPUs as {@code taskset -c} takes them ({@code 0-1}), from sysfs; "0" if unknown. */
    private static String onlineCpus() {
        try {
            return Files.readString(Path.of("/sys/devices/system/cpu/online")).strip();
        } catch (java.io.IOException e) {
            return "0";
        }
    }

    /** User + system CPU of the live processes {@code pids}, in jiffies (1/100 s), from /proc. */
    private static long cpuJiffies(List<Long> pids) {
        long sum = 0;
        for (long pid : pids) {
            if (pid <= 0) {
                continue;
            }
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                sum += Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime (fields 14, 15)
            } catch (java.io.IOException | RuntimeException e) {
                // gone or not Linux: not counted
            }
        }
        return sum;
    }

    private static double[] ratios(Sample[] ours, Sample[] baseline) {
        double[] ratios = new double[ours.length];
        for (int i = 0; i < ours.length; i++) {
            ratios[i] = ours[i].tasksPerSecond() / baseline[i].tasksPerSecond();
        }
        return ratios;
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static double median(Sample[] samples, ToDoubleFunction<Sample> value) {
        return Comparison.median(Arrays.stream(samples).mapToDouble(value).toArray());
    }

    private static String ratioText(double[] ratios) {
        return String.format(
                Locale.ROOT,
                "%.2f (min %.2f, max %.2f)",
                Comparison.median(ratios),
                Arrays.stream(ratios).min().orElseThrow(),
                Arrays.stream(ratios).max().orElseThrow());
    }
}
