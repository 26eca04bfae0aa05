package io.aiomisc.benchmarks;

import com.sun.management.OperatingSystemMXBean;
import io.aiomisc.junit.TcpProxy;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link TcpProxy} against a direct connection to the same server, with no delay and no content
 * processor set: what the proxy costs a test that puts it between a client and a server.
 *
 * <ul>
 * <li><b>Throughput</b>: one operation sends {@code megabytes} MiB in 64 KiB chunks ({@link
 *     TcpProxy#CHUNK_SIZE}) over one connection to a sink server, which answers one byte once it
 *     has read them all; the rate is in MB (10^6 bytes) per second. Issue 18 target (DESIGN.md
 *     §11): through the proxy / direct ≥ 0.5.
 * <li><b>Latency</b>: ping-pong of 64-byte messages with an echo server over one connection, one
 *     message in flight; each round trip is timed with {@link System#nanoTime()}. Reported: p50 and
 *     p99 in µs of each side, the difference (the latency the proxy's hop adds), and the ratio of
 *     round trips per second (through the proxy / direct). No target.
 * </ul>
 *
 * <p><b>Method</b> (this module's, see {@code ../shared/bench/README.md}): one JVM pinned to one CPU
 * by the run script, so the client, the proxy's virtual threads and the server share a core;
 * interleaved rounds (the order of the sides alternates), each side on a fresh proxy and
 * connection per measurement, warmed up and then measured for a fixed time; a measurement during
 * which other processes used more than 0.15 of a core is run again (three times at the most); the
 * ratio of each round is reported as the median with min and max. Throughput goes through {@link
 * Comparison}; latency through the same steps, written out here because it keeps every sample.
 * The servers are plain {@link ServerSocket}s with a virtual thread per connection, shared by both
 * sides and started once; both sides' client sockets have {@code TCP_NODELAY}, as the proxy's.
 *
 * <p>Run: {@code aiomisc-benchmarks/run TcpProxyBenchmark [rounds [seconds [megabytes]]]} (defaults
 * 5 rounds, 3 s windows, 16 MiB per throughput operation); e.g. {@code FORKS=1
 * aiomisc-benchmarks/run TcpProxyBenchmark 3 2 16}.
 */
public final class TcpProxyBenchmark {
    private static final int CHUNK = TcpProxy.CHUNK_SIZE;
    private static final int MESSAGE = 64;
    private static final String PROXY = "through TcpProxy";
    private static final String DIRECT = "direct";

    private TcpProxyBenchmark() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int megabytes = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        if (rounds < 1 || seconds < 1 || megabytes < 1) {
            throw new IllegalArgumentException("rounds, seconds and megabytes must be positive: rounds=" + rounds
                    + ", seconds=" + seconds + ", megabytes=" + megabytes);
        }
        Duration warmup = Duration.ofSeconds(1);
        Duration window = Duration.ofSeconds(seconds);
        long operationBytes = (long) megabytes << 20;
        System.out.printf(
                Locale.ROOT,
                "TcpProxy vs direct on loopback; %d CPU(s) visible; throughput: %d MiB per operation in %d-byte"
                        + " chunks; latency: %d-byte ping-pong%n",
                Runtime.getRuntime().availableProcessors(),
                megabytes,
                CHUNK,
                MESSAGE);
        try (Server sink = Server.start(socket -> sink(socket, operationBytes));
                Server echo = Server.start(TcpProxyBenchmark::echo)) {
            Comparison.Side proxied = throughputSide(PROXY, sink.port(), true, operationBytes);
            Comparison.Side direct = throughputSide(DIRECT, sink.port(), false, operationBytes);
            Comparison throughput =
                    new Comparison("TcpProxy pass-through, " + CHUNK / 1024 + " KiB chunks", warmup, window, rounds);
            throughput.warmUpFirst(proxied, direct);
            double throughputRatio = throughput.run(proxied, direct)[0];

            LatencySummary latency = latency(echo.port(), warmup, window, rounds);

            System.out.printf(
                    Locale.ROOT,
                    "%nSUMMARY TcpProxy, no delay set, through the proxy / direct:%n"
                            + "  throughput (64 KiB chunks)  %.2f x direct (target >= 0.5)%n"
                            + "  ping-pong round trips/s     %.2f x direct (min %.2f, max %.2f)%n"
                            + "  latency p50 %.1f us vs %.1f us direct: +%.1f us per round trip (min %+.1f, max %+.1f)%n"
                            + "  latency p99 %.1f us vs %.1f us direct: +%.1f us per round trip (min %+.1f, max %+.1f)%n",
                    throughputRatio,
                    latency.rateRatio[0],
                    latency.rateRatio[1],
                    latency.rateRatio[2],
                    latency.proxyP50,
                    latency.directP50,
                    latency.addedP50[0],
                    latency.addedP50[1],
                    latency.addedP50[2],
                    latency.proxyP99,
                    latency.directP99,
                    latency.addedP99[0],
                    latency.addedP99[1],
                    latency.addedP99[2]);
        }
    }

    // ---------------------------------------------------------------- throughput

    private static Comparison.Side throughputSide(String name, int port, boolean proxied, long operationBytes) {
        return new Comparison.Side(name, Math.round(operationBytes / 1e6), "MB", () -> {
            Connection connection = Connection.open(port, proxied);
            byte[] chunk = new byte[CHUNK];
            Arrays.fill(chunk, (byte) 'x');
            return new Comparison.Session() {
                @Override
                public void run() throws IOException {
                    OutputStream out = connection.socket.getOutputStream();
                    for (long left = operationBytes; left > 0; left -= CHUNK) {
                        out.write(chunk, 0, (int) Math.min(CHUNK, left));
                    }
                    if (connection.socket.getInputStream().read() != 1) {
                        throw new IllegalStateException(name + ": the sink did not acknowledge the operation");
                    }
                }

                @Override
                public void close() throws IOException {
                    connection.close();
                }
            };
        });
    }

    /** Reads {@code operationBytes} at a time and answers each with one byte, until end-of-stream. */
    private static void sink(Socket socket, long operationBytes) throws IOException {
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream();
        byte[] buffer = new byte[CHUNK];
        long received = 0;
        int count;
        while ((count = in.read(buffer)) >= 0) {
            received += count;
            if (received >= operationBytes) {
                if (received > operationBytes) {
                    throw new IOException("an operation sent more than " + operationBytes + " bytes: " + received);
                }
                received = 0;
                out.write(1);
            }
        }
    }

    // ---------------------------------------------------------------- latency

    private record LatencySample(
            double roundTripsPerSecond, double p50Micros, double p99Micros, double cpuMicros, double otherLoad) {}

    /** Medians over the rounds; each array is {median, min, max} over the rounds. */
    private record LatencySummary(
            double[] rateRatio,
            double proxyP50,
            double directP50,
            double proxyP99,
            double directP99,
            double[] addedP50,
            double[] addedP99) {}

    private static LatencySummary latency(int port, Duration warmup, Duration window, int rounds) throws Exception {
        String title = "TcpProxy ping-pong, " + MESSAGE + "-byte messages, round trips";
        System.out.printf(
                Locale.ROOT,
                "%n== %s (%d rounds, warm-up %d ms, window %d ms)%n",
                title,
                rounds,
                warmup.toMillis(),
                window.toMillis());
        boolean[] sides = {true, false}; // through the proxy, direct
        for (boolean proxied : sides) { // compile the shared code before round 1
            measureLatency(port, proxied, warmup, Duration.ofMillis(1));
        }
        LatencySample[][] samples = new LatencySample[2][rounds];
        for (int round = 0; round < rounds; round++) {
            for (int index : Comparison.order(2, round)) {
                boolean proxied = sides[index];
                LatencySample sample = Comparison.quietly(
                        () -> measureLatency(port, proxied, warmup, window), LatencySample::otherLoad);
                samples[index][round] = sample;
                System.out.printf(
                        Locale.ROOT,
                        "  round %d  %-18s %10.0f round trips/s  p50 %7.1f us  p99 %7.1f us  %7.2f cpu-us/round trip"
                                + "  (other load %.2f cores)%n",
                        round + 1,
                        proxied ? PROXY : DIRECT,
                        sample.roundTripsPerSecond(),
                        sample.p50Micros(),
                        sample.p99Micros(),
                        sample.cpuMicros(),
                        sample.otherLoad());
            }
        }
        double[] rateRatios = new double[rounds];
        double[] addedP50 = new double[rounds];
        double[] addedP99 = new double[rounds];
        for (int round = 0; round < rounds; round++) {
            LatencySample proxy = samples[0][round];
            LatencySample direct = samples[1][round];
            rateRatios[round] = proxy.roundTripsPerSecond() / direct.roundTripsPerSecond();
            addedP50[round] = proxy.p50Micros() - direct.p50Micros();
            addedP99[round] = proxy.p99Micros() - direct.p99Micros();
            Comparison.printRoundRatio(title, PROXY, DIRECT, rateRatios[round]);
        }
        LatencySummary summary = new LatencySummary(
                spread(rateRatios),
                Comparison.median(column(samples[0], LatencySample::p50Micros)),
                Comparison.median(column(samples[1], LatencySample::p50Micros)),
                Comparison.median(column(samples[0], LatencySample::p99Micros)),
                Comparison.median(column(samples[1], LatencySample::p99Micros)),
                spread(addedP50),
                spread(addedP99));
        System.out.printf(
                Locale.ROOT,
                "  RATIO %s / %s = %.2f (min %.2f, max %.2f) round trips/s; added p50 %+.1f us (min %+.1f, max %+.1f),"
                        + " added p99 %+.1f us (min %+.1f, max %+.1f)%n",
                PROXY,
                DIRECT,
                summary.rateRatio()[0],
                summary.rateRatio()[1],
                summary.rateRatio()[2],
                summary.addedP50()[0],
                summary.addedP50()[1],
                summary.addedP50()[2],
                summary.addedP99()[0],
                summary.addedP99()[1],
                summary.addedP99()[2]);
        return summary;
    }

    /** One measurement on a fresh connection (and proxy): warm-up, then every round trip of the window timed. */
    private static LatencySample measureLatency(int port, boolean proxied, Duration warmup, Duration window)
            throws Exception {
        try (Connection connection = Connection.open(port, proxied)) {
            OutputStream out = connection.socket.getOutputStream();
            InputStream in = connection.socket.getInputStream();
            byte[] message = new byte[MESSAGE];
            byte[] reply = new byte[MESSAGE];
            long warmupEnd = System.nanoTime() + warmup.toNanos();
            while (System.nanoTime() < warmupEnd) {
                pingPong(out, in, message, reply);
            }
            long[] nanos = new long[1 << 16];
            int count = 0;
            OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long[] machineBefore = Comparison.machineCpuJiffies();
            long cpuBefore = os.getProcessCpuTime();
            long start = System.nanoTime();
            long end = start + window.toNanos();
            long now = start;
            while (now < end) {
                long before = now;
                pingPong(out, in, message, reply);
                now = System.nanoTime();
                if (count == nanos.length) {
                    nanos = Arrays.copyOf(nanos, count * 2);
                }
                nanos[count++] = now - before;
            }
            long elapsed = now - start;
            long cpuUsed = os.getProcessCpuTime() - cpuBefore;
            long[] machineAfter = Comparison.machineCpuJiffies();
            long[] sorted = Arrays.copyOf(nanos, count);
            Arrays.sort(sorted);
            return new LatencySample(
                    count / (elapsed / 1e9),
                    percentile(sorted, 0.50) / 1e3,
                    percentile(sorted, 0.99) / 1e3,
                    cpuUsed / 1e3 / count,
                    Comparison.otherLoad(machineBefore, machineAfter, cpuUsed, elapsed));
        }
    }

    private static void pingPong(OutputStream out, InputStream in, byte[] message, byte[] reply) throws IOException {
        out.write(message);
        if (in.readNBytes(reply, 0, MESSAGE) != MESSAGE) {
            throw new IOException("the echo server closed the connection");
        }
    }

    /** Echoes every byte back until end-of-stream. */
    private static void echo(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream();
        byte[] buffer = new byte[CHUNK];
        int count;
        while ((count = in.read(buffer)) >= 0) {
            out.write(buffer, 0, count);
        }
    }

    private static long percentile(long[] sorted, double quantile) {
        int index = (int) Math.ceil(quantile * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static double[] column(LatencySample[] samples, java.util.function.ToDoubleFunction<LatencySample> f) {
        return Arrays.stream(samples).mapToDouble(f).toArray();
    }

    /** {median, min, max} of {@code values}. */
    private static double[] spread(double[] values) {
        return new double[] {
            Comparison.median(values),
            Arrays.stream(values).min().orElseThrow(),
            Arrays.stream(values).max().orElseThrow()
        };
    }

    // ---------------------------------------------------------------- plumbing

    /** A client connection to a server port, directly or through a fresh proxy started for it. */
    private record Connection(Socket socket, TcpProxy proxy) implements AutoCloseable {
        static Connection open(int port, boolean proxied) throws IOException {
            TcpProxy proxy = proxied ? new TcpProxy("127.0.0.1", port).start() : null;
            Socket socket = new Socket();
            try {
                socket.setTcpNoDelay(true);
                socket.connect(new InetSocketAddress("127.0.0.1", proxied ? proxy.proxyPort() : port));
            } catch (IOException e) {
                socket.close();
                if (proxy != null) {
                    proxy.close();
                }
                throw e;
            }
            return new Connection(socket, proxy);
        }

        @Override
        public void close() throws IOException {
            try {
                socket.close();
            } finally {
                if (proxy != null) {
                    proxy.close();
                }
            }
        }
    }

    /** A plain server on 127.0.0.1: a virtual thread per connection; closing ends them all. */
    private static final class Server implements AutoCloseable {
        interface Handler {
            void handle(Socket socket) throws IOException;
        }

        private final ServerSocket server;
        private final Thread acceptor;
        private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

        private Server(Handler handler) throws IOException {
            server = new ServerSocket();
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            acceptor = Thread.ofVirtual().name("bench-server").start(() -> accept(handler));
        }

        static Server start(Handler handler) throws IOException {
            return new Server(handler);
        }

        int port() {
            return server.getLocalPort();
        }

        private void accept(Handler handler) {
            while (true) {
                Socket socket;
                try {
                    socket = server.accept();
                } catch (IOException e) {
                    return;
                }
                sockets.add(socket);
                Thread.ofVirtual().name("bench-server-connection").start(() -> {
                    try (socket) {
                        socket.setTcpNoDelay(true);
                        handler.handle(socket);
                    } catch (IOException e) {
                        // the client went away
                    } finally {
                        sockets.remove(socket);
                    }
                });
            }
        }

        @Override
        public void close() throws Exception {
            server.close();
            acceptor.join();
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }
}
