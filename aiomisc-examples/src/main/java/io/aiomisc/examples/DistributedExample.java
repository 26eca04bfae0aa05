package io.aiomisc.examples;

import io.aiomisc.Entrypoint;
import io.aiomisc.nats.DistributedWorkerPool;
import io.aiomisc.nats.NatsSettings;
import io.aiomisc.nats.WorkerNode;
import io.aiomisc.task.Task;
import io.aiomisc.worker.WorkerTask;
import java.io.IOException;
import java.io.Serializable;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The README's "Scale-out on NATS (aiomisc-nats)" section, runnable: the producer side,
 * {@code bin/run-example nats [TASKS] [WAIT_SECONDS]}. Connects a {@link DistributedWorkerPool} to
 * the NATS server at {@code NATS_URL} (default {@value NatsSettings#DEFAULT_SERVER}; several URLs
 * separated by commas), sends {@code TASKS} tasks (default 8) — each counts the primes in a range of
 * 250,000 numbers — to the worker nodes of pool {@code default}, and prints every result with the
 * node (host and process) that ran it and the task's id, then the total; then the program ends. The
 * nodes are {@code bin/run-example nats-node} ({@link WorkerNode#main}) on this machine or others.
 *
 * <p>The shared secret comes, as for the nodes, from the file named by
 * {@value WorkerNode#SECRET_FILE_ENV} or from {@value WorkerNode#SECRET_ENV}: without it the
 * example says so and exits with status 2. When no result came within {@code WAIT_SECONDS}
 * (default 60) it says that no node seems to run and exits with status 1.
 */
public final class DistributedExample {
    private static final Logger log = LoggerFactory.getLogger(DistributedExample.class);

    /** How many numbers each task counts the primes of. */
    static final long RANGE = 250_000;

    private DistributedExample() {}

    /**
     * One task's answer, and where it ran.
     *
     * @param index  the task's number
     * @param from   the first number of the range
     * @param to     the end of the range (excluded)
     * @param primes the primes in {@code [from, to)}
     * @param host   the host name of the node that counted them
     * @param pid    the process id of that node's JVM
     * @param taskId the task's id, the same on every delivery ({@link WorkerNode#currentTaskId()})
     */
    record Part(int index, long from, long to, long primes, String host, long pid, String taskId)
            implements Serializable {}

    /**
     * Runs the example.
     *
     * @param args {@code [TASKS] [WAIT_SECONDS]}: TASKS tasks (default 8, at least 1); give up when
     *             no result came for WAIT_SECONDS (default 60)
     * @throws Exception if the entrypoint fails to start (no NATS server at NATS_URL, for example)
     */
    public static void main(String[] args) throws Exception {
        int tasks;
        long waitSeconds;
        NatsSettings settings;
        try {
            tasks = args.length > 0 ? Integer.parseInt(args[0]) : 8;
            waitSeconds = args.length > 1 ? Long.parseLong(args[1]) : 60;
            if (tasks < 1 || waitSeconds < 1 || args.length > 2) {
                throw new IllegalArgumentException("TASKS and WAIT_SECONDS must be positive");
            }
            String[] servers = System.getenv()
                    .getOrDefault("NATS_URL", NatsSettings.DEFAULT_SERVER)
                    .split(",");
            settings = NatsSettings.builder()
                    .servers(servers) // pool "default", subject prefix "aiomisc": as the nodes' defaults
                    .secret(secret(System.getenv()))
                    .build();
        } catch (IllegalArgumentException e) {
            System.err.println("DistributedExample: " + e.getMessage());
            System.err.println("Usage: [NATS_URL=nats://host:4222] AIOMISC_NATS_SECRET_FILE=FILE "
                    + "bin/run-example nats [TASKS] [WAIT_SECONDS]");
            System.exit(2);
            return;
        }
        DistributedWorkerPool pool =
                DistributedWorkerPool.builder().settings(settings).build();
        boolean gaveUp = false;
        // the entrypoint starts the pool (it connects) with its other services, and closes it at the end
        try (Entrypoint entrypoint = Entrypoint.builder().services(pool).start()) {
            gaveUp = entrypoint.runUntilComplete(() -> run(pool, tasks, Duration.ofSeconds(waitSeconds)));
        } catch (CancellationException stoppedBySignal) {
            log.info("Distributed example stopped before the end");
            return;
        }
        if (gaveUp) {
            System.exit(1);
        }
        log.info("Distributed example finished");
    }

    /** Sends the tasks and prints their results; true if it gave up waiting. */
    private static boolean run(DistributedWorkerPool pool, int count, Duration wait) throws Exception {
        log.info(
                "Connected to {} as producer {}: sending {} tasks to the worker nodes of pool '{}'",
                pool.settings().servers(),
                pool.producerId(),
                count,
                pool.settings().pool());
        long started = System.nanoTime();
        List<Task<Part>> sent = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int index = i;
            long from = RANGE * i;
            long to = from + RANGE;
            // a serializable lambda: it travels to a node with what it captured; the node needs this
            // class on its class path (bin/run-example nats-node has the examples' jar)
            WorkerTask<Part> task = () -> new Part(
                    index,
                    from,
                    to,
                    WorkerPoolExample.countPrimes(from, to),
                    InetAddress.getLocalHost().getHostName(),
                    ProcessHandle.current().pid(),
                    WorkerNode.currentTaskId().orElse("?"));
            sent.add(pool.createTask(task));
        }
        long primes = 0;
        TreeSet<String> nodes = new TreeSet<>();
        for (Task<Part> task : sent) {
            Part part;
            try {
                part = task.await(wait); // the task's own exception, if it threw
            } catch (TimeoutException e) {
                log.error(
                        "No result within {} s: is a worker node of pool '{}' running on {}? Start one with "
                                + "`bin/run-example nats-node` (the same secret), then run this again",
                        wait.toSeconds(),
                        pool.settings().pool(),
                        pool.settings().servers());
                return true;
            }
            String node = part.host() + "/" + part.pid();
            nodes.add(node);
            primes += part.primes();
            log.info(
                    "Task {}: [{}, {}): {} primes, on node {} (task id {})",
                    part.index(),
                    part.from(),
                    part.to(),
                    part.primes(),
                    node,
                    part.taskId());
        }
        log.info(
                "{} tasks in {} ms on {} node(s) {}: {} primes below {}",
                count,
                (System.nanoTime() - started) / 1_000_000,
                nodes.size(),
                nodes,
                primes,
                RANGE * count);
        log.info(
                "Pool statistic: submitted={} success={} error={} redelivered={}",
                pool.statistic().submitted.value(),
                pool.statistic().success.value(),
                pool.statistic().error.value(),
                pool.statistic().redelivered.value());
        return false;
    }

    /** The shared secret, from where {@link WorkerNode#main} reads it too. */
    private static byte[] secret(Map<String, String> environment) {
        String file = environment.get(WorkerNode.SECRET_FILE_ENV);
        if (file != null) {
            try {
                return Files.readString(Path.of(file)).strip().getBytes(StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalArgumentException(
                        WorkerNode.SECRET_FILE_ENV + " names a file that cannot be read: " + file);
            }
        }
        String secret = environment.get(WorkerNode.SECRET_ENV);
        if (secret == null) {
            throw new IllegalArgumentException("the shared secret is missing: set " + WorkerNode.SECRET_FILE_ENV
                    + " (a file) or " + WorkerNode.SECRET_ENV + ", as for the nodes");
        }
        return secret.getBytes(StandardCharsets.UTF_8);
    }
}
