package io.aiomisc.benchmarks;

import io.aiomisc.Entrypoint;
import io.aiomisc.metrics.CarbonSender;
import io.aiomisc.metrics.CarbonSenderStatistic;
import io.aiomisc.stats.ThreadPoolStatistic;
import io.aiomisc.thread.Threaded;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Whether {@link CarbonSender} slows the program it measures: the threaded round-trip workload of
 * {@link ThreadedRoundTripBenchmark} (1,000 virtual threads × 10 {@code Threaded.threaded(() ->
 * 42).await()} calls, started and joined) on an entrypoint with a {@code CarbonSender} sending every
 * 100 ms against the same entrypoint without one. Issue 16 target: with / without ≥ 0.98.
 *
 * <p><b>Two configurations</b>, each its own comparison (and its own ratio in the run script's
 * summary): <b>0 extra statistics</b>, the target as written (the sender sends the
 * statistics an entrypoint has on its own: a few dozen lines), and <b>1,000 extra statistics</b>,
 * a program with real statistics to send: 1,000 extra {@link ThreadPoolStatistic}s alive while the
 * configuration runs (named {@code pool-0000} … {@code pool-0999}, non-zero counts, 6 metrics each),
 * so every send formats, sums and sends about 6,000 more lines (about 240 datagrams of up to 1,400
 * bytes). The statistics exist on both sides: only the sender differs. Before each configuration
 * the time of one {@link CarbonSender#lines()} (what every send builds) is printed, to size the
 * sender's work.
 *
 * <p><b>Graphite.</b> A {@link DatagramSocket} on 127.0.0.1 that a platform thread drains, counting
 * datagrams and bytes, so the sender really sends (UDP, the default protocol) and nothing is
 * refused. The drain runs in this process, on the same pinned CPU: its cost is charged to the
 * sender's side, so the measured overhead is an upper bound of what a program pays with Graphite
 * on another machine.
 *
 * <p><b>Sides.</b> Each measurement starts a fresh entrypoint (pool of 4, no signals, no log
 * configuration), with or without the sender as its service, warms up 3 s, measures 2 s and
 * closes it (the close waits for the sender's last send); nothing of one side runs while the other
 * is measured. Rounds alternate the order; before the first round of each configuration, each side
 * runs once for 3 s, not measured (the first side of round 1 would otherwise pay the JIT alone). The sender's counters and the datagrams received are
 * printed beside each of its measurements ({@code failures} must be 0).
 *
 * <p>Run: {@code aiomisc-benchmarks/run CarbonSenderOverheadBenchmark [rounds [statistics,...
 * [intervalMillis]]]} (defaults 10, {@code 0,1000}, 100); e.g. {@code FORKS=3
 * aiomisc-benchmarks/run CarbonSenderOverheadBenchmark 10}. A ratio this close to 1 needs many rounds: the run script's
 * overall median over every round of every fork is the figure to report.
 */
public final class CarbonSenderOverheadBenchmark {
    private static final int POOL_SIZE = 4;
    private static final Callable<Integer> TRIVIAL = () -> 42;
    private static final String WITH = "with CarbonSender";
    private static final String WITHOUT = "without CarbonSender";
    /** Calls per operation: {@link ThreadedRoundTripBenchmark#fanOut}'s 1,000 threads × 10 calls. */
    private static final long CALLS = 10_000;

    private CarbonSenderOverheadBenchmark() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int[] counts = Arrays.stream((args.length > 1 ? args[1] : "0,1000").split(","))
                .mapToInt(Integer::parseInt)
                .toArray();
        Duration interval = Duration.ofMillis(args.length > 2 ? Long.parseLong(args[2]) : 100);
        if (rounds < 1 || Arrays.stream(counts).anyMatch(c -> c < 0)) {
            throw new IllegalArgumentException("rounds must be positive and statistics not negative: rounds=" + rounds
                    + ", statistics=" + Arrays.toString(counts));
        }
        StringBuilder summary = new StringBuilder();
        try (Graphite graphite = Graphite.bind()) {
            for (int count : counts) {
                List<ThreadPoolStatistic> alive = extraStatistics(count); // held until this configuration ends
                String title = String.format(
                        Locale.ROOT,
                        "threaded round trip, pool of %d, %,d extra statistics, CarbonSender UDP every %d ms",
                        POOL_SIZE,
                        count,
                        interval.toMillis());
                System.out.printf(Locale.ROOT, "%n%s%n", linesCost(alive.size()));
                Comparison comparison = new Comparison(title, Duration.ofSeconds(3), Duration.ofSeconds(2), rounds);
                Comparison.Side with = new Comparison.Side(WITH, CALLS, "calls", () -> roundTrips(graphite, interval));
                Comparison.Side without =
                        new Comparison.Side(WITHOUT, CALLS, "calls", () -> roundTrips(null, interval));
                comparison.warmUpFirst(with, without);
                double ratio = comparison.run(with, without)[0];
                summary.append(String.format(
                        Locale.ROOT, "  %,d extra statistics: %.3f x without (target >= 0.98)%n", alive.size(), ratio));
            }
        }
        System.out.printf(
                Locale.ROOT,
                "%nSUMMARY threaded round trips with a CarbonSender every %d ms:%n%s",
                interval.toMillis(),
                summary);
    }

    /**
     * What building one send's lines costs with {@code extra} extra statistics (besides whatever
     * else is alive): the median of 20 calls of {@link CarbonSender#lines()}, which every send
     * makes.
     */
    private static String linesCost(int extra) {
        CarbonSender sender = CarbonSender.builder().build(); // not started: nothing is sent
        double[] millis = new double[20];
        int lines = 0;
        for (int i = 0; i < millis.length; i++) {
            long start = System.nanoTime();
            lines = sender.lines().size();
            millis[i] = (System.nanoTime() - start) / 1e6;
        }
        return String.format(
                Locale.ROOT,
                "%,d extra statistics: one send's lines() %.2f ms for %,d lines (median of %d, not warmed up)",
                extra,
                Comparison.median(millis),
                lines,
                millis.length);
    }

    /** {@code count} live thread-pool statistics with distinct names and non-zero counts. */
    private static List<ThreadPoolStatistic> extraStatistics(int count) {
        List<ThreadPoolStatistic> statistics = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ThreadPoolStatistic statistic = new ThreadPoolStatistic(String.format(Locale.ROOT, "pool-%04d", i));
            statistic.threads.add(4);
            statistic.submitted.add(1_000L + i);
            statistic.success.add(990L + i);
            statistic.error.add(10);
            statistic.sumTime.addNanos(1_234_567L * (i + 1));
            statistics.add(statistic);
        }
        return statistics;
    }

    /**
     * A fresh entrypoint running the round trips; with a sender to {@code graphite} unless it is
     * null.
     */
    private static Comparison.Session roundTrips(Graphite graphite, Duration interval) throws Exception {
        CarbonSender sender = graphite == null
                ? null
                : CarbonSender.builder()
                        .host("127.0.0.1")
                        .port(graphite.port())
                        .protocol("udp")
                        .interval(interval)
                        .build();
        Entrypoint.Builder builder =
                Entrypoint.builder().poolSize(POOL_SIZE).logConfig(false).catchSignals(false);
        if (sender != null) {
            builder.services(sender);
        }
        long[] receivedBefore = graphite == null ? null : graphite.received();
        Entrypoint entrypoint = builder.start();
        return new Comparison.Session() {
            @Override
            public void run() throws Exception {
                entrypoint.runUntilComplete(() -> {
                    ThreadedRoundTripBenchmark.fanOut(
                            () -> Threaded.threaded(TRIVIAL).await());
                    return null;
                });
            }

            @Override
            public void close() {
                entrypoint.close();
            }

            @Override
            public String detail() {
                if (sender == null) {
                    return "";
                }
                CarbonSenderStatistic s = sender.statistic();
                long[] received = graphite.received();
                return String.format(
                        Locale.ROOT,
                        "%d sends, %,d lines, %d failures; received %,d datagrams, %,d KB",
                        s.sends.value(),
                        s.lines.value(),
                        s.failures.value(),
                        received[0] - receivedBefore[0],
                        (received[1] - receivedBefore[1]) / 1024);
            }
        };
    }

    /** Graphite's stand-in: a loopback UDP socket drained by a platform thread. */
    private static final class Graphite implements AutoCloseable {
        private final DatagramSocket socket;
        private final Thread drain;
        private final AtomicLong datagrams = new AtomicLong();
        private final AtomicLong bytes = new AtomicLong();

        private Graphite(DatagramSocket socket) {
            this.socket = socket;
            this.drain = Thread.ofPlatform().name("graphite-drain").daemon().unstarted(this::drain);
        }

        static Graphite bind() throws SocketException {
            DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            socket.setReceiveBufferSize(4 << 20); // a send's burst fits: nothing is dropped by the kernel
            Graphite graphite = new Graphite(socket);
            graphite.drain.start();
            return graphite;
        }

        int port() {
            return socket.getLocalPort();
        }

        /** {datagrams, bytes} received so far. */
        long[] received() {
            return new long[] {datagrams.get(), bytes.get()};
        }

        private void drain() {
            DatagramPacket packet = new DatagramPacket(new byte[2048], 2048);
            while (!socket.isClosed()) {
                try {
                    socket.receive(packet);
                    datagrams.incrementAndGet();
                    bytes.addAndGet(packet.getLength());
                } catch (IOException e) {
                    return; // closed
                }
            }
        }

        @Override
        public void close() throws InterruptedException {
            socket.close();
            drain.join();
        }
    }
}
