package io.aiomisc.benchmarks;

import io.aiomisc.nats.DistributedWorkerPool;
import io.aiomisc.nats.WorkerNode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The {@link WorkerNode}s of one pool in {@link NatsWorkerPoolBenchmark}, each a child JVM started
 * the way the local {@code WorkerPool} starts its workers: this JVM's {@code java}, its {@code -D},
 * assertion and {@code --add-*} options, {@code -XX:+UseSerialGC}, the same class path (the task
 * classes are there), and {@link WorkerNode#main} with one task at a time ({@code --concurrency 1}:
 * a local worker runs one task at a time too). The secret travels in the environment
 * ({@value WorkerNode#SECRET_ENV}), as {@code main} requires. Each node's output goes to a log file in
 * the benchmark's work directory (printed when the node fails to come up).
 */
final class NatsBenchNodes implements AutoCloseable {
    private static final long READY_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final List<Process> processes = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<String> ids = new ArrayList<>();
    private final List<Path> logs = new ArrayList<>();

    private NatsBenchNodes() {}

    /**
     * Starts {@code count} nodes of {@code pool}'s pool and waits until {@code pool} has seen each of
     * them (a node announces itself as soon as it pulls tasks).
     *
     * @param cpus     the CPUs to run the nodes on ({@code taskset -c}), or null for this JVM's affinity
     * @param register told of the nodes before the first is started (a shutdown hook's list)
     */
    static NatsBenchNodes start(
            DistributedWorkerPool pool,
            String secret,
            int count,
            String cpus,
            Path work,
            java.util.function.Consumer<NatsBenchNodes> register)
            throws IOException, InterruptedException {
        NatsBenchNodes nodes = new NatsBenchNodes();
        register.accept(nodes);
        try {
            for (int n = 1; n <= count; n++) {
                nodes.launch(pool, secret, pool.settings().pool() + "-node-" + n, cpus, work);
            }
            nodes.awaitSeen(pool);
        } catch (IOException | InterruptedException | RuntimeException e) {
            nodes.close();
            throw e;
        }
        return nodes;
    }

    private void launch(DistributedWorkerPool pool, String secret, String id, String cpus, Path work)
            throws IOException {
        List<String> command = new ArrayList<>();
        if (cpus != null) {
            command.addAll(List.of("taskset", "-c", cpus));
        }
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String argument : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (inherited(argument)) {
                command.add(argument);
            }
        }
        command.add("-XX:+UseSerialGC");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(WorkerNode.class.getName());
        for (String server : pool.settings().servers()) {
            command.addAll(List.of("--server", server));
        }
        command.addAll(List.of(
                "--pool",
                pool.settings().pool(),
                "--concurrency",
                "1",
                "--ack-wait",
                pool.settings().ackWait().toString(),
                "--max-deliver",
                Integer.toString(pool.settings().maxDeliver()),
                "--node-id",
                id));
        Path log = work.resolve(id + ".log");
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        builder.environment().put(WorkerNode.SECRET_ENV, secret);
        builder.environment().remove(WorkerNode.SECRET_FILE_ENV);
        processes.add(builder.start());
        ids.add(id);
        logs.add(log);
    }

    /** What a local worker inherits from its parent's options too (as the core's child launcher). */
    private static boolean inherited(String argument) {
        if (argument.startsWith("-D")) {
            return !argument.startsWith("-Dcom.sun.management.")
                    && !argument.startsWith("-Djava.rmi.")
                    && !argument.startsWith("-Djdk.module.");
        }
        return argument.equals("-ea")
                || argument.startsWith("-ea:")
                || argument.equals("-da")
                || argument.startsWith("-da:")
                || argument.startsWith("--add-opens=")
                || argument.startsWith("--add-exports=")
                || argument.startsWith("--add-reads=")
                || argument.startsWith("--enable-native-access=");
    }

    private void awaitSeen(DistributedWorkerPool pool) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + READY_NANOS;
        while (true) {
            for (int i = 0; i < processes.size(); i++) {
                if (!processes.get(i).isAlive()) {
                    throw new IOException("worker node " + ids.get(i) + " exited with status "
                            + processes.get(i).exitValue() + ":\n" + Files.readString(logs.get(i)));
                }
            }
            if (pool.nodes().containsAll(Set.copyOf(ids))) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("the pool saw " + pool.nodes() + " of the nodes " + ids + " after 60 s");
            }
            TimeUnit.MILLISECONDS.sleep(20); // polling the pool's view of its nodes: it has no callback
        }
    }

    /** @return the nodes' pids */
    List<Long> pids() {
        return processes.stream().map(Process::pid).toList();
    }

    /** @return how many nodes there are */
    int size() {
        return processes.size();
    }

    /** Kills every node at once and waits (5 s at most each) until they are gone: a shutdown hook's last resort. */
    void kill() throws InterruptedException {
        processes.forEach(Process::destroyForcibly);
        for (Process process : processes) {
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }

    /**
     * Stops every node (SIGTERM: the node's entrypoint stops it; SIGKILL after 15 s) and deletes
     * their logs.
     */
    @Override
    public void close() throws IOException, InterruptedException {
        processes.forEach(Process::destroy);
        for (Process process : processes) {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
        for (Path log : logs) {
            Files.deleteIfExists(log);
        }
    }
}
