package io.aiomisc.service;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs which classes' instances grow: aiomisc's {@code MemoryTracer}, on the JVM's class
 * histogram. At start it takes a baseline histogram of the live heap (the {@code GC.class_histogram}
 * diagnostic command, in process); then every {@code interval} (the first one interval after the
 * start) it takes another and logs the top {@code topResults} classes by memory growth as one INFO
 * record:
 *
 * <pre>
 * Top memory usage:
 *  Objects | Obj.Diff |   Memory | Mem.Diff | Class
 *   200011 |   200000 |   4.6MiB |   4.6MiB | com.example.Session
 *     1027 |     1010 |  95.0KiB |  94.3KiB | byte[]
 * </pre>
 *
 * <p><b>Cost.</b> Each histogram is a full garbage collection (only live objects count) plus a
 * heap walk: a stop-the-world pause that grows with the heap. Use an interval of minutes in
 * production and seconds when hunting a leak.
 *
 * <p>Unlike aiomisc's tracer, whose periodic keeps running after stop, {@link #stop} ends it
 * completely: no thread is left.
 */
public class MemoryTracer extends PeriodicService {
    private static final Logger log = LoggerFactory.getLogger(MemoryTracer.class);
    private static final Pattern ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");
    private static final String[] UNITS = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi"};

    private final int topResults;
    private volatile Map<String, Usage> baseline = Map.of();

    /**
     * A tracer logging the top {@code topResults} classes every {@code interval}.
     *
     * @param interval   the time between two reports; positive (aiomisc's default: 5 s)
     * @param topResults how many classes each report lists; 1 or more (aiomisc's default: 20)
     * @throws IllegalArgumentException naming the value if {@code interval} is not positive or
     *                                  {@code topResults} is below 1
     * @throws NullPointerException     if {@code interval} is null
     */
    public MemoryTracer(Duration interval, int topResults) {
        super(interval, interval);
        if (topResults < 1) {
            throw new IllegalArgumentException("topResults must be at least 1: " + topResults);
        }
        this.topResults = topResults;
    }

    /**
     * Formats a byte count as aiomisc's {@code humanize}: one decimal and a binary unit,
     * {@code 512.0B}, {@code 1.0KiB}, {@code 1.5KiB}, {@code 1.0MiB}, up to {@code YiB}.
     *
     * @param bytes the count; negative counts keep their sign
     * @return the humanized size
     */
    public static String humanize(long bytes) {
        double value = bytes;
        for (String unit : UNITS) {
            if (Math.abs(value) < 1024.0) {
                return String.format(Locale.ROOT, "%3.1f%sB", value, unit);
            }
            value /= 1024.0;
        }
        return String.format(Locale.ROOT, "%.1fYiB", value);
    }

    /**
     * Takes the baseline histogram (a full GC), then starts the periodic reports. Blocks for the
     * histogram.
     *
     * @throws IllegalStateException if the JVM has no class histogram diagnostic command
     */
    @Override
    public void start() {
        baseline = histogram();
        super.start();
        log.warn("Memory tracer started: a class histogram (a full GC) every {}", interval());
    }

    /**
     * Takes a histogram and logs the classes that grew most since the start.
     */
    @Override
    protected void callback() {
        Map<String, Usage> now = histogram();
        log.info("Top memory usage:\n{}", table(diff(baseline, now, topResults)));
    }

    /** The current histogram of live objects by class name (a full GC). */
    static Map<String, Usage> histogram() {
        String text;
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            ObjectName command = new ObjectName("com.sun.management:type=DiagnosticCommand");
            text = (String) server.invoke(
                    command, "gcClassHistogram", new Object[] {new String[0]}, new String[] {String[].class.getName()});
        } catch (JMException e) {
            throw new IllegalStateException("the JVM's GC.class_histogram diagnostic command is not available", e);
        }
        return parse(text);
    }

    /** Parses the diagnostic command's table: {@code num: #instances #bytes class-name [(module)]}. */
    static Map<String, Usage> parse(String histogram) {
        Map<String, Usage> result = new HashMap<>();
        for (String line : histogram.split("\n")) {
            Matcher row = ROW.matcher(line);
            if (row.find()) {
                String name = className(row.group(3));
                Usage usage = new Usage(Long.parseLong(row.group(1)), Long.parseLong(row.group(2)));
                result.merge(name, usage, Usage::plus); // the same name from two class loaders
            }
        }
        return result;
    }

    /** The top {@code limit} classes by memory growth from {@code before} to {@code after}. */
    static List<Row> diff(Map<String, Usage> before, Map<String, Usage> after, int limit) {
        List<Row> rows = new ArrayList<>(after.size());
        for (Map.Entry<String, Usage> entry : after.entrySet()) {
            Usage then = before.getOrDefault(entry.getKey(), Usage.NONE);
            Usage now = entry.getValue();
            rows.add(new Row(
                    entry.getKey(), now.count(), now.count() - then.count(), now.bytes(), now.bytes() - then.bytes()));
        }
        rows.sort(Comparator.comparingLong(Row::bytesDiff)
                .reversed()
                .thenComparing(Comparator.comparingLong(Row::bytes).reversed())
                .thenComparing(Row::className));
        return rows.size() > limit ? List.copyOf(rows.subList(0, limit)) : rows;
    }

    /** aiomisc's table: a header and one line per row, {@code %8s | %8s | %8s | %8s | %s}. */
    static String table(List<Row> rows) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(
                Locale.ROOT, "%8s | %8s | %8s | %8s | %s\n", "Objects", "Obj.Diff", "Memory", "Mem.Diff", "Class"));
        for (Row row : rows) {
            out.append(String.format(
                    Locale.ROOT,
                    "%8s | %8s | %8s | %8s | %s\n",
                    row.count(),
                    row.countDiff(),
                    humanize(row.bytes()),
                    humanize(row.bytesDiff()),
                    row.className()));
        }
        return out.toString().stripTrailing();
    }

    /** {@code [B} → {@code byte[]}, {@code [Ljava.lang.String;} → {@code java.lang.String[]}. */
    static String className(String jvmName) {
        int dimensions = 0;
        while (dimensions < jvmName.length() && jvmName.charAt(dimensions) == '[') {
            dimensions++;
        }
        if (dimensions == 0) {
            return jvmName;
        }
        String element = jvmName.substring(dimensions);
        String base =
                switch (element) {
                    case "B" -> "byte";
                    case "C" -> "char";
                    case "S" -> "short";
                    case "I" -> "int";
                    case "J" -> "long";
                    case "F" -> "float";
                    case "D" -> "double";
                    case "Z" -> "boolean";
                    default ->
                        element.startsWith("L") && element.endsWith(";")
                                ? element.substring(1, element.length() - 1)
                                : element;
                };
        return base + "[]".repeat(dimensions);
    }

    @Override
    public String toString() {
        return "MemoryTracer[every " + interval() + ", top " + topResults + "]";
    }

    /** Instances and bytes of one class. */
    record Usage(long count, long bytes) {
        static final Usage NONE = new Usage(0, 0);

        Usage plus(Usage other) {
            return new Usage(count + other.count, bytes + other.bytes);
        }
    }

    /** One line of the table. */
    record Row(String className, long count, long countDiff, long bytes, long bytesDiff) {}
}
