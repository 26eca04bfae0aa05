package io.aiomisc.benchmarks;

import com.sun.management.OperatingSystemMXBean;
import io.aiomisc.worker.WorkerPool;
import io.aiomisc.worker.WorkerTask;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * {@link WorkerPool}, issue 12's two performance targets, measured in one run:
 * <ol>
 * <li><b>Round trips</b> of a tiny task (it returns its argument) from {@code C} concurrent
 *     callers (platform threads, each waiting for its task before it sends the next): through a
 *     {@code WorkerPool} with 2 workers, started before the rounds, against a fresh JVM per task —
 *     {@link ProcessBuilder} starts {@code java} with the task serialized in its argument, the
 *     child deserializes it, runs it and prints its serialized result, the caller reads that and
 *     waits for the exit. Printed per side: tasks/s, p50 and p99 latency, and CPU per task of
 *     every process involved (this JVM and the workers, or this JVM and the children). Ratio:
 *     tasks/s ours / theirs. Target ≥ 100.
 * <li><b>Cold start</b>: {@code new WorkerPool(4)} until its first task's result is back (its
 *     {@code close()} is not timed), in this warm JVM, against one {@code java -version} started
 *     by this JVM and waited for. Ratio: pool ms / {@code java -version} ms. Target ≤ 3.
 * </ol>
 *
 * <p>Fairness: the per-task JVMs get the start-up help the workers get — the same {@code java},
 * class path, serial collector and an application class-data-sharing archive of their own, made
 * by the unmeasured warm-up tasks ({@code -XX:+AutoCreateSharedArchive}) — and do less than a
 * worker: no socket, no handshake, no filter. The task and its result travel serialized both
 * ways on both sides. {@code java -version} gets the JDK's default CDS archive.
 *
 * <p>Method (same-core pinning, interleaved rounds, repeats; see {@link Comparison}): the two
 * sides of each comparison alternate within a round (reversed every other round), each
 * round-trip side is warmed up before it is measured, the cold-start sides run one unmeasured
 * round first (it makes the workers' archive), and every ratio is reported as the median over the
 * rounds with min and max; a round in which other processes used more than
 * {@link Comparison#MAX_OTHER_LOAD} of a core is measured again, up to three times (not in the
 * short mode). The child JVMs inherit this JVM's CPU affinity: under the run script's
 * {@code taskset} everything runs on one core.
 *
 * <p>Class path: started with a directory on its class path (the run script's
 * {@code target/classes}), the benchmark runs itself again with jars only, as an application is
 * deployed, so that the workers get their class-data-sharing archive (the JDK archives no
 * directory).
 *
 * <p>Run: {@code aiomisc-benchmarks/run WorkerPoolBenchmark [short] [rounds] [callers...]}
 * (defaults: 7 rounds, callers 2 and 8). {@code short} (or {@code WORKER_BENCH_SHORT=1}) is a
 * quick check that it works: 2 rounds, short windows, few per-task JVMs, one caller count (4),
 * no re-measuring; its figures are not the ones to report.
 */
public final class WorkerPoolBenchmark {
    private static final int ROUND_TRIP_WORKERS = 2;
    private static final int COLD_START_WORKERS = 4;

    private WorkerPoolBenchmark() {}

    /** The tiny task: returns its argument. A record: serializable, and an application class. */
    record Echo(long value) implements WorkerTask<Long> {
        @Override
        public Long call() {
            return value;
        }
    }

    /**
     * The per-task JVM's main: deserializes the task from its argument (Base64), runs it, prints
     * its serialized result (Base64) on stdout.
     */
    static final class PerTaskMain {
        private PerTaskMain() {}

        public static void main(String[] args) throws Exception {
            Object task;
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(
                    Base64.getDecoder().decode(args[0].getBytes(StandardCharsets.ISO_8859_1))))) {
                task = in.readObject();
            }
            Object result = ((Callable<?>) task).call();
            System.out.print(Base64.getEncoder().encodeToString(serialize(result)));
            System.out.flush();
        }
    }

    /** The run's settings. */
    private record Settings(
            boolean isShort,
            int rounds,
            List<Integer> callers,
            long warmupNanos,
            long windowNanos,
            int perTaskJvmTasks,
            int perTaskJvmWarmup) {
        static Settings parse(String[] args) {
            List<String> rest = new ArrayList<>(Arrays.asList(args));
            boolean isShort = "1".equals(System.getenv("WORKER_BENCH_SHORT"));
            if (!rest.isEmpty() && rest.get(0).equals("short")) {
                isShort = true;
                rest.remove(0);
            }
            int rounds = rest.isEmpty() ? (isShort ? 2 : 7) : positive("rounds", rest.remove(0));
            List<Integer> callers = new ArrayList<>();
            for (String c : rest) {
                callers.add(positive("callers", c));
            }
            if (callers.isEmpty()) {
                callers.addAll(isShort ? List.of(4) : List.of(2, 8));
            }
            return isShort
                    ? new Settings(true, rounds, callers, millis(300), millis(500), 4, 2)
                    : new Settings(false, rounds, callers, millis(2000), millis(3000), 24, 4);
        }

        private static int positive(String name, String value) {
            int parsed;
            try {
                parsed = Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " must be a positive integer: " + value, e);
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

    /** One measured side of one round. */
    private record Sample(
            long tasks,
            double tasksPerSecond,
            double p50Micros,
            double p99Micros,
            double cpuMicrosPerTask,
            double other) {}

    /** One caller's round trip: sends task {@code value}, returns the answer. */
    @FunctionalInterface
    private interface RoundTrip {
        long call(long value) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.parse(args);
        List<String> classPath = List.of(System.getProperty("java.class.path").split(File.pathSeparator));
        if (classPath.stream().anyMatch(entry -> Files.isDirectory(Path.of(entry)))) {
            System.exit(againWithJarsOnly(classPath, args));
        }
        Path work = Files.createTempDirectory("aiomisc-worker-bench");
        try {
            System.out.printf(
                    Locale.ROOT,
                    "WorkerPoolBenchmark%s: %d rounds, callers %s, %d processors%n",
                    settings.isShort() ? " (short mode: a check that it works, not figures to report)" : "",
                    settings.rounds(),
                    settings.callers(),
                    Runtime.getRuntime().availableProcessors());
            List<String> summary = new ArrayList<>();
            roundTrips(settings, work, summary);
            coldStart(settings, summary);
            System.out.println();
            summary.forEach(System.out::println);
        } finally {
            try (Stream<Path> files = Files.walk(work)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    /**
     * Runs this benchmark again in a child JVM (same options and arguments, this JVM's CPU
     * affinity) whose class path has each directory of {@code classPath} replaced by a jar of it, as
     * in a deployment: the JDK archives no class path with a directory in it, so workers started
     * from {@code target/classes} would run without the application class-data-sharing archive they
     * get in production. The jars sit next to their directories, under a fixed name, so that the
     * workers' archive (keyed by the class path) is reused from one run to the next.
     *
     * <p>LEAN: the class path keeps only what this benchmark uses (its own classes, aiomisc-core,
     * slf4j and Logback), as a small service's would; {@code WORKER_BENCH_CLASSPATH=full} keeps
     * the module's whole class path (33 jars: JMH, Netty, Guava, Kotlin...). The difference shows in
     * the cold start: a worker's first deserialization initializes {@code ObjectInputFilter.Config},
     * which asks for a {@code System.Logger}, and the JDK looks for logger providers (and, at the
     * first socket, for selector providers) in every jar of the class path; with 33 jars that scan
     * costs a worker about 100 ms of CPU that {@code java -version} never pays.
     *
     * @return the child's exit status
     */
    private static final java.util.regex.Pattern NEEDED_JARS =
            java.util.regex.Pattern.compile("(aiomisc-core|slf4j-api|logback-classic|logback-core)-.*\\.jar");

    private static int againWithJarsOnly(List<String> classPath, String[] args) throws Exception {
        boolean full = "full".equals(System.getenv("WORKER_BENCH_CLASSPATH"));
        List<String> jarsOnly = new ArrayList<>();
        for (String entry : classPath) {
            Path path = Path.of(entry);
            if (!full
                    && !Files.isDirectory(path)
                    && !NEEDED_JARS.matcher(path.getFileName().toString()).matches()) {
                continue; // not needed by this benchmark: see LEAN in the Javadoc
            }
            if (Files.isDirectory(path)) {
                Path jar = path.toAbsolutePath().resolveSibling(path.getFileName() + "-worker-pool-benchmark.jar");
                jar(path, jar);
                jarsOnly.add(jar.toString());
            } else {
                jarsOnly.add(entry);
            }
        }
        List<String> command = new ArrayList<>();
        command.add(javaBinary());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.add("-cp");
        command.add(String.join(File.pathSeparator, jarsOnly));
        command.add(WorkerPoolBenchmark.class.getName());
        command.addAll(Arrays.asList(args));
        System.out.println("(class path with directories: running again with jars only, see the Javadoc)");
        System.out.flush();
        return new ProcessBuilder(command).inheritIO().start().waitFor();
    }

    /** Writes the files under {@code directory} into {@code jar}. */
    private static void jar(Path directory, Path jar) throws IOException {
        try (OutputStream file = Files.newOutputStream(jar);
                JarOutputStream out = new JarOutputStream(file);
                Stream<Path> files = Files.walk(directory)) {
            for (Path path : files.filter(Files::isRegularFile).sorted().toList()) {
                String name = directory.relativize(path).toString().replace(File.separatorChar, '/');
                out.putNextEntry(new JarEntry(name));
                Files.copy(path, out);
                out.closeEntry();
            }
        }
    }

    // ---- 1. round trips ---------------------------------------------------------------------------

    private static void roundTrips(Settings settings, Path work, List<String> summary) throws Exception {
        List<String> perTaskCommand = List.of(
                javaBinary(),
                "-XX:+UseSerialGC",
                "-XX:SharedArchiveFile=" + work.resolve("per-task.jsa"),
                "-XX:+AutoCreateSharedArchive",
                "-Xlog:cds=off,cds+dynamic=off",
                "-cp",
                System.getProperty("java.class.path"),
                PerTaskMain.class.getName());
        // warm-up runs, not measured: they make the per-task JVMs' archive and warm the file cache
        for (int i = 0; i < settings.perTaskJvmWarmup(); i++) {
            perTaskJvm(perTaskCommand, i);
        }
        try (WorkerPool pool = new WorkerPool(ROUND_TRIP_WORKERS)) {
            pool.start();
            for (int callers : settings.callers()) {
                roundTrips(settings, pool, perTaskCommand, callers, summary);
            }
        }
    }

    private static void roundTrips(
            Settings settings, WorkerPool pool, List<String> perTaskCommand, int callers, List<String> summary)
            throws Exception {
        String title = "worker round trips, " + callers + " callers";
        String ours = "WorkerPool(" + ROUND_TRIP_WORKERS + ")";
        String theirs = "a fresh JVM per task";
        int perCaller = Math.max(1, settings.perTaskJvmTasks() / callers);
        System.out.printf(
                Locale.ROOT,
                "%n== %s: a task returning its argument (%d rounds; ours: warm-up %d ms, window %d ms; theirs: %d"
                        + " tasks per round)%n",
                title,
                settings.rounds(),
                TimeUnit.NANOSECONDS.toMillis(settings.warmupNanos()),
                TimeUnit.NANOSECONDS.toMillis(settings.windowNanos()),
                perCaller * callers);
        RoundTrip viaPool = value -> pool.createTask(new Echo(value)).await();
        RoundTrip viaJvm = value -> perTaskJvm(perTaskCommand, value);
        Sample[][] samples = new Sample[2][settings.rounds()];
        for (int round = 0; round < settings.rounds(); round++) {
            for (int side : Comparison.order(2, round)) {
                Callable<Sample> measure = side == 0
                        ? () -> {
                            run(callers, viaPool, settings.warmupNanos(), Long.MAX_VALUE, null);
                            return run(callers, viaPool, settings.windowNanos(), Long.MAX_VALUE, pool);
                        }
                        // no warm-up: every task is a fresh JVM (the warm-up runs made its archive)
                        : () -> run(callers, viaJvm, Long.MAX_VALUE, (long) perCaller * callers, null);
                Sample sample = settings.isShort() ? measure.call() : Comparison.quietly(measure, Sample::other);
                samples[side][round] = sample;
                System.out.printf(
                        Locale.ROOT,
                        "  round %d  %-22s %10.1f tasks/s  p50 %10.1f us  p99 %10.1f us  %10.1f cpu-us/task  (%d"
                                + " tasks; other load %.2f cores)%n",
                        round + 1,
                        side == 0 ? ours : theirs,
                        sample.tasksPerSecond(),
                        sample.p50Micros(),
                        sample.p99Micros(),
                        sample.cpuMicrosPerTask(),
                        sample.tasks(),
                        sample.other());
            }
        }
        double[] ratios = new double[settings.rounds()];
        for (int round = 0; round < settings.rounds(); round++) {
            ratios[round] = samples[0][round].tasksPerSecond() / samples[1][round].tasksPerSecond();
            Comparison.printRoundRatio(title, ours, theirs, ratios[round]);
        }
        for (int side = 0; side < 2; side++) {
            System.out.printf(
                    Locale.ROOT,
                    "  %-22s medians: %10.1f tasks/s  p50 %10.1f us  p99 %10.1f us  %10.1f cpu-us/task%n",
                    side == 0 ? ours : theirs,
                    median(samples[side], Sample::tasksPerSecond),
                    median(samples[side], Sample::p50Micros),
                    median(samples[side], Sample::p99Micros),
                    median(samples[side], Sample::cpuMicrosPerTask));
        }
        String ratio = ratioText(ratios);
        System.out.printf(Locale.ROOT, "  RATIO %s / %s (tasks/s) = %s%n", ours, theirs, ratio);
        summary.add(String.format(
                Locale.ROOT,
                "SUMMARY %s: %s x %s in tasks/s (target >= 100); p50 %.0f us vs %.0f us",
                title,
                ratio,
                theirs,
                median(samples[0], Sample::p50Micros),
                median(samples[1], Sample::p50Micros)));
    }

    /**
     * {@code callers} platform threads each make round trips until {@code windowNanos} has passed
     * or {@code maxTasks} tasks have been sent in all; returns the rate over the time until the
     * last caller finished, the latency percentiles, and the CPU per task of this JVM, its finished
     * children and {@code pool}'s workers.
     */
    private static Sample run(int callers, RoundTrip roundTrip, long windowNanos, long maxTasks, WorkerPool pool)
            throws Exception {
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        List<Long> workerPids = pool == null ? List.of() : List.copyOf(pool.pids());
        long[] machineBefore = Comparison.machineCpuJiffies();
        long cpuBefore = os.getProcessCpuTime();
        long childrenBefore = StartupBenchmark.childrenCpuJiffies();
        long workersBefore = cpuJiffies(workerPids);
        AtomicLong sent = new AtomicLong();
        long[][] latencies = new long[callers][];
        int[] counts = new int[callers];
        Throwable[] failures = new Throwable[callers];
        Thread[] threads = new Thread[callers];
        long start = System.nanoTime();
        long end = windowNanos == Long.MAX_VALUE ? Long.MAX_VALUE : start + windowNanos;
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
        long childJiffies =
                StartupBenchmark.childrenCpuJiffies() - childrenBefore + cpuJiffies(workerPids) - workersBefore;
        long allCpuNanos = cpuNanos + childJiffies * 10_000_000L;
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
                allCpuNanos / 1e3 / Math.max(1, total),
                Comparison.otherLoad(machineBefore, Comparison.machineCpuJiffies(), allCpuNanos, elapsed));
    }

    /** One task in a fresh JVM: start it, read its answer, wait for its exit. */
    private static long perTaskJvm(List<String> command, long value) throws Exception {
        List<String> line = new ArrayList<>(command);
        line.add(Base64.getEncoder().encodeToString(serialize(new Echo(value))));
        Process process = new ProcessBuilder(line)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("a per-task JVM still runs after 60 s");
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("a per-task JVM exited with status " + process.exitValue());
        }
        try (ObjectInputStream in = new ObjectInputStream(
                new ByteArrayInputStream(Base64.getDecoder().decode(out)))) {
            return (Long) in.readObject();
        }
    }

    // ---- 2. cold start ----------------------------------------------------------------------------

    private static void coldStart(Settings settings, List<String> summary) throws Exception {
        String title = "worker pool cold start";
        String ours = "new WorkerPool(" + COLD_START_WORKERS + ") to first result";
        String theirs = "java -version";
        int rounds = settings.rounds();
        System.out.printf(
                Locale.ROOT, "%n== %s: %s against %s (%d rounds, one unmeasured first)%n", title, ours, theirs, rounds);
        coldPool();
        javaVersion();
        double[][] millis = new double[2][rounds];
        for (int round = 0; round < rounds; round++) {
            long[] machineBefore = Comparison.machineCpuJiffies();
            OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long cpuBefore = os.getProcessCpuTime();
            long childrenBefore = StartupBenchmark.childrenCpuJiffies();
            long start = System.nanoTime();
            for (int side : Comparison.order(2, round)) {
                millis[side][round] = side == 0 ? coldPool() : javaVersion();
            }
            long elapsed = System.nanoTime() - start;
            long cpu = os.getProcessCpuTime()
                    - cpuBefore
                    + (StartupBenchmark.childrenCpuJiffies() - childrenBefore) * 10_000_000L;
            System.out.printf(
                    Locale.ROOT,
                    "  round %2d  pool %7.1f ms  java -version %7.1f ms  ratio %5.2f   (rest of the machine: %.2f"
                            + " cores)%n",
                    round + 1,
                    millis[0][round],
                    millis[1][round],
                    millis[0][round] / millis[1][round],
                    Comparison.otherLoad(machineBefore, Comparison.machineCpuJiffies(), cpu, elapsed));
        }
        double[] ratios = new double[rounds];
        for (int round = 0; round < rounds; round++) {
            ratios[round] = millis[0][round] / millis[1][round];
            Comparison.printRoundRatio(title, ours, theirs, ratios[round]);
        }
        String ratio = ratioText(ratios);
        System.out.printf(
                Locale.ROOT,
                "  %s: median %.1f ms (min %.1f, max %.1f); %s: median %.1f ms (min %.1f, max %.1f)%n",
                ours,
                Comparison.median(millis[0]),
                Arrays.stream(millis[0]).min().orElseThrow(),
                Arrays.stream(millis[0]).max().orElseThrow(),
                theirs,
                Comparison.median(millis[1]),
                Arrays.stream(millis[1]).min().orElseThrow(),
                Arrays.stream(millis[1]).max().orElseThrow());
        System.out.printf(Locale.ROOT, "  RATIO %s / %s = %s%n", ours, theirs, ratio);
        summary.add(String.format(
                Locale.ROOT,
                "SUMMARY %s: %s x %s (target <= 3; lower is better); %.1f ms vs %.1f ms",
                title,
                ratio,
                theirs,
                Comparison.median(millis[0]),
                Comparison.median(millis[1])));
    }

    /** Milliseconds from {@code new WorkerPool(4)} until its first task's result is back; closes the pool. */
    private static double coldPool() throws Exception {
        long start = System.nanoTime();
        double millis;
        try (WorkerPool pool = new WorkerPool(COLD_START_WORKERS)) {
            long answer = pool.createTask(new Echo(7)).await();
            millis = (System.nanoTime() - start) / 1e6;
            if (answer != 7) {
                throw new IllegalStateException("sent 7, got " + answer);
            }
        }
        return millis;
    }

    /** Milliseconds from starting {@code java -version} until it has exited. */
    private static double javaVersion() throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(javaBinary(), "-version")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        long start = System.nanoTime();
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("java -version still runs after 60 s");
        }
        double millis = (System.nanoTime() - start) / 1e6;
        if (process.exitValue() != 0) {
            throw new IllegalStateException("java -version exited with status " + process.exitValue());
        }
        return millis;
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static byte[] serialize(Object value) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        return bytes.toByteArray();
    }

    /** User + system CPU of the live processes {@code pids}, in jiffies (1/100 s), from /proc. */
    private static long cpuJiffies(List<Long> pids) {
        long sum = 0;
        for (long pid : pids) {
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                sum += Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime (fields 14, 15)
            } catch (IOException | RuntimeException e) {
                // gone or not Linux: not counted
            }
        }
        return sum;
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static double median(Sample[] samples, java.util.function.ToDoubleFunction<Sample> value) {
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
