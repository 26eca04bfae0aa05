package io.aiomisc.nats.process;

import io.aiomisc.nats.NatsSettings;
import io.aiomisc.nats.WorkerNode;
import io.aiomisc.nats.testing.NatsServer;
import io.aiomisc.testing.JavaProcess;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link WorkerNode} in a child JVM started with {@link WorkerNode#main} on the test class path (so
 * the tasks of these tests are there), its secret in {@value WorkerNode#SECRET_ENV} and its label in
 * {@value #LABEL_ENV} (the tasks read it to say where they ran). Closing it kills the JVM if it is
 * still alive.
 */
final class ChildNode implements AutoCloseable {
    static final String SECRET = "0123456789abcdef0123456789abcdef";
    static final String LABEL_ENV = "AIOMISC_TEST_NODE";

    /** How long a child JVM may take to connect: several JVMs start at once on a loaded machine. */
    static final Duration READY = Duration.ofSeconds(60);

    final String label;
    final JavaProcess process;

    private ChildNode(String label, JavaProcess process) {
        this.label = label;
        this.process = process;
    }

    /**
     * Starts a node of {@code pool} labelled (and with node id) {@code label}; does not wait for it
     * ({@link #awaitReady}).
     */
    static ChildNode launch(NatsServer server, String pool, String label, int concurrency, Duration ackWait)
            throws IOException {
        List<String> args = new ArrayList<>(List.of(
                "--server",
                server.url(),
                "--pool",
                pool,
                "--concurrency",
                Integer.toString(concurrency),
                "--ack-wait",
                ackWait.toString(),
                "--node-id",
                label));
        Map<String, String> environment = new HashMap<>();
        environment.put(WorkerNode.SECRET_ENV, SECRET);
        environment.put(LABEL_ENV, label);
        return new ChildNode(label, JavaProcess.start(WorkerNode.class, environment, args.toArray(String[]::new)));
    }

    /** As {@link #launch}, then {@link #awaitReady}; kills the child if it does not get ready. */
    static ChildNode start(NatsServer server, String pool, String label, int concurrency, Duration ackWait)
            throws IOException, InterruptedException {
        ChildNode node = launch(server, pool, label, concurrency, ackWait);
        try {
            node.awaitReady();
        } catch (RuntimeException | Error | InterruptedException e) {
            node.close();
            throw e;
        }
        return node;
    }

    /** Waits until the node has connected and pulls tasks (it logs so on stderr). */
    void awaitReady() throws InterruptedException {
        process.awaitStderr(line -> line.contains("Worker node " + label + " serving pool"), READY);
    }

    /** The settings a producer of {@code pool} on {@code server} shares with these nodes. */
    static NatsSettings settings(NatsServer server, String pool, Duration ackWait) {
        return NatsSettings.builder()
                .servers(server.url())
                .pool(pool)
                .secret(SECRET)
                .ackWait(ackWait)
                .build();
    }

    /** The ids of the tasks this node printed as started ({@link Tasks#STARTED} lines), in order. */
    List<String> startedTaskIds() {
        List<String> ids = new ArrayList<>();
        for (String line : process.stdout()) {
            if (line.startsWith(Tasks.STARTED)) {
                ids.add(line.substring(Tasks.STARTED.length()).split(" ")[0]);
            }
        }
        return ids;
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }

    @Override
    public String toString() {
        return "node " + label + " (pid " + process.pid() + ")";
    }
}
