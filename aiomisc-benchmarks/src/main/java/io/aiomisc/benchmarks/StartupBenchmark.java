package io.aiomisc.benchmarks;

import io.aiomisc.Entrypoint;
import io.aiomisc.Service;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * Start-up time: the wall time from starting a JVM process until it has exited, for
 * <ol type="a">
 * <li>a bare JVM printing "hello" (the baseline),
 * <li>an {@link Entrypoint} with one trivial service, started and closed, with aiomisc-core and
 *     slf4j-api only on the class path (no logging module: SLF4J's no-op logger),
 * <li>the same with aiomisc-log (Logback, aiomisc's formats, the entrypoint's log configuration),
 * <li>(c) with a JDK AOT cache ({@code -XX:AOTCache}, JEP 483/514/515; JDK 25+), made once by a
 *     training run of (c) before the rounds.
 * </ol>
 * Printed: per side the median wall time and the median CPU time of the child (user + system,
 * all its threads), and the ratio of each side's time to (a)'s, median over the rounds with min
 * and max. Target (issue 10): (c) at most 5.4 × (a).
 *
 * <p>Method (same-core pinning, interleaved rounds, repeats; see {@link Comparison}): every side is a fresh child JVM with default options,
 * its output discarded (so standard error is not a terminal: aiomisc-log's default format is
 * {@code plain}); the sides are interleaved within each round, in the order a, b, c, d and
 * reversed every other round; two unmeasured rounds first warm the file cache. The children
 * inherit this JVM's CPU affinity, so under the run script's {@code taskset} they run on the same
 * core as each other. Each round prints the cores the rest of the machine used during it; rerun
 * when that is far above 0. The children's class paths are jars only (an AOT cache refuses
 * directories): the child classes are written into a jar of their own, the libraries are the jars
 * of this JVM's class path.
 *
 * <p>Run: {@code aiomisc-benchmarks/run StartupBenchmark [rounds]} (default 15 rounds), after
 * {@code bin/run-tests} or {@code ./mvnw install -DskipTests}.
 */
public final class StartupBenchmark {
    private static final List<String> CORE = List.of("aiomisc-core-", "slf4j-api-");
    private static final List<String> LOG = List.of(
            "aiomisc-core-",
            "slf4j-api-",
            "aiomisc-log-",
            "logback-classic-",
            "logback-core-",
            "jackson-core-",
            "jul-to-slf4j-");

    private StartupBenchmark() {}

    /** (a): a bare JVM. */
    static final class Hello {
        private Hello() {}

        public static void main(String[] args) {
            System.out.println("hello");
        }
    }

    /** (b), (c), (d): an entrypoint with one trivial service, started and closed. */
    static final class OneService {
        private OneService() {}

        /** Does nothing. */
        static final class Trivial extends Service {
            @Override
            public void start() {}
        }

        public static void main(String[] args) throws Exception {
            try (Entrypoint entrypoint =
                    Entrypoint.builder().services(new Trivial()).start()) {
                System.out.println("started");
            }
        }
    }

    /** One side: a child JVM command line. */
    record Side(String name, List<String> command) {}

    /** One child run: wall and CPU time in milliseconds. */
    private record Run(double wallMillis, double cpuMillis) {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        Path work = Files.createTempDirectory("aiomisc-startup");
        try {
            run(rounds, work);
        } finally {
            try (Stream<Path> files = Files.walk(work)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    private static void run(int rounds, Path work) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path children = childJar(work.resolve("startup-children.jar"));
        String hello = Hello.class.getName();
        String oneService = OneService.class.getName();
        List<Side> sides = new ArrayList<>();
        sides.add(new Side("(a) bare JVM, hello world", List.of(java, "-cp", children.toString(), hello)));
        sides.add(new Side("(b) entrypoint, core only", List.of(java, "-cp", classPath(children, CORE), oneService)));
        String withLog = classPath(children, LOG);
        sides.add(new Side("(c) entrypoint + aiomisc-log", List.of(java, "-cp", withLog, oneService)));
        Path cache = work.resolve("startup.aot");
        if (Runtime.version().feature() >= 25) {
            Run training = time(List.of(java, "-XX:AOTCacheOutput=" + cache, "-cp", withLog, oneService));
            time(List.of(
                    java, "-XX:AOTMode=on", "-XX:AOTCache=" + cache, "-cp", withLog, oneService)); // fails if unusable
            System.out.printf(
                    Locale.ROOT,
                    "AOT cache: %d KiB, made by a training run of %.0f ms%n",
                    Files.size(cache) / 1024,
                    training.wallMillis());
            sides.add(new Side(
                    "(d) entrypoint + aiomisc-log + AOT cache",
                    List.of(java, "-XX:AOTCache=" + cache, "-cp", withLog, oneService)));
        } else {
            System.out.println("JDK " + Runtime.version().feature() + ": no AOT cache (JDK 25+), side (d) left out");
        }
        System.out.printf(
                Locale.ROOT,
                "%n== start-up: process start to exit, entrypoint with one trivial service (%d rounds)%n",
                rounds);
        for (int warmup = 0; warmup < 2; warmup++) {
            for (Side side : sides) {
                time(side.command());
            }
        }
        double[][] wall = new double[sides.size()][rounds];
        double[][] cpu = new double[sides.size()][rounds];
        for (int round = 0; round < rounds; round++) {
            long[] machineBefore = Comparison.machineCpuJiffies();
            long childrenBefore = childrenCpuJiffies();
            long start = System.nanoTime();
            for (int index : Comparison.order(sides.size(), round)) {
                Run run = time(sides.get(index).command());
                wall[index][round] = run.wallMillis();
                cpu[index][round] = run.cpuMillis();
            }
            long elapsed = System.nanoTime() - start;
            long childrenCpuNanos = (childrenCpuJiffies() - childrenBefore) * 10_000_000L;
            double other =
                    Comparison.otherLoad(machineBefore, Comparison.machineCpuJiffies(), childrenCpuNanos, elapsed);
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  round %2d ", round + 1));
            for (int s = 0; s < sides.size(); s++) {
                line.append(String.format(Locale.ROOT, " %c %6.1f ms", 'a' + s, wall[s][round]));
            }
            System.out.println(line.append(String.format(Locale.ROOT, "   (rest of the machine: %.2f cores)", other)));
        }
        System.out.println();
        for (int s = 0; s < sides.size(); s++) {
            System.out.printf(
                    Locale.ROOT,
                    "  %-44s %7.1f ms wall, %7.1f ms cpu (medians)%n",
                    sides.get(s).name(),
                    Comparison.median(wall[s]),
                    Comparison.median(cpu[s]));
        }
        String title = "start-up time";
        double withLogRatio = Double.NaN;
        for (int s = 1; s < sides.size(); s++) {
            double[] ratios = new double[rounds];
            for (int round = 0; round < rounds; round++) {
                ratios[round] = wall[s][round] / wall[0][round];
                Comparison.printRoundRatio(
                        title, sides.get(s).name(), sides.get(0).name(), ratios[round]);
            }
            double median = Comparison.median(ratios);
            if (s == 2) {
                withLogRatio = median;
            }
            System.out.printf(
                    Locale.ROOT,
                    "  RATIO %s / %s = %.2f (min %.2f, max %.2f)%n",
                    sides.get(s).name(),
                    sides.get(0).name(),
                    median,
                    Arrays.stream(ratios).min().orElseThrow(),
                    Arrays.stream(ratios).max().orElseThrow());
        }
        System.out.printf(
                Locale.ROOT,
                "%nSUMMARY: with aiomisc-log %.2f x a bare JVM (target <= 5.4; lower is better)%n",
                withLogRatio);
    }

    /** Runs {@code command} to its end, output discarded; fails if it exits with an error. */
    private static Run time(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        long cpuBefore = childrenCpuJiffies();
        long start = System.nanoTime();
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("still running after 60 s: " + command);
        }
        double wall = (System.nanoTime() - start) / 1e6;
        if (process.exitValue() != 0) {
            throw new IllegalStateException("exit status " + process.exitValue() + ": " + String.join(" ", command));
        }
        return new Run(wall, (childrenCpuJiffies() - cpuBefore) * 10.0);
    }

    /**
     * The user + system CPU time of this process's children that have exited and been waited for,
     * in jiffies (1/100 s), from /proc/self/stat; 0 where there is none.
     */
    static long childrenCpuJiffies() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[13]) + Long.parseLong(fields[14]); // cutime, cstime (fields 16, 17)
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** The child classes in a jar of their own (an AOT cache takes no directories on the class path). */
    private static Path childJar(Path jar) throws IOException {
        try (OutputStream file = Files.newOutputStream(jar);
                JarOutputStream out = new JarOutputStream(file)) {
            for (Class<?> type : List.of(Hello.class, OneService.class, OneService.Trivial.class)) {
                String name = type.getName().replace('.', '/') + ".class";
                out.putNextEntry(new JarEntry(name));
                try (InputStream in = StartupBenchmark.class.getClassLoader().getResourceAsStream(name)) {
                    if (in == null) {
                        throw new IOException("class file not found: " + name);
                    }
                    in.transferTo(out);
                }
                out.closeEntry();
            }
        }
        return jar;
    }

    /** {@code first}, then the jars of this JVM's class path whose names start with one of {@code prefixes}. */
    private static String classPath(Path first, List<String> prefixes) {
        List<String> entries = new ArrayList<>();
        entries.add(first.toString());
        for (String prefix : prefixes) {
            String found = null;
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                String name = Path.of(entry).getFileName().toString();
                if (name.startsWith(prefix) && name.endsWith(".jar")) {
                    found = entry;
                    break;
                }
            }
            if (found == null) {
                throw new IllegalStateException("no " + prefix + "*.jar on the class path; build with "
                        + "./mvnw install -DskipTests (aiomisc-benchmarks/target/lib)");
            }
            entries.add(found);
        }
        return String.join(File.pathSeparator, entries);
    }
}
