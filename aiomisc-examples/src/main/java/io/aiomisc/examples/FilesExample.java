package io.aiomisc.examples;

import io.aiomisc.Entrypoint;
import io.aiomisc.io.AsyncFile;
import io.aiomisc.io.Compression;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The README's "Files and compression" section, runnable: {@code bin/run-example files [DIR]
 * [LINES]}. Writes {@code LINES} lines of text (default 10000) with {@link AsyncFile} to
 * {@code DIR/example.txt} uncompressed and, compressed on the fly, to {@code example.txt.gz},
 * {@code .bz2}, {@code .xz} and {@code .zst}; reads each back (the {@code *Async} variants, on the
 * entrypoint's pool), checks the lines are the same, and prints each file's size. Then it seeks to
 * the middle line of the gzip file and reads it. {@code DIR} defaults to a new temporary directory;
 * the files are left there.
 *
 * <p>GZIP is built into the core; BZ2, LZMA and ZSTD come from {@code io.aiomisc:aiomisc-compress},
 * which the examples have on their class path. Without it, those three are skipped with the
 * library's message naming the module. Ctrl+C (SIGINT) or SIGTERM stops the example earlier.
 */
public final class FilesExample {
    private static final Logger log = LoggerFactory.getLogger(FilesExample.class);

    private FilesExample() {}

    /**
     * Runs the example.
     *
     * @param args {@code [DIR] [LINES]}: where to write (default: a new temporary directory) and how
     *             many lines (default 10000)
     * @throws Exception if the entrypoint fails to start, a file cannot be written or read, or a
     *                   file reads back different from what was written
     */
    public static void main(String[] args) throws Exception {
        Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("aiomisc-files-");
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        if (count < 1) {
            throw new IllegalArgumentException("LINES must be at least 1: " + count);
        }
        Files.createDirectories(dir);
        List<String> lines = lines(count);
        long textBytes = 0;
        for (String line : lines) {
            textBytes += line.getBytes(StandardCharsets.UTF_8).length + 1;
        }
        long plainBytes = textBytes;
        try (Entrypoint entrypoint = Entrypoint.builder().start()) {
            entrypoint.runUntilComplete(() -> {
                System.out.printf(
                        Locale.ROOT,
                        "Writing %d lines (%d bytes of text) to %s%n",
                        count,
                        plainBytes,
                        dir.toAbsolutePath());
                for (Compression compression : Compression.values()) {
                    Path file = dir.resolve("example.txt" + suffix(compression));
                    try {
                        roundTrip(file, compression, lines, plainBytes);
                    } catch (IllegalStateException missingModule) {
                        if (!missingModule.getMessage().contains("io.aiomisc:aiomisc-compress")) {
                            throw missingModule;
                        }
                        // BZ2, LZMA and ZSTD without aiomisc-compress on the class path
                        System.out.printf(Locale.ROOT, "  %-5s skipped: %s%n", compression, missingModule.getMessage());
                    }
                }
                seekInTheMiddle(dir.resolve("example.txt.gz"), lines);
                return null;
            });
        } catch (CancellationException stoppedBySignal) {
            log.info("Files example stopped before the end");
            return;
        }
        log.info("Files example finished");
    }

    /** Writes the lines, reads them back with the {@code *Async} variants and prints the sizes. */
    private static void roundTrip(Path file, Compression compression, List<String> lines, long textBytes)
            throws Exception {
        try (AsyncFile out = AsyncFile.open(file, "w", compression)) { // blocks: cheap on a virtual thread
            for (String line : lines) {
                out.write(line + "\n");
            }
        }
        long size = Files.size(file);
        AsyncFile in = AsyncFile.openAsync(file, "r", compression).await(); // the same, on the pool
        List<String> read = new ArrayList<>(lines.size());
        try {
            for (String line = in.readLineAsync().await();
                    line != null;
                    line = in.readLineAsync().await()) {
                read.add(line);
            }
        } finally {
            in.closeAsync().await();
        }
        if (!read.equals(lines)) {
            throw new IOException(file + " read back " + read.size() + " lines, not the " + lines.size()
                    + " written, or different ones");
        }
        System.out.printf(
                Locale.ROOT,
                "  %-5s %-16s %9d bytes %6.1f %%  read back: %d lines, identical%n",
                compression,
                file.getFileName(),
                size,
                100.0 * size / textBytes,
                read.size());
    }

    /**
     * Positions count bytes of the uncompressed text, also in a compressed file: seeks to the start
     * of the middle line and reads it.
     */
    private static void seekInTheMiddle(Path file, List<String> lines) throws Exception {
        int middle = lines.size() / 2;
        long offset = 0;
        for (String line : lines.subList(0, middle)) {
            offset += line.getBytes(StandardCharsets.UTF_8).length + 1;
        }
        try (AsyncFile in = AsyncFile.open(file, "r", Compression.GZIP)) {
            long at = in.seek(offset); // forward: decompresses and skips
            String line = in.readLine();
            if (!lines.get(middle).equals(line)) {
                throw new IOException("line " + middle + " of " + file + " read back as " + line);
            }
            System.out.printf(
                    Locale.ROOT,
                    "Seek in %s: seek(%d) = %d, readLine() = \"%s\", tell() = %d%n",
                    file.getFileName(),
                    offset,
                    at,
                    line,
                    in.tell());
        }
    }

    /** Text that compresses as logs do: repetitive, with numbers that change. */
    private static List<String> lines(int count) {
        List<String> lines = new ArrayList<>(count);
        String[] words = {"accepted", "served", "closed", "retried", "queued"};
        for (int i = 0; i < count; i++) {
            lines.add(String.format(
                    Locale.ROOT,
                    "%06d request %s from 10.0.%d.%d in %d ms, %d bytes",
                    i,
                    words[i % words.length],
                    i % 7,
                    i % 251,
                    (i * 37) % 1000,
                    (i * 7919) % 65536));
        }
        return lines;
    }

    /** The usual file name suffix for a compression. */
    static String suffix(Compression compression) {
        return switch (compression) {
            case NONE -> "";
            case GZIP -> ".gz";
            case BZ2 -> ".bz2";
            case LZMA -> ".xz";
            case ZSTD -> ".zst";
        };
    }
}
