package io.aiomisc.examples;

import io.aiomisc.Entrypoint;
import io.aiomisc.net.StreamReader;
import io.aiomisc.net.StreamWriter;
import io.aiomisc.net.TcpClient;
import io.aiomisc.net.TcpServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The README's "Networking" section, runnable: {@code bin/run-example echo [PORT] [LINES]}. An
 * entrypoint runs a TCP echo server; once it listens, a TCP client service connects, sends
 * {@code LINES} lines (default 3), logs each echo, and the program ends by itself, closing the
 * client and the server. Ctrl+C (SIGINT) or SIGTERM stops it earlier.
 *
 * <p>{@code PORT} is where the server listens, on 127.0.0.1; 0 (the default) takes any free port.
 */
public final class EchoExample {
    private static final Logger log = LoggerFactory.getLogger(EchoExample.class);

    private EchoExample() {}

    /** Sends every line it reads back to the client; a virtual thread per connection, plain blocking IO. */
    static final class EchoServer extends TcpServer {
        EchoServer(int port) {
            super("127.0.0.1", port);
        }

        @Override
        protected void handleClient(StreamReader reader, StreamWriter writer) throws IOException {
            int lines = 0;
            for (byte[] line; (line = reader.readLine()).length > 0; lines++) { // empty: the client closed
                writer.write(line);
            }
            log.info("Echo server: connection from {} closed after {} lines", writer.remoteAddress(), lines);
        }
    }

    /** Sends {@code lines} lines, reads each echo, then counts {@code done} down. */
    static final class EchoClient extends TcpClient {
        private final int lines;
        private final CountDownLatch done;

        EchoClient(int port, int lines, CountDownLatch done) {
            super("127.0.0.1", port);
            this.lines = lines;
            this.done = done;
        }

        @Override
        protected void handleConnection(StreamReader reader, StreamWriter writer) throws IOException {
            for (int i = 1; i <= lines; i++) {
                writer.write(("hello " + i + "\n").getBytes(StandardCharsets.UTF_8));
                String echo = new String(reader.readLine(), StandardCharsets.UTF_8).strip();
                log.info("Echo client: sent 'hello {}', got '{}' back", i, echo);
            }
            done.countDown(); // returning closes the connection
        }
    }

    /**
     * Runs the example.
     *
     * @param args {@code [PORT] [LINES]}: the server's port (default 0, any free port) and how many
     *             lines the client sends (default 3)
     * @throws Exception if the server cannot listen or the client cannot connect
     */
    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        int lines = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        if (lines < 1) {
            throw new IllegalArgumentException("LINES must be at least 1: " + lines);
        }
        EchoServer server = new EchoServer(port);
        try (Entrypoint entrypoint = Entrypoint.builder().services(server).start()) {
            int bound = server.localAddress().getPort(); // known once the server has started
            log.info("Echo server listening on tcp://127.0.0.1:{}", bound);
            CountDownLatch done = new CountDownLatch(1);
            entrypoint.startServices(new EchoClient(bound, lines, done)); // returns once connected
            entrypoint.runUntilComplete(() -> {
                done.await();
                return null;
            });
        } catch (CancellationException stoppedBySignal) {
            log.info("Echo example stopped before the end");
            return;
        }
        log.info("Echo example finished");
    }
}
