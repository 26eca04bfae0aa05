package io.aiomisc.benchmarks.grpc;

import io.aiomisc.benchmarks.grpc.proto.BenchGreeterGrpc;
import io.aiomisc.benchmarks.grpc.proto.BenchHelloReply;
import io.aiomisc.benchmarks.grpc.proto.BenchHelloRequest;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The load generator of the gRPC comparison ({@code aiomisc-benchmarks/grpc-bench}), ghz-like: a
 * closed loop of {@code CONNS} outstanding unary {@code SayHello} calls on one channel (one HTTP/2
 * connection, {@code CONNS} streams), each issued again as soon as it completes. Calls complete on
 * the channel's event loop (direct executor), so the client adds no thread hand-off of its own.
 *
 * <p>Warm-up, then a measured window: only calls that complete inside the window count. At the end
 * it prints one line of {@code key=value}: {@code calls_per_s}, {@code p50_us} and {@code p99_us}
 * (per-call latency, issue to completion), {@code errors} (failed calls and wrong replies; must be
 * 0), and, given the server's pid, the server's CPU per call ({@code server_cpu_us}, from
 * {@code /proc/PID/stat} utime + stime over the window), its cores, this process's cores, and the
 * cores the rest of the machine used ({@code other_cores}: busy ticks of {@code /proc/stat} minus
 * the server and this process).
 *
 * <p>Usage: {@code GrpcLoad -p PORT [-c CONNS=64] [-w WARMUP_S=3] [-d DURATION_S=10] [-P SERVER_PID]
 * [-l LABEL] [-hz CLK_TCK=100]}; connects to 127.0.0.1. A failed call is counted and its lane stops
 * (no retry loop against a broken server).
 */
public final class GrpcLoad {
    private static final BenchHelloRequest REQUEST =
            BenchHelloRequest.newBuilder().setName("world").build();
    private static final String EXPECTED = "hello world";

    private GrpcLoad() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        int port = Hello.port(required(options, "-p"));
        int conns = positive(options, "-c", 64);
        int warmup = positive(options, "-w", 3);
        int duration = positive(options, "-d", 10);
        int hz = positive(options, "-hz", 100);
        String label = options.getOrDefault("-l", "grpc");
        long serverPid = options.containsKey("-P") ? Long.parseLong(options.get("-P")) : -1;

        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port)
                .usePlaintext()
                .directExecutor()
                .build();
        try {
            // one call first: the connection is up before the clock starts
            BenchHelloReply first = BenchGreeterGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(30, TimeUnit.SECONDS)
                    .sayHello(REQUEST);
            if (!EXPECTED.equals(first.getMessage())) {
                throw new IllegalStateException("unexpected reply '" + first.getMessage() + "'");
            }
            BenchGreeterGrpc.BenchGreeterStub stub = BenchGreeterGrpc.newStub(channel);
            long begin = System.nanoTime();
            long windowStart = begin + TimeUnit.SECONDS.toNanos(warmup);
            long windowEnd = windowStart + TimeUnit.SECONDS.toNanos(duration);
            CountDownLatch done = new CountDownLatch(conns);
            AtomicLong errors = new AtomicLong();
            Lane[] lanes = new Lane[conns];
            for (int i = 0; i < conns; i++) {
                lanes[i] = new Lane(stub, windowStart, windowEnd, done, errors);
            }
            for (Lane lane : lanes) {
                lane.issue();
            }
            sleepUntil(windowStart);
            long server0 = serverPid > 0 ? ticks(Path.of("/proc/" + serverPid + "/stat")) : 0;
            long self0 = ticks(Path.of("/proc/self/stat"));
            long machine0 = machineTicks();
            long t0 = System.nanoTime();
            sleepUntil(windowEnd);
            long t1 = System.nanoTime();
            long server1 = serverPid > 0 ? ticks(Path.of("/proc/" + serverPid + "/stat")) : 0;
            long self1 = ticks(Path.of("/proc/self/stat"));
            long machine1 = machineTicks();
            if (!done.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException(done.getCount() + " call(s) still outstanding 30 s after the window");
            }

            int calls = 0;
            for (Lane lane : lanes) {
                calls += lane.count;
            }
            long[] latencies = new long[calls];
            int at = 0;
            for (Lane lane : lanes) {
                System.arraycopy(lane.latencies, 0, latencies, at, lane.count);
                at += lane.count;
            }
            Arrays.sort(latencies);
            double seconds = (t1 - t0) / 1e9;
            double window = (windowEnd - windowStart) / 1e9;
            double serverCores = (server1 - server0) / (double) hz / seconds;
            double selfCores = (self1 - self0) / (double) hz / seconds;
            double otherCores =
                    Math.max(0, (machine1 - machine0 - (server1 - server0) - (self1 - self0)) / (double) hz / seconds);
            double rate = calls / window;
            System.out.println(String.format(
                    Locale.ROOT,
                    "label=%s calls=%d calls_per_s=%.1f p50_us=%.1f p99_us=%.1f errors=%d server_cpu_us=%.2f"
                            + " server_cores=%.2f client_cores=%.2f other_cores=%.2f",
                    label,
                    calls,
                    rate,
                    percentile(latencies, 0.50) / 1e3,
                    percentile(latencies, 0.99) / 1e3,
                    errors.get(),
                    rate > 0 ? serverCores / rate * 1e6 : 0,
                    serverCores,
                    selfCores,
                    otherCores));
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /**
     * One of the {@code CONNS} outstanding calls: issues the next call when one completes, until the
     * window has ended. Its calls follow one another, so its fields are written by one call at a time.
     */
    private static final class Lane implements StreamObserver<BenchHelloReply> {
        private final BenchGreeterGrpc.BenchGreeterStub stub;
        private final long windowStart;
        private final long windowEnd;
        private final CountDownLatch done;
        private final AtomicLong errors;
        private long[] latencies = new long[4096];
        private int count;
        private long issued;
        private boolean replied;

        Lane(
                BenchGreeterGrpc.BenchGreeterStub stub,
                long windowStart,
                long windowEnd,
                CountDownLatch done,
                AtomicLong errors) {
            this.stub = stub;
            this.windowStart = windowStart;
            this.windowEnd = windowEnd;
            this.done = done;
            this.errors = errors;
        }

        void issue() {
            replied = false;
            issued = System.nanoTime();
            stub.sayHello(REQUEST, this);
        }

        @Override
        public void onNext(BenchHelloReply reply) {
            replied = EXPECTED.equals(reply.getMessage());
        }

        @Override
        public void onCompleted() {
            long now = System.nanoTime();
            if (!replied) {
                errors.incrementAndGet();
            } else if (now - windowStart >= 0 && now - windowEnd < 0) {
                if (count == latencies.length) {
                    latencies = Arrays.copyOf(latencies, count * 2);
                }
                latencies[count++] = now - issued;
            }
            if (now - windowEnd < 0) {
                issue();
            } else {
                done.countDown();
            }
        }

        @Override
        public void onError(Throwable failure) {
            if (errors.incrementAndGet() == 1) {
                System.err.println("first failed call: " + failure);
            }
            done.countDown();
        }
    }

    /** Nearest-rank percentile of sorted nanoseconds; 0 when there are none. */
    private static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
    }

    private static void sleepUntil(long deadline) throws InterruptedException {
        for (long left = deadline - System.nanoTime(); left > 0; left = deadline - System.nanoTime()) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }

    /** utime + stime of a {@code /proc/PID/stat} file, in clock ticks. */
    private static long ticks(Path stat) throws IOException {
        String line = Files.readString(stat);
        String[] fields = line.substring(line.lastIndexOf(") ") + 2).trim().split(" ");
        // after the command: state is field 3, utime field 14, stime field 15
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /** The machine's busy ticks from {@code /proc/stat}: user, nice, system, irq, softirq. */
    private static long machineTicks() throws IOException {
        String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        return Long.parseLong(cpu[1])
                + Long.parseLong(cpu[2])
                + Long.parseLong(cpu[3])
                + Long.parseLong(cpu[6])
                + Long.parseLong(cpu[7]);
    }

    private static Map<String, String> options(String[] args) {
        if (args.length % 2 != 0) {
            throw new IllegalArgumentException("options come in pairs (-p PORT ...), got " + Arrays.toString(args));
        }
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "-p", "-c", "-w", "-d", "-P", "-l", "-hz" -> options.put(args[i], args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'");
            }
        }
        return options;
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("option " + name + " is required");
        }
        return value;
    }

    private static int positive(Map<String, String> options, String name, int fallback) {
        String value = options.get(name);
        if (value == null) {
            return fallback;
        }
        int parsed = Integer.parseInt(value);
        if (parsed <= 0) {
            throw new IllegalArgumentException(name + " must be > 0, got " + parsed);
        }
        return parsed;
    }
}
