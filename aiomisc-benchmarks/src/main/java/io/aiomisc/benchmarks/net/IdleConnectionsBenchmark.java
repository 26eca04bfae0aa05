package io.aiomisc.benchmarks.net;

import io.aiomisc.Entrypoint;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Memory per idle connection of the echo servers of the TCP echo comparison: the aiomisc
 * {@code TcpServer} (a virtual thread and a {@code StreamReader} per connection) and, for
 * comparison, the Netty 4 echo server (a channel per connection, no buffer while idle).
 *
 * <p>Each server runs alone in a child JVM (so that only the server's memory is measured) started
 * with the same {@code java}, class path and {@code -Xmx2g -XX:+UseParallelGC}. This JVM (the
 * client) opens {@code N} connections to it (default 10,000), sends one byte on each and reads the
 * echo (so every connection has been served once and its handler is waiting for the next
 * request: a keep-alive client between requests), and asks the child for its memory before and
 * after, each time after a full GC: the heap in use (live Java objects: buffers, virtual-thread
 * stacks, channel objects) and the process's resident set ({@code VmRSS}: the heap pages touched
 * plus native memory, e.g. direct buffers and metadata; kernel socket buffers are not in it).
 * Before the baseline, 200 connections are opened, served and closed, so that class loading and
 * the JIT are not counted.
 *
 * <p>Usage: {@code FORKS=1 aiomisc-benchmarks/run net.IdleConnectionsBenchmark [N] [aiomisc,netty]};
 * needs about 2N file descriptors ({@code ulimit -n}).
 */
public final class IdleConnectionsBenchmark {
    private static final int WARMUP_CONNECTIONS = 200;

    private IdleConnectionsBenchmark() {}

    public static void main(String[] args) throws Exception {
        if (args.length >= 2 && args[0].equals("--serve")) {
            serve(args[1]);
            return;
        }
        int connections = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        String[] systems = (args.length > 1 ? args[1] : "aiomisc,netty").split(",");
        System.out.printf(
                Locale.ROOT,
                "== Memory per idle connection: %,d connections, each served one 1-byte echo, then idle%n",
                connections);
        StringBuilder summary = new StringBuilder("SUMMARY idle-connections n=" + connections);
        double[] heapPer = new double[systems.length];
        double[] rssPer = new double[systems.length];
        for (int i = 0; i < systems.length; i++) {
            double[] result = measure(systems[i].trim(), connections);
            heapPer[i] = result[0];
            rssPer[i] = result[1];
            summary.append(String.format(
                    Locale.ROOT,
                    " %s: heap=%.1fKiB rss=%.1fKiB",
                    systems[i].trim(),
                    heapPer[i] / 1024,
                    rssPer[i] / 1024));
        }
        System.out.println(summary);
    }

    /** Returns {heap bytes per connection, RSS bytes per connection}. */
    private static double[] measure(String system, int connections) throws Exception {
        Process child = startChild(system);
        try (BufferedReader out =
                        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
                PrintStream in = new PrintStream(child.getOutputStream(), true, StandardCharsets.UTF_8)) {
            String ready = out.readLine();
            if (ready == null || !ready.startsWith("READY ")) {
                throw new IllegalStateException(system + " server did not start: " + ready);
            }
            InetSocketAddress address = new InetSocketAddress(
                    "127.0.0.1", Integer.parseInt(ready.substring(6).trim()));
            closeAll(openAndServe(address, WARMUP_CONNECTIONS));
            Thread.sleep(500); // let the server notice the closes
            long[] before = memory(in, out);
            long started = System.nanoTime();
            List<SocketChannel> clients = openAndServe(address, connections);
            double seconds = (System.nanoTime() - started) / 1e9;
            long[] after = memory(in, out);
            long[] again = memory(in, out); // a second look: the numbers must not still be moving
            closeAll(clients);
            double heapPer = (double) (after[0] - before[0]) / connections;
            double rssPer = (double) (after[1] - before[1]) / connections;
            System.out.printf(
                    Locale.ROOT,
                    "-- %s (opened and served in %.1f s; server has %d descriptors open)%n",
                    name(system),
                    seconds,
                    after[2]);
            System.out.printf(
                    Locale.ROOT,
                    "  heap used after full GC:  before %8.1f MiB, after %8.1f MiB (%.1f on a second look)  -> %6.1f KiB per connection%n",
                    mib(before[0]),
                    mib(after[0]),
                    mib(again[0]),
                    heapPer / 1024);
            System.out.printf(
                    Locale.ROOT,
                    "  process RSS (VmRSS):      before %8.1f MiB, after %8.1f MiB (%.1f on a second look)  -> %6.1f KiB per connection%n",
                    mib(before[1]),
                    mib(after[1]),
                    mib(again[1]),
                    rssPer / 1024);
            in.println("quit");
            return new double[] {heapPer, rssPer};
        } finally {
            if (!child.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                child.destroyForcibly();
            }
        }
    }

    private static String name(String system) {
        return switch (system) {
            case "aiomisc" -> "aiomisc TcpServer";
            case "netty" -> "Netty 4";
            default -> system;
        };
    }

    private static double mib(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }

    private static Process startChild(String system) throws IOException {
        String java = ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java, "-Xmx2g", "-XX:+UseParallelGC"));
        if (Runtime.version().feature() >= 24) {
            command.add("--enable-native-access=ALL-UNNAMED");
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.addAll(List.of(
                "-cp",
                System.getProperty("java.class.path"),
                IdleConnectionsBenchmark.class.getName(),
                "--serve",
                system));
        return new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
    }

    /** Opens {@code n} connections, then does one 1-byte round trip on each. */
    private static List<SocketChannel> openAndServe(InetSocketAddress address, int n) throws IOException {
        List<SocketChannel> clients = new ArrayList<>(n);
        try {
            for (int i = 0; i < n; i++) {
                SocketChannel channel = SocketChannel.open(address);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                clients.add(channel);
            }
            ByteBuffer buffer = ByteBuffer.allocateDirect(1);
            for (SocketChannel channel : clients) {
                buffer.clear().put((byte) 'x').flip();
                channel.write(buffer);
            }
            for (SocketChannel channel : clients) {
                buffer.clear();
                if (channel.read(buffer) != 1) {
                    throw new IOException("no echo from the server");
                }
            }
        } catch (IOException | RuntimeException e) {
            closeAll(clients);
            throw e;
        }
        return clients;
    }

    private static void closeAll(List<SocketChannel> clients) {
        for (SocketChannel channel : clients) {
            try {
                channel.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    /** Asks the child for {heap used, RSS, open descriptors} after a full GC. */
    private static long[] memory(PrintStream in, BufferedReader out) throws IOException {
        in.println("measure");
        String line = out.readLine();
        if (line == null || !line.startsWith("MEM ")) {
            throw new IllegalStateException("unexpected answer from the server: " + line);
        }
        String[] parts = line.split(" ");
        return new long[] {Long.parseLong(parts[1]), Long.parseLong(parts[2]), Long.parseLong(parts[3])};
    }

    // ---- the child: one server, answering "measure" and "quit" on stdin ----

    private static void serve(String system) throws Exception {
        AutoCloseable server;
        int port;
        switch (system) {
            case "aiomisc" -> {
                AiomiscEchoServer.Echo echo = new AiomiscEchoServer.Echo("127.0.0.1", 0);
                Entrypoint entrypoint = Entrypoint.builder()
                        .services(echo)
                        .logConfig(false)
                        .catchSignals(false)
                        .start();
                server = entrypoint;
                port = echo.localAddress().getPort();
            }
            case "netty" -> {
                NettyEchoServer.Running running = NettyEchoServer.start(0);
                server = running;
                port = running.port();
            }
            default -> throw new IllegalArgumentException("unknown system " + system + " (aiomisc or netty)");
        }
        System.out.println("READY " + port);
        System.out.flush();
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String command = commands.readLine();
                command != null && !command.equals("quit");
                command = commands.readLine()) {
            if (command.equals("measure")) {
                MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
                for (int i = 0; i < 3; i++) {
                    memory.gc();
                    Thread.sleep(200);
                }
                System.out.println("MEM " + memory.getHeapMemoryUsage().getUsed() + " " + rss() + " " + descriptors());
                System.out.flush();
            }
        }
        server.close();
        System.exit(0);
    }

    /** VmRSS of this process in bytes. */
    private static long rss() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new UncheckedIOException(new IOException("no VmRSS in /proc/self/status"));
    }

    private static long descriptors() throws IOException {
        try (var files = Files.list(Path.of("/proc/self/fd"))) {
            return files.count();
        }
    }
}
