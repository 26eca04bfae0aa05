package io.aiomisc.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Realistic, compressible test data for the file benchmarks: an application log (timestamps that
 * advance, levels mostly INFO, a dozen threads and loggers, messages from templates with varying
 * ids, amounts and durations, an occasional non-ASCII customer name and stack-trace line), the
 * same for every run (a fixed seed). Gzip shrinks it to about a seventh, as it does real logs.
 *
 * @param lines  every line, each ending in {@code \n}; empty unless asked for
 * @param chunks the UTF-8 bytes of all lines in order, cut into chunks of the asked size (the last
 *               one may be shorter)
 * @param bytes  the total number of bytes: exactly the size asked
 * @param lineCount the number of lines ({@code \n}s; an element of {@code lines} may hold two)
 * @param chars  the number of chars of all lines without their {@code \n}s
 */
record LogLines(List<String> lines, List<byte[]> chunks, long bytes, long lineCount, long chars) {
    private static final String[] LEVELS = {"INFO ", "INFO ", "INFO ", "INFO ", "DEBUG", "DEBUG", "WARN ", "ERROR"};
    private static final String[] LOGGERS = {
        "io.example.orders.OrderService",
        "io.example.orders.PaymentGateway",
        "io.example.http.AccessLog",
        "io.example.inventory.StockRepository",
        "io.example.mail.Notifier",
        "io.aiomisc.service.PeriodicService",
        "org.eclipse.jetty.server.Server",
        "com.zaxxer.hikari.pool.HikariPool",
    };
    private static final String[] NAMES = {
        "Smith", "Müller", "García", "Dupont", "Kowalski", "Łukasz", "Ivanov", "Rossi", "Jensen", "Tanaka"
    };
    private static final String[] PATHS = {
        "/api/v1/orders", "/api/v1/orders/{id}", "/api/v1/customers/{id}", "/health", "/metrics", "/api/v1/stock"
    };

    /**
     * Generates {@code size} bytes of log lines.
     *
     * @param size      the total size in bytes; positive
     * @param chunkSize the size of {@link #chunks()}; positive
     * @param keepLines whether to keep the lines as strings too (for the text benchmarks)
     * @return the data
     */
    static LogLines generate(long size, int chunkSize, boolean keepLines) {
        if (size <= 0 || chunkSize <= 0) {
            throw new IllegalArgumentException(
                    "size and chunkSize must be positive: size=" + size + ", chunkSize=" + chunkSize);
        }
        SplittableRandom random = new SplittableRandom(17);
        List<String> lines = keepLines ? new ArrayList<>() : List.of();
        List<byte[]> chunks = new ArrayList<>();
        byte[] chunk = new byte[(int) Math.min(chunkSize, size)];
        int filled = 0;
        long total = 0;
        long lineCount = 0;
        long chars = 0;
        long millis = 1_796_601_600_000L; // 2026-12-07T00:00:00Z
        StringBuilder line = new StringBuilder(256);
        while (total < size) {
            millis += random.nextInt(40);
            line.setLength(0);
            appendLine(line, random, millis);
            byte[] encoded = line.toString().getBytes(StandardCharsets.UTF_8);
            if (total + encoded.length > size) { // the last line: filler up to the exact size
                encoded = new byte[(int) (size - total)];
                Arrays.fill(encoded, (byte) '.');
                encoded[encoded.length - 1] = '\n';
                line.setLength(0);
                line.append(new String(encoded, StandardCharsets.US_ASCII));
            }
            if (keepLines) {
                lines.add(line.toString());
            }
            int newlines = (int) line.chars().filter(c -> c == '\n').count(); // an ERROR's line has a stack-trace line
            lineCount += newlines;
            chars += line.length() - newlines;
            for (int offset = 0; offset < encoded.length; ) {
                int n = Math.min(encoded.length - offset, chunk.length - filled);
                System.arraycopy(encoded, offset, chunk, filled, n);
                offset += n;
                filled += n;
                total += n;
                if (filled == chunk.length) {
                    chunks.add(chunk);
                    chunk = new byte[(int) Math.min(chunkSize, size - total)];
                    filled = 0;
                }
            }
        }
        return new LogLines(lines, List.copyOf(chunks), total, lineCount, chars);
    }

    private static StringBuilder twoDigits(StringBuilder out, long value) {
        return out.append(value < 10 ? "0" : "").append(value);
    }

    private static void appendLine(StringBuilder out, SplittableRandom random, long millis) {
        long seconds = millis / 1000;
        long day = seconds % 86_400;
        out.append("2026-12-07 "); // not String.format: generating 100 MB would take minutes
        twoDigits(out, day / 3600).append(':');
        twoDigits(out, day / 60 % 60).append(':');
        twoDigits(out, day % 60).append(',');
        long fraction = millis % 1000;
        out.append(fraction < 100 ? (fraction < 10 ? "00" : "0") : "")
                .append(fraction)
                .append(' ');
        String level = LEVELS[random.nextInt(LEVELS.length)];
        out.append(level)
                .append(" [worker-")
                .append(random.nextInt(12))
                .append("] ")
                .append(LOGGERS[random.nextInt(LOGGERS.length)])
                .append(" - ");
        int order = 100_000 + random.nextInt(900_000);
        switch (random.nextInt(6)) {
            case 0 ->
                out.append("order ")
                        .append(order)
                        .append(" accepted for customer ")
                        .append(NAMES[random.nextInt(NAMES.length)])
                        .append(" (c-")
                        .append(random.nextInt(50_000))
                        .append("), ")
                        .append(1 + random.nextInt(9))
                        .append(" items, total ")
                        .append(random.nextInt(100_000) / 100.0)
                        .append(" EUR");
            case 1 ->
                out.append("payment for order ")
                        .append(order)
                        .append(" captured in ")
                        .append(random.nextInt(900))
                        .append(" ms, transaction tx-")
                        .append(Long.toHexString(random.nextLong()));
            case 2 ->
                out.append("GET ")
                        .append(PATHS[random.nextInt(PATHS.length)].replace("{id}", Integer.toString(order)))
                        .append(" 200 ")
                        .append(random.nextInt(20_000))
                        .append(" bytes in ")
                        .append(random.nextInt(250))
                        .append(" ms from 10.0.")
                        .append(random.nextInt(256))
                        .append('.')
                        .append(random.nextInt(256));
            case 3 ->
                out.append("stock of sku-")
                        .append(random.nextInt(5000))
                        .append(" is now ")
                        .append(random.nextInt(400))
                        .append(" (reserved ")
                        .append(random.nextInt(20))
                        .append(")");
            case 4 ->
                out.append("pool stats (total=10, active=")
                        .append(random.nextInt(11))
                        .append(", idle=")
                        .append(random.nextInt(11))
                        .append(", waiting=0)");
            default -> {
                out.append("retrying request ")
                        .append(order)
                        .append(" after timeout (attempt ")
                        .append(1 + random.nextInt(3))
                        .append(" of 3)");
                if (level.startsWith("ERROR")) {
                    out.append("\n\tat io.example.orders.PaymentGateway.capture(PaymentGateway.java:")
                            .append(100 + random.nextInt(200))
                            .append(')');
                }
            }
        }
        out.append('\n');
    }
}
