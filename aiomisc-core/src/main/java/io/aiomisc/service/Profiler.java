package io.aiomisc.service;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.ReentrantLock;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples what the program's threads execute and reports where the time goes: aiomisc's
 * {@code Profiler}, on Java Flight Recorder. From start to stop, a JFR {@link RecordingStream}
 * takes an execution sample of every running Java thread every {@value #SAMPLE_PERIOD_MS} ms; the
 * samples accumulate (as aiomisc's, they are not reset), and every {@code interval} (the first one
 * interval after the start) one INFO record lists the top {@code topResults} methods by self
 * samples (the method itself was running) and by total samples (it was on the stack):
 *
 * <pre>
 * Profile: 1520 samples
 * Top 3 by self samples:
 *    self%   self  total%  total  method
 *    61.2%    930   61.2%    930  com.example.Codec.crc32
 * ...
 * </pre>
 *
 * <p><b>Files.</b> With a {@code path}, every report and the stop also write {@code path} (the
 * JFR recording of the samples so far, for JDK Mission Control or {@code jfr print}) and
 * {@code path + ".html"}: a self-contained flame graph (callers below, callees above, width =
 * samples; click to zoom, Escape to reset, a search box) that any browser shows without network.
 * The recording keeps the most recent 64 MiB of samples; the logged tables and the flame graph
 * count every sample since the start.
 * Each file is written beside its target and moved into place, so a reader never sees half a file.
 *
 * <p><b>Cost.</b> JFR's sampler pauses no thread (it walks stacks of suspended threads one at a
 * time); the overhead on a CPU-bound program is around one percent. Blocked and waiting threads
 * are not sampled: this is a CPU profile.
 */
public class Profiler extends PeriodicService {
    /** The sampling period, in milliseconds: {@value}. */
    public static final long SAMPLE_PERIOD_MS = 20;

    private static final Logger log = LoggerFactory.getLogger(Profiler.class);
    private static final String EVENT = "jdk.ExecutionSample";
    private static final long MAX_RECORDING_BYTES = 64L * 1024 * 1024;

    private final int topResults;
    private final Path path;
    private final ReentrantLock lock = new ReentrantLock();
    private CallTree tree = new CallTree(); // guarded by lock
    private RecordingStream stream; // guarded by lock

    /**
     * A profiler reporting every {@code interval}.
     *
     * @param interval   the time between two reports; positive (aiomisc's default: 10 s)
     * @param topResults how many methods each table lists; 1 or more (aiomisc's default: 10)
     * @param path       where to write the JFR recording ({@code path}) and the flame graph
     *                   ({@code path.html}); null to only log
     * @throws IllegalArgumentException naming the value if {@code interval} is not positive or
     *                                  {@code topResults} is below 1
     * @throws NullPointerException     if {@code interval} is null
     */
    public Profiler(Duration interval, int topResults, Path path) {
        super(interval, interval);
        if (topResults < 1) {
            throw new IllegalArgumentException("topResults must be at least 1: " + topResults);
        }
        this.topResults = topResults;
        this.path = path;
    }

    /**
     * Starts sampling, then the periodic reports. Does not block beyond starting JFR.
     *
     * @throws IllegalStateException if the profiler already runs, or JFR is not available
     */
    @Override
    public void start() {
        RecordingStream created = new RecordingStream();
        try {
            created.enable(EVENT)
                    .withPeriod(Duration.ofMillis(SAMPLE_PERIOD_MS))
                    .withStackTrace();
            created.setMaxSize(MAX_RECORDING_BYTES); // the .jfr keeps the most recent samples; the tree keeps all
            created.onEvent(EVENT, this::sample);
            lock.lock();
            try {
                if (stream != null) {
                    throw new IllegalStateException("Profiler is already running");
                }
                tree = new CallTree();
                stream = created;
            } finally {
                lock.unlock();
            }
            created.startAsync();
        } catch (RuntimeException e) {
            created.close();
            lock.lock();
            try {
                if (stream == created) {
                    stream = null;
                }
            } finally {
                lock.unlock();
            }
            throw e;
        }
        super.start();
        log.info(
                "Profiler started: a sample every {} ms, a report every {}{}",
                SAMPLE_PERIOD_MS,
                interval(),
                path == null ? "" : ", written to " + path + " and " + htmlPath());
    }

    /**
     * Stops the reports, stops sampling (the samples still in JFR's buffers are counted), logs the
     * last report and writes the files. Blocks until JFR has delivered its last samples.
     */
    @Override
    public void stop(Throwable exception) throws InterruptedException {
        super.stop(exception);
        RecordingStream running;
        lock.lock();
        try {
            running = stream;
        } finally {
            lock.unlock();
        }
        if (running == null) {
            return;
        }
        try {
            running.stop(); // delivers what is buffered to sample() before returning
            report(running);
        } finally {
            running.close();
            lock.lock();
            try {
                stream = null;
            } finally {
                lock.unlock();
            }
        }
        log.info("Profiler stopped");
    }

    @Override
    protected void callback() {
        RecordingStream running;
        lock.lock();
        try {
            running = stream;
        } finally {
            lock.unlock();
        }
        if (running != null) {
            report(running);
        }
    }

    private void sample(RecordedEvent event) {
        RecordedStackTrace trace = event.getStackTrace();
        if (trace == null) {
            return;
        }
        List<RecordedFrame> frames = trace.getFrames();
        List<String> names = new ArrayList<>(frames.size());
        for (RecordedFrame frame : frames) {
            if (frame.isJavaFrame()) {
                names.add(name(frame.getMethod()));
            }
        }
        lock.lock();
        try {
            tree.add(names);
        } finally {
            lock.unlock();
        }
    }

    private static String name(RecordedMethod method) {
        return method.getType().getName() + "." + method.getName();
    }

    private void report(RecordingStream running) {
        String text;
        String html = null;
        lock.lock();
        try {
            text = text(tree, topResults);
            if (path != null) {
                html = FlameGraph.html(
                        "Profile of " + ProcessHandle.current().pid() + " (" + tree.samples() + " samples)", tree);
            }
        } finally {
            lock.unlock();
        }
        log.info("{}", text);
        if (path != null) {
            Path jfr = sibling(path, ".tmp");
            Path page = sibling(htmlPath(), ".tmp");
            try {
                running.dump(jfr);
                Files.move(jfr, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                Files.writeString(page, html, StandardCharsets.UTF_8);
                Files.move(page, htmlPath(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException | RuntimeException e) {
                deleteIfExists(jfr);
                deleteIfExists(page);
                if (Thread.currentThread().isInterrupted()) {
                    // the stop interrupts a running report (its channels close); the stop's own report writes the files
                    log.debug("Profiler report interrupted before {} was written: {}", path, e.toString());
                } else {
                    log.warn("Profiler cannot write {}: {}", path, e.toString());
                }
            }
        }
    }

    /** The logged report: the sample count, then the top methods by self and by total samples. */
    static String text(CallTree tree, int topResults) {
        long samples = tree.samples();
        StringBuilder out = new StringBuilder();
        out.append("Profile: ").append(samples).append(" samples");
        table(out, "self", tree.top(topResults, true), samples);
        table(out, "total", tree.top(topResults, false), samples);
        return out.toString();
    }

    private static void table(StringBuilder out, String order, List<CallTree.MethodSamples> rows, long samples) {
        out.append("\nTop ").append(rows.size()).append(" by ").append(order).append(" samples:\n");
        out.append(String.format(Locale.ROOT, "%8s %7s %7s %7s  %s", "self%", "self", "total%", "total", "method"));
        for (CallTree.MethodSamples row : rows) {
            out.append('\n')
                    .append(String.format(
                            Locale.ROOT,
                            "%7.1f%% %7d %6.1f%% %7d  %s",
                            percent(row.self(), samples),
                            row.self(),
                            percent(row.total(), samples),
                            row.total(),
                            row.method()));
        }
    }

    private static double percent(long part, long whole) {
        return whole == 0 ? 0 : 100.0 * part / whole;
    }

    private static void deleteIfExists(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("Profiler cannot delete {}: {}", file, e.toString());
        }
    }

    private Path htmlPath() {
        return path.resolveSibling(path.getFileName() + ".html");
    }

    private static Path sibling(Path target, String suffix) {
        return target.resolveSibling(target.getFileName() + suffix);
    }

    @Override
    public String toString() {
        return "Profiler[every " + interval() + ", top " + topResults + (path == null ? "" : ", " + path) + "]";
    }
}
