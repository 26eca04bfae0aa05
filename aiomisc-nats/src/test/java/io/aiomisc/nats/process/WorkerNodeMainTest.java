package io.aiomisc.nats.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.aiomisc.nats.DistributedWorkerPool;
import io.aiomisc.nats.WorkerNode;
import io.aiomisc.nats.process.Tasks.Ran;
import io.aiomisc.nats.testing.NatsServer;
import io.aiomisc.task.Task;
import io.aiomisc.testing.JavaProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link WorkerNode#main} in child JVMs: its exit statuses, its messages, and its stop on SIGTERM. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class WorkerNodeMainTest {
    private static final Duration ACK_WAIT = Duration.ofSeconds(5);
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final Map<String, String> SECRET = Map.of(WorkerNode.SECRET_ENV, ChildNode.SECRET);

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
                    --bogus 1               | unknown option --bogus
                    --pool                  | --pool needs a value
                    --concurrency many      | --concurrency must be an integer: 'many'
                    --concurrency 0         | concurrency must be between 1 and 10000: 0
                    --ack-wait 5s           | --ack-wait must be an ISO-8601 duration such as PT30S: '5s'
                    --server localhost:4222 | servers must be URLs such as nats://127.0.0.1:4222: 'localhost:4222'
                    """)
    void aBadArgumentExitsWithStatus2SayingWhy(String arguments, String message) throws Exception {
        try (JavaProcess child = JavaProcess.start(WorkerNode.class, SECRET, arguments.split(" "))) {
            assertEquals(2, child.awaitExit(WAIT), child::transcript);
            child.awaitStderr(line -> line.equals("WorkerNode: " + message), WAIT);
        }
    }

    @Test
    void aMissingSecretExitsWithStatus2NamingBothVariables() throws Exception {
        assumeTrue(
                System.getenv(WorkerNode.SECRET_ENV) == null && System.getenv(WorkerNode.SECRET_FILE_ENV) == null,
                "the test JVM's environment (which the child inherits) has no secret");
        try (JavaProcess child =
                JavaProcess.start(WorkerNode.class, Map.of(), "--server", "nats://127.0.0.1:1", "--pool", "p")) {
            assertEquals(2, child.awaitExit(WAIT), child::transcript);
            child.awaitStderr(
                    line -> line.startsWith("WorkerNode: ")
                            && line.contains("AIOMISC_NATS_SECRET_FILE")
                            && line.replace("AIOMISC_NATS_SECRET_FILE", "").contains("AIOMISC_NATS_SECRET"),
                    WAIT);
        }
    }

    @Test
    void anUnreadableSecretFileExitsWithStatus2NamingTheVariableAndTheFile(@TempDir Path directory) throws Exception {
        Path missing = directory.resolve("no-such.secret");
        try (JavaProcess child = JavaProcess.start(
                WorkerNode.class, Map.of(WorkerNode.SECRET_FILE_ENV, missing.toString()), "--pool", "p")) {
            assertEquals(2, child.awaitExit(WAIT), child::transcript);
            child.awaitStderr(
                    line -> line.startsWith("WorkerNode: AIOMISC_NATS_SECRET_FILE")
                            && line.contains(missing.toString()),
                    WAIT);
        }
    }

    @Test
    void sigtermLetsTheRunningTaskFinishAndExitsWithZero() throws Exception {
        try (NatsServer server = NatsServer.start();
                ChildNode node = ChildNode.start(server, "sigterm", "graceful", 2, ACK_WAIT);
                DistributedWorkerPool pool = DistributedWorkerPool.builder()
                        .settings(ChildNode.settings(server, "sigterm", ACK_WAIT))
                        .build()) {
            Task<Ran> task = pool.createTask(new Tasks.Recording(0, Duration.ofSeconds(2)));
            node.process.awaitStdout(line -> line.startsWith(Tasks.STARTED), WAIT);
            node.process.signal("TERM");

            Ran ran = task.await(WAIT);
            assertEquals("graceful", ran.node());
            assertEquals(List.of(ran.taskId()), node.startedTaskIds());
            assertEquals(0, node.process.awaitExit(WAIT), node.process::transcript);
            node.process.awaitStderr(line -> line.contains("Worker node graceful stopped"), WAIT);
            assertEquals(1, pool.statistic().success.value());
            assertEquals(0, pool.statistic().redelivered.value());
        }
    }

    @Test
    void sigtermGivesBackATaskThatOutlivesTheStopTimeoutAndAnotherNodeCompletesIt() throws Exception {
        try (NatsServer server = NatsServer.start();
                ChildNode stuck = ChildNode.start(server, "given-back", "stuck", 2, ACK_WAIT);
                DistributedWorkerPool pool = DistributedWorkerPool.builder()
                        .settings(ChildNode.settings(server, "given-back", ACK_WAIT))
                        .build()) {
            Task<Ran> task = pool.createTask(new Tasks.StuckOn("stuck"));
            stuck.process.awaitStdout(line -> line.startsWith(Tasks.STARTED), WAIT);
            try (ChildNode rescuer = ChildNode.start(server, "given-back", "rescuer", 2, ACK_WAIT)) {
                long signalled = System.nanoTime();
                stuck.process.signal("TERM");

                Ran ran = task.await(WAIT);
                assertEquals("rescuer", ran.node());
                assertEquals(stuck.startedTaskIds(), List.of(ran.taskId()), "the same task, given back");
                assertEquals(rescuer.startedTaskIds(), List.of(ran.taskId()));
                assertTrue(
                        System.nanoTime() - signalled >= WorkerNode.DEFAULT_STOP_TIMEOUT.toNanos(),
                        () -> "the stuck node waited its stop timeout before giving the task back\n"
                                + stuck.process.transcript());
                assertEquals(0, stuck.process.awaitExit(WAIT), stuck.process::transcript);
                stuck.process.awaitStderr(line -> line.contains("Worker node stuck stopped"), WAIT);
                assertEquals(1, pool.statistic().done.value());
                assertEquals(1, pool.statistic().redelivered.value());
            }
        }
    }
}
