package io.aiomisc.benchmarks;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The nats-server of {@link NatsWorkerPoolBenchmark}: {@code nats-server -js -sd <store> -a 127.0.0.1
 * -p <free port>}, started by {@link #start} (it inherits this JVM's CPU affinity), stopped by
 * {@link #close} (SIGTERM, then SIGKILL after 20 s), which also deletes its store and log.
 */
final class NatsBenchBroker implements AutoCloseable {
    /** Where Debian's package {@code nats-server} puts the binary; looked for first. */
    static final Path DEBIAN_BINARY = Path.of("/usr/sbin/nats-server");

    private static final long READY_NANOS = TimeUnit.SECONDS.toNanos(20);

    private final Path store;
    private final Path log;
    private final int port;
    private final Process process;

    private NatsBenchBroker(Path store, Path log, int port, Process process) {
        this.store = store;
        this.log = log;
        this.port = port;
        this.process = process;
    }

    /**
     * Starts a server with JetStream and its store in a fresh directory under {@code work}; returns
     * once it accepts connections.
     *
     * @param register told of the server as soon as its process is started (a shutdown hook's list)
     * @throws IllegalStateException if nats-server is not installed (the message says how to install it)
     * @throws IOException           if it exits or is not ready within 20 s (its log is in the message)
     */
    static NatsBenchBroker start(Path work, java.util.function.Consumer<NatsBenchBroker> register)
            throws IOException, InterruptedException {
        Path binary = binary();
        Path store = Files.createTempDirectory(work, "nats-store-");
        Path log = work.resolve(store.getFileName() + ".log");
        int port = freePort();
        Process process = new ProcessBuilder(List.of(
                        binary.toString(),
                        "-js",
                        "-sd",
                        store.toString(),
                        "-a",
                        "127.0.0.1",
                        "-p",
                        Integer.toString(port)))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        NatsBenchBroker broker = new NatsBenchBroker(store, log, port, process);
        register.accept(broker);
        try {
            broker.awaitReady();
        } catch (IOException | InterruptedException | RuntimeException e) {
            broker.close();
            throw e;
        }
        return broker;
    }

    private void awaitReady() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + READY_NANOS;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("nats-server exited with status " + process.exitValue() + ":\n" + logText());
            }
            if (logText().contains("Server is ready") && accepts()) {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(20); // polling its log: nats-server has no readiness callback
        }
        throw new IOException("nats-server was not ready within 20 s:\n" + logText());
    }

    private String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(its log cannot be read: " + e + ")";
        }
    }

    private boolean accepts() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The binary: {@link #DEBIAN_BINARY} first, then {@code nats-server} on the PATH; fails saying how to install it. */
    static Path binary() {
        if (Files.isExecutable(DEBIAN_BINARY)) {
            return DEBIAN_BINARY;
        }
        for (String directory : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(directory.isEmpty() ? "." : directory, "nats-server");
            if (!directory.isEmpty() && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("nats-server is not installed: neither " + DEBIAN_BINARY
                + " nor nats-server on the PATH exists. NatsWorkerPoolBenchmark starts its own server (JetStream,"
                + " loopback, a temporary store); install it with `apt-get install nats-server` (Debian's"
                + " package) or put a nats-server 2.9+ binary on the PATH.");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        }
    }

    /** @return {@code nats://127.0.0.1:<port>} */
    String url() {
        return "nats://127.0.0.1:" + port;
    }

    /** @return the server's pid (for its CPU time) */
    long pid() {
        return process.pid();
    }

    /** Stops the server (SIGTERM; SIGKILL after 20 s) and deletes its store and log. */
    @Override
    public void close() throws IOException, InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
        deleteTree(store);
        Files.deleteIfExists(log);
    }

    /** Kills the server at once and waits (5 s at most) until it is gone: a shutdown hook's last resort. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }
}
