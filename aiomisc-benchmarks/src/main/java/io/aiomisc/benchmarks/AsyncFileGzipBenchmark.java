package io.aiomisc.benchmarks;

import io.aiomisc.Entrypoint;
import io.aiomisc.io.AsyncFile;
import io.aiomisc.io.Compression;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Gzip file throughput: {@link AsyncFile} with {@link Compression#GZIP} against the JDK's
 * {@link GZIPOutputStream}/{@link GZIPInputStream} over {@link Files#newOutputStream}/{@link
 * Files#newInputStream} (what a program would otherwise write), the same buffer sizes (64 KiB) on
 * both sides. One operation writes the whole data set to a gzip file and reads it back to the end;
 * the rate is in MB (10^6 bytes of uncompressed data) written and read back per second. Issue 17
 * target (binary): ours / JDK ≥ 0.95.
 *
 * <p><b>Data.</b> {@link LogLines}: an application log (about 135 bytes a line, a few non-ASCII
 * names), 100 MB by default, generated once in memory before the rounds, compressing to about a
 * seventh.
 *
 * <p><b>Variants</b> (each its own comparison and ratio):
 * <ul>
 * <li>{@code binary}: ours {@code AsyncFile.open(p, "wb", GZIP)} + {@code write(byte[])} of 64 KiB
 *     chunks, then {@code open(p, "rb", GZIP)} + {@code read(65536)} until it returns empty; the
 *     JDK {@code new GZIPOutputStream(Files.newOutputStream(p), 65536)} + {@code write(chunk)},
 *     then {@code new GZIPInputStream(Files.newInputStream(p), 65536)} + {@code read(buffer)} into
 *     one reused 64 KiB buffer until -1 (ours allocates a new array per {@code read}: its API).
 * <li>{@code text}: ours {@code open(p, "w", GZIP)} + {@code write(line)} per line, then
 *     {@code open(p, "r", GZIP)} + {@code readLine()} until null; the JDK a {@link BufferedWriter}
 *     over an {@link OutputStreamWriter} (UTF-8) over the gzip stream, then a {@link BufferedReader}
 *     over an {@link InputStreamReader} (UTF-8), {@code readLine()} until null; 64 KiB buffers.
 *     Reported, no target.
 * <li>{@code async} (not run by default): the binary variant through the {@code *Async} methods
 *     ({@code writeAsync(chunk).await()}, {@code readAsync(65536).await()}) from a virtual thread of
 *     an entrypoint (pool of 4), as an asynchronous program uses them; against the same JDK side.
 * </ul>
 * Every operation checks that the whole data came back (bytes; lines and chars for text) and
 * fails otherwise. Before the rounds each variant cross-checks the content: the file ours wrote,
 * read by the JDK, and the file the JDK wrote, read by ours, must equal the data exactly.
 *
 * <p><b>Method</b> ({@link Comparison}): interleaved rounds, each side warmed up (about one
 * operation) and measured for at least 5 s of whole operations; before the rounds every side runs
 * once, not measured. Each measurement prints the write and read rates and the compressed size of
 * its session beside it. The files are in a fresh directory under {@code java.io.tmpdir} (one file
 * per side, rewritten by every operation, deleted after its measurement; the directory is deleted
 * at the end). On Linux the files stay in the page cache: this measures compression and our
 * layers, not the disk.
 *
 * <p>Run: {@code aiomisc-benchmarks/run AsyncFileGzipBenchmark [rounds [megabytes
 * [variants]]]} (defaults 5, 100, {@code binary,text}); e.g. {@code FORKS=3
 * aiomisc-benchmarks/run AsyncFileGzipBenchmark 5 100 binary,text,async}.
 */
public final class AsyncFileGzipBenchmark {
    private static final int CHUNK = 64 * 1024;

    private AsyncFileGzipBenchmark() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        long megabytes = args.length > 1 ? Long.parseLong(args[1]) : 100;
        List<String> variants = Arrays.asList((args.length > 2 ? args[2] : "binary,text").split(","));
        if (rounds < 1 || megabytes < 1 || !List.of("binary", "text", "async").containsAll(variants)) {
            throw new IllegalArgumentException("rounds and megabytes must be positive and variants among binary, text,"
                    + " async: rounds=" + rounds + ", megabytes=" + megabytes + ", variants=" + variants);
        }
        long started = System.nanoTime();
        LogLines data = LogLines.generate(megabytes * 1_000_000, CHUNK, variants.contains("text"));
        System.out.printf(
                Locale.ROOT,
                "data: %,d bytes, %,d lines (%.1f bytes a line), %d chunks of %d bytes; generated in %.1f s%n",
                data.bytes(),
                data.lineCount(),
                (double) data.bytes() / data.lineCount(),
                data.chunks().size(),
                CHUNK,
                (System.nanoTime() - started) / 1e9);
        Path directory = Files.createTempDirectory("aiomisc-gzip-bench-");
        StringBuilder summary = new StringBuilder();
        try {
            for (String variant : variants) {
                Comparison.Side ours;
                Comparison.Side jdk;
                switch (variant) {
                    case "binary" -> {
                        crossCheckBinary(directory, data);
                        ours = side(
                                "AsyncFile GZIP write(byte[])/read(65536)",
                                megabytes,
                                directory,
                                "ours.gz",
                                data,
                                AsyncFileGzipBenchmark::oursBinary);
                        jdk = side(
                                "GZIPOutputStream/GZIPInputStream",
                                megabytes,
                                directory,
                                "jdk.gz",
                                data,
                                AsyncFileGzipBenchmark::jdkBinary);
                    }
                    case "text" -> {
                        crossCheckText(directory, data);
                        ours = side(
                                "AsyncFile GZIP write(String)/readLine()",
                                megabytes,
                                directory,
                                "ours-text.gz",
                                data,
                                AsyncFileGzipBenchmark::oursText);
                        jdk = side(
                                "BufferedWriter/BufferedReader over gzip",
                                megabytes,
                                directory,
                                "jdk-text.gz",
                                data,
                                AsyncFileGzipBenchmark::jdkText);
                    }
                    default -> {
                        ours = asyncSide(megabytes, directory, data);
                        jdk = side(
                                "GZIPOutputStream/GZIPInputStream",
                                megabytes,
                                directory,
                                "jdk.gz",
                                data,
                                AsyncFileGzipBenchmark::jdkBinary);
                    }
                }
                // warm-up: about one operation (at least 1 ms of whole operations); window: 5 s of them
                Comparison comparison = new Comparison(
                        String.format(Locale.ROOT, "gzip file, %d MB written and read back, %s", megabytes, variant),
                        Duration.ofMillis(1),
                        Duration.ofSeconds(5),
                        rounds);
                comparison.warmUpFirst(ours, jdk);
                double ratio = comparison.run(ours, jdk)[0];
                summary.append(String.format(
                        Locale.ROOT,
                        "  %-6s %.3f x the JDK's streams%s%n",
                        variant,
                        ratio,
                        variant.equals("binary") ? " (target >= 0.95)" : " (reported)"));
            }
        } finally {
            deleteAll(directory);
        }
        System.out.printf(
                Locale.ROOT, "%nSUMMARY gzip file write + read back, %d MB, ours / JDK:%n%s", megabytes, summary);
    }

    /** One write-then-read-back of {@code data} at {@code file}; returns what it read. */
    @FunctionalInterface
    private interface RoundTrip {
        Counts run(Path file, LogLines data, Timing timing) throws Exception;
    }

    /** What a read-back saw: bytes for binary, lines and chars for text. */
    private record Counts(long bytes, long lines, long chars) {}

    /** Write and read nanoseconds and the compressed size, summed over a session's operations. */
    private static final class Timing {
        long operations;
        long writeNanos;
        long readNanos;
        long compressedBytes;

        void wrote(long startNanos, Path file) throws IOException {
            writeNanos += System.nanoTime() - startNanos;
            compressedBytes = Files.size(file);
        }

        void read(long startNanos) {
            readNanos += System.nanoTime() - startNanos;
            operations++;
        }

        String detail(long bytes) {
            if (operations == 0) {
                return "";
            }
            double megabytes = bytes * operations / 1e6;
            return String.format(
                    Locale.ROOT,
                    "%d ops: write %.1f MB/s, read %.1f MB/s; %.1f MB -> %.1f MB gzip",
                    operations,
                    megabytes / (writeNanos / 1e9),
                    megabytes / (readNanos / 1e9),
                    bytes / 1e6,
                    compressedBytes / 1e6);
        }
    }

    private static Comparison.Side side(
            String name, long megabytes, Path directory, String fileName, LogLines data, RoundTrip roundTrip) {
        Path file = directory.resolve(fileName);
        return new Comparison.Side(name, megabytes, "MB", () -> {
            Timing timing = new Timing();
            return new Comparison.Session() {
                @Override
                public void run() throws Exception {
                    check(roundTrip.run(file, data, timing), data, name);
                }

                @Override
                public void close() throws IOException {
                    Files.deleteIfExists(file);
                }

                @Override
                public String detail() {
                    return timing.detail(data.bytes());
                }
            };
        });
    }

    /** The binary round trip through the {@code *Async} methods, from an entrypoint's virtual thread. */
    private static Comparison.Side asyncSide(long megabytes, Path directory, LogLines data) {
        String name = "AsyncFile GZIP writeAsync/readAsync(65536)";
        Path file = directory.resolve("ours-async.gz");
        return new Comparison.Side(name, megabytes, "MB", () -> {
            Timing timing = new Timing();
            Entrypoint entrypoint = Entrypoint.builder()
                    .poolSize(4)
                    .logConfig(false)
                    .catchSignals(false)
                    .start();
            return new Comparison.Session() {
                @Override
                public void run() throws Exception {
                    Counts counts = entrypoint.runUntilComplete(() -> {
                        long start = System.nanoTime();
                        try (AsyncFile out = AsyncFile.openAsync(file, "wb", Compression.GZIP)
                                .await()) {
                            for (byte[] chunk : data.chunks()) {
                                out.writeAsync(chunk).await();
                            }
                            out.closeAsync().await();
                        }
                        timing.wrote(start, file);
                        start = System.nanoTime();
                        long read = 0;
                        try (AsyncFile in = AsyncFile.openAsync(file, "rb", Compression.GZIP)
                                .await()) {
                            byte[] bytes;
                            while ((bytes = in.readAsync(CHUNK).await()).length > 0) {
                                read += bytes.length;
                            }
                        }
                        timing.read(start);
                        return new Counts(read, 0, 0);
                    });
                    check(counts, data, name);
                }

                @Override
                public void close() throws IOException {
                    entrypoint.close();
                    Files.deleteIfExists(file);
                }

                @Override
                public String detail() {
                    return timing.detail(data.bytes());
                }
            };
        });
    }

    private static Counts oursBinary(Path file, LogLines data, Timing timing) throws IOException {
        long start = System.nanoTime();
        try (AsyncFile out = AsyncFile.open(file, "wb", Compression.GZIP)) {
            for (byte[] chunk : data.chunks()) {
                out.write(chunk);
            }
        }
        timing.wrote(start, file);
        start = System.nanoTime();
        long read = 0;
        try (AsyncFile in = AsyncFile.open(file, "rb", Compression.GZIP)) {
            byte[] bytes;
            while ((bytes = in.read(CHUNK)).length > 0) {
                read += bytes.length;
            }
        }
        timing.read(start);
        return new Counts(read, 0, 0);
    }

    private static Counts jdkBinary(Path file, LogLines data, Timing timing) throws IOException {
        long start = System.nanoTime();
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file), CHUNK)) {
            for (byte[] chunk : data.chunks()) {
                out.write(chunk);
            }
        }
        timing.wrote(start, file);
        start = System.nanoTime();
        long read = 0;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file), CHUNK)) {
            byte[] buffer = new byte[CHUNK];
            int n;
            while ((n = in.read(buffer)) != -1) {
                read += n;
            }
        }
        timing.read(start);
        return new Counts(read, 0, 0);
    }

    private static Counts oursText(Path file, LogLines data, Timing timing) throws IOException {
        long start = System.nanoTime();
        try (AsyncFile out = AsyncFile.open(file, "w", Compression.GZIP)) {
            for (String line : data.lines()) {
                out.write(line);
            }
        }
        timing.wrote(start, file);
        start = System.nanoTime();
        long lines = 0;
        long chars = 0;
        try (AsyncFile in = AsyncFile.open(file, "r", Compression.GZIP)) {
            String line;
            while ((line = in.readLine()) != null) {
                lines++;
                chars += line.length();
            }
        }
        timing.read(start);
        return new Counts(0, lines, chars);
    }

    private static Counts jdkText(Path file, LogLines data, Timing timing) throws IOException {
        long start = System.nanoTime();
        try (Writer out = jdkWriter(file)) {
            for (String line : data.lines()) {
                out.write(line);
            }
        }
        timing.wrote(start, file);
        start = System.nanoTime();
        long lines = 0;
        long chars = 0;
        try (BufferedReader in = jdkReader(file)) {
            String line;
            while ((line = in.readLine()) != null) {
                lines++;
                chars += line.length();
            }
        }
        timing.read(start);
        return new Counts(0, lines, chars);
    }

    private static Writer jdkWriter(Path file) throws IOException {
        return new BufferedWriter(
                new OutputStreamWriter(
                        new GZIPOutputStream(Files.newOutputStream(file), CHUNK), StandardCharsets.UTF_8),
                CHUNK);
    }

    private static BufferedReader jdkReader(Path file) throws IOException {
        return new BufferedReader(
                new InputStreamReader(new GZIPInputStream(Files.newInputStream(file), CHUNK), StandardCharsets.UTF_8),
                CHUNK);
    }

    /** Fails unless {@code counts} is the whole of {@code data}. */
    private static void check(Counts counts, LogLines data, String side) {
        boolean text = counts.lines() > 0 || counts.chars() > 0;
        boolean whole = text
                ? counts.lines() == data.lineCount() && counts.chars() == data.chars()
                : counts.bytes() == data.bytes();
        if (!whole) {
            throw new IllegalStateException(side + " read back " + counts + ", expected "
                    + (text ? data.lineCount() + " lines, " + data.chars() + " chars" : data.bytes() + " bytes"));
        }
    }

    /** The file ours wrote read by the JDK, and the reverse: both must be exactly the data. */
    private static void crossCheckBinary(Path directory, LogLines data) throws IOException {
        Path file = directory.resolve("cross-check.gz");
        try {
            check(oursBinary(file, data, new Timing()), data, "AsyncFile"); // writes, then reads back through ours
            try (InputStream in = new GZIPInputStream(Files.newInputStream(file), CHUNK)) {
                requireSameBytes(in, data, "AsyncFile's gzip read by GZIPInputStream");
            }
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file), CHUNK)) {
                for (byte[] chunk : data.chunks()) {
                    out.write(chunk);
                }
            }
            try (AsyncFile in = AsyncFile.open(file, "rb", Compression.GZIP)) {
                for (byte[] chunk : data.chunks()) {
                    if (!Arrays.equals(in.read(chunk.length), chunk)) {
                        throw new IllegalStateException("GZIPOutputStream's gzip read by AsyncFile differs");
                    }
                }
                if (in.read(1).length != 0) {
                    throw new IllegalStateException("GZIPOutputStream's gzip read by AsyncFile is longer");
                }
            }
        } finally {
            Files.deleteIfExists(file);
        }
        System.out.printf(Locale.ROOT, "%ncross-check binary: each side reads the other's file as the data: OK%n");
    }

    private static void requireSameBytes(InputStream in, LogLines data, String what) throws IOException {
        for (byte[] chunk : data.chunks()) {
            if (!Arrays.equals(in.readNBytes(chunk.length), chunk)) {
                throw new IllegalStateException(what + " differs from the data");
            }
        }
        if (in.read() != -1) {
            throw new IllegalStateException(what + " is longer than the data");
        }
    }

    private static void crossCheckText(Path directory, LogLines data) throws IOException {
        Path file = directory.resolve("cross-check-text.gz");
        try {
            try (AsyncFile out = AsyncFile.open(file, "w", Compression.GZIP)) {
                for (String line : data.lines()) {
                    out.write(line);
                }
            }
            try (BufferedReader in = jdkReader(file)) {
                requireSameLines(in.lines().iterator(), data, "AsyncFile's text read by BufferedReader");
            }
            try (Writer out = jdkWriter(file)) {
                for (String line : data.lines()) {
                    out.write(line);
                }
            }
            try (AsyncFile in = AsyncFile.open(file, "r", Compression.GZIP)) {
                requireSameLines(in.lines().iterator(), data, "BufferedWriter's text read by AsyncFile");
            }
        } finally {
            Files.deleteIfExists(file);
        }
        System.out.printf(Locale.ROOT, "%ncross-check text: each side reads the other's file as the lines: OK%n");
    }

    private static void requireSameLines(Iterator<String> actual, LogLines data, String what) {
        Iterator<String> expected = data.lines().stream()
                .flatMap(line ->
                        Arrays.stream(line.substring(0, line.length() - 1).split("\n", -1)))
                .iterator();
        long index = 0;
        while (actual.hasNext()) {
            index++;
            if (!expected.hasNext() || !actual.next().equals(expected.next())) {
                throw new IllegalStateException(what + " differs at line " + index);
            }
        }
        if (expected.hasNext()) {
            throw new IllegalStateException(what + " ends after " + index + " lines, expected " + data.lineCount());
        }
    }

    private static void deleteAll(Path directory) throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
