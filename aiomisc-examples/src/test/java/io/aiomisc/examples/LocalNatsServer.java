package io.aiomisc.examples;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real nats-server with JetStream on a free loopback port and a temporary store, for the NATS
 * example's tests (a small copy of aiomisc-nats's test harness, which is not published as a test jar):
 * {@link #start} waits until it accepts connections, {@link #close} stops it and deletes its store.
 */
final class LocalNatsServer implements AutoCloseable {
    private static final Duration READY = Duration.ofSeconds(20);

    private final Path store;
    private final Path log;
    private final int port;
    private final Process process;

    private LocalNatsServer(Path store, Path log, int port, Process process) {
        this.store = store;
        this.log = log;
        this.port = port;
        this.process = process;
    }

    static LocalNatsServer start() throws IOException, InterruptedException {
        Path store = Files.createTempDirectory("nats-example-store-");
        Path log = Files.createTempFile("nats-example-", ".log");
        int port = freePort();
        Process process = new ProcessBuilder(List.of(
                        binary().toString(), "-js", "-sd", store.toString(), "-a", "127.0.0.1", "-p", "" + port))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        LocalNatsServer server = new LocalNatsServer(store, log, port, process);
        long deadline = System.nanoTime() + READY.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                String output = Files.readString(log);
                server.close();
                throw new IOException("nats-server exited with status " + process.exitValue() + ": " + output);
            }
            if (Files.readString(log).contains("Server is ready") && server.accepts()) {
                return server;
            }
            TimeUnit.MILLISECONDS.sleep(20); // polling the server's log: it has no readiness callback
        }
        String output = Files.readString(log);
        server.close();
        throw new IOException("nats-server did not become ready within " + READY + ": " + output);
    }

    String url() {
        return "nats://127.0.0.1:" + port;
    }

    private boolean accepts() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static Path binary() throws IOException {
        for (String candidate :
                List.of("/usr/sbin/nats-server", "/usr/bin/nats-server", "/usr/local/bin/nats-server")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return Path.of(candidate);
            }
        }
        for (String directory : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!directory.isEmpty() && Files.isExecutable(Path.of(directory, "nats-server"))) {
                return Path.of(directory, "nats-server");
            }
        }
        throw new IOException(
                "nats-server is not installed: bin/ensure-nats-server (run by bin/run-tests) installs it");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
        try (Stream<Path> files = Files.walk(store)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(file -> file.toFile().delete());
        }
        Files.deleteIfExists(log);
    }
}
