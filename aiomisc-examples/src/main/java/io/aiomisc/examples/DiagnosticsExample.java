package io.aiomisc.examples;

import io.aiomisc.Entrypoint;
import io.aiomisc.service.MemoryTracer;
import io.aiomisc.service.Profiler;
import io.aiomisc.task.Task;
import io.aiomisc.thread.Threaded;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The README's "MemoryTracer" and "Profiler" sections, runnable: {@code bin/run-example diagnostics
 * [SECONDS] [PATH]}. For {@code SECONDS} (default 5) the program leaks on purpose — a list that
 * only grows, 10,000 {@link Leak}s every 100 ms — and counts primes in a hot loop on the entrypoint's
 * pool. A {@link MemoryTracer} logs every second which classes grew ({@code Leak} at the top, then
 * the list's array), and a {@link Profiler} logs every two seconds where the CPU time goes
 * ({@code countPrimes} and {@code isPrime}) and writes {@code PATH} (the JFR recording) and
 * {@code PATH.html} (the flame graph: open it in a browser). {@code PATH} defaults to
 * {@code profile.jfr} in a new temporary directory; the program prints where the files are and
 * ends. Ctrl+C (SIGINT) or SIGTERM stops it earlier (the profiler still writes its files).
 */
public final class DiagnosticsExample {
    private static final Logger log = LoggerFactory.getLogger(DiagnosticsExample.class);
    private static final int LEAKED_PER_TICK = 10_000;

    private DiagnosticsExample() {}

    /** What the program leaks: 48 bytes each, with no reference to anything else. */
    record Leak(long id, long created, long a, long b) {}

    /**
     * Runs the example.
     *
     * @param args {@code [SECONDS] [PATH]}: how long to leak and compute (default 5) and where the
     *             profiler writes (default: {@code profile.jfr} in a new temporary directory)
     * @throws Exception if the entrypoint fails to start
     */
    public static void main(String[] args) throws Exception {
        long seconds = args.length > 0 ? Long.parseLong(args[0]) : 5;
        if (seconds < 1) {
            throw new IllegalArgumentException("SECONDS must be at least 1: " + seconds);
        }
        Path path = args.length > 1
                ? Path.of(args[1])
                : Files.createTempDirectory("aiomisc-diagnostics-").resolve("profile.jfr");
        MemoryTracer tracer = new MemoryTracer(Duration.ofSeconds(1), 5); // a full GC a second: fine for a demo
        Profiler profiler = new Profiler(Duration.ofSeconds(2), 5, path);
        List<Leak> leaked = new ArrayList<>();
        try (Entrypoint entrypoint =
                Entrypoint.builder().services(tracer, profiler).start()) {
            entrypoint.runUntilComplete(() -> {
                long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
                Task<Long> primes = Threaded.threaded(() -> countPrimes(deadline));
                while (System.nanoTime() < deadline) {
                    long now = System.nanoTime();
                    for (int i = 0; i < LEAKED_PER_TICK; i++) {
                        leaked.add(new Leak(leaked.size(), now, i, -i));
                    }
                    Thread.sleep(100);
                }
                log.info("Leaked {} objects; counted {} primes", leaked.size(), primes.await());
                return null;
            });
        } catch (CancellationException stoppedBySignal) {
            log.info("Diagnostics example stopped before the end");
        }
        // the entrypoint is closed: the profiler has written its files at its stop
        System.out.println("Recording:   " + path.toAbsolutePath() + " (jfr print, JDK Mission Control)");
        System.out.println("Flame graph: " + path.toAbsolutePath() + ".html (open it in a browser)");
    }

    /**
     * The hot loop the profiler finds: counts primes until {@code deadline} ({@link System#nanoTime()})
     * or an interrupt (the entrypoint's stop).
     */
    static long countPrimes(long deadline) {
        long found = 0;
        for (long n = 2; System.nanoTime() < deadline && !Thread.currentThread().isInterrupted(); n++) {
            if (isPrime(n)) {
                found++;
            }
        }
        return found;
    }

    /** Trial division: slow on purpose. */
    static boolean isPrime(long n) {
        for (long d = 2; d * d <= n; d++) {
            if (n % d == 0) {
                return false;
            }
        }
        return true;
    }
}
