package io.aiomisc.nats.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real nats-server with JetStream on a free loopback port and a store of its own, for tests:
 * started by {@link #start}, stopped (and its store deleted) by {@link #close}; {@link #restart} stops it
 * and starts it again on the same port and store (the file store keeps the streams).
 */
public final class NatsServer implements AutoCloseable {
    private static final Duration READY = Duration.ofSeconds(20);

    private final Path store;
    private final int port;
    private final Path log;
    private Process process;

    private NatsServer(Path store, int port) {
        this.store = store;
        this.port = port;
        this.log = store.resolveSibling(store.getFileName() + ".log");
    }

    /** Starts a server; fails with a clear message when the binary is missing. */
    public static NatsServer start() throws IOException, InterruptedException {
        Path store = Files.createTempDirectory("nats-store-");
        NatsServer server = new NatsServer(store, freePort());
        server.launch();
        return server;
    }

    /** @return the {@code nats://127.0.0.1:port} URL */
    public String url() {
        return "nats://127.0.0.1:" + port;
    }

    /** @return the port it listens on */
    public int port() {
        return port;
    }

    /** @return its process (for signals) */
    public Process process() {
        return process;
    }

    /** Stops the server (SIGTERM: it flushes its store) and starts it again on the same port and store. */
    public void restart() throws IOException, InterruptedException {
        stopProcess();
        launch();
    }

    /** Stops the server; it can be started again with {@link #restart}. */
    public void stop() throws InterruptedException {
        stopProcess();
    }

    private void launch() throws IOException, InterruptedException {
        Path binary = binary();
        process = new ProcessBuilder(List.of(
                        binary.toString(),
                        "-js",
                        "-sd",
                        store.toString(),
                        "-a",
                        "127.0.0.1",
                        "-p",
                        Integer.toString(port)))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        long deadline = System.nanoTime() + READY.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException(
                        "nats-server exited with status " + process.exitValue() + ": " + Files.readString(log));
            }
            if (Files.readString(log).contains("Server is ready") && accepts()) {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(20); // polling the server's log: it has no readiness callback
        }
        process.destroyForcibly();
        throw new IOException("nats-server did not become ready within " + READY + ": " + Files.readString(log));
    }

    private boolean accepts() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void stopProcess() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
        // the log says "Server is ready" from the previous run; a restart must see a new line
        try {
            Files.writeString(log, "");
        } catch (IOException e) {
            // the next launch appends to what is there and may return early; it then retries its connects
        }
    }

    private static Path binary() throws IOException {
        for (String candidate :
                List.of("/usr/sbin/nats-server", "/usr/bin/nats-server", "/usr/local/bin/nats-server")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return Path.of(candidate);
            }
        }
        String path = System.getenv().getOrDefault("PATH", "");
        for (String directory : path.split(":")) {
            Path candidate = Path.of(directory, "nats-server");
            if (!directory.isEmpty() && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IOException("nats-server is not installed: bin/run-tests installs it (Debian package "
                + "nats-server); or install it by hand");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        stopProcess();
        try (var files = Files.walk(store)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(file -> file.toFile().delete());
        }
        Files.deleteIfExists(log);
    }
}
