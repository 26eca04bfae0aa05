package io.aiomisc.nats;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiomisc.nats.testing.NatsServer;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.StreamConfiguration;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code WorkerNode.fromArguments}: what {@code main} makes of its command line and environment. */
class WorkerNodeArgumentsTest {
    private static final String SECRET = "0123456789abcdef-the-secret";
    private static final Map<String, String> ENV = Map.of(WorkerNode.SECRET_ENV, SECRET);

    private static NatsServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = NatsServer.start();
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    private static void refused(String expected, Map<String, String> env, String... args) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> WorkerNode.fromArguments(args, env));
        assertTrue(e.getMessage().contains(expected), () -> "'" + e.getMessage() + "' should say " + expected);
    }

    @Test
    void optionsConfigureTheNodeAndTheSecretComesFromTheEnvironment() throws Exception {
        WorkerNode node = WorkerNode.fromArguments(
                new String[] {
                    "--server", "nats://127.0.0.1:1", // refuses connections: the client fails over to the next
                    "--server", server.url(),
                    "--pool", "args-env",
                    "--subject-prefix", "t.args",
                    "--concurrency", "3",
                    "--ack-wait", "PT7S",
                    "--max-deliver", "4",
                    "--filter", "io.aiomisc.nats.*",
                    "--node-id", "from-args"
                },
                ENV);
        assertEquals("from-args", node.id());
        assertEquals(3, node.concurrency());
        try (node;
                Connection raw = Nats.connect(server.url())) {
            node.start();
            JetStreamManagement management = raw.jetStreamManagement();
            StreamConfiguration stream =
                    management.getStreamInfo("AIOMISC_ARGS_ENV_TASKS").getConfiguration();
            assertEquals(List.of("t.args.args-env.tasks"), stream.getSubjects());
            ConsumerConfiguration consumer = management
                    .getConsumerInfo("AIOMISC_ARGS_ENV_TASKS", "workers")
                    .getConsumerConfiguration();
            assertEquals(Duration.ofSeconds(7), consumer.getAckWait());
            assertEquals(4, consumer.getMaxDeliver());

            NatsSettings same = NatsSettings.builder()
                    .servers(server.url())
                    .pool("args-env")
                    .subjectPrefix("t.args")
                    .ackWait(Duration.ofSeconds(7))
                    .maxDeliver(4)
                    .secret(SECRET)
                    .build();
            try (DistributedWorkerPool pool =
                    DistributedWorkerPool.builder().settings(same).build()) {
                assertEquals(42, pool.createTask(() -> 6 * 7).await(Duration.ofSeconds(30)));
            }
            assertEquals(1, node.statistic().success.value());
            assertEquals(0, node.statistic().badAuth.value());
        }
    }

    @Test
    void theSecretFileWinsOverTheEnvironmentAndIsStripped(@TempDir Path directory) throws Exception {
        String fromFile = "fedcba9876543210-from-the-file";
        Path file = directory.resolve("pool.secret");
        Files.writeString(file, fromFile + "\n");
        Map<String, String> env = Map.of(WorkerNode.SECRET_FILE_ENV, file.toString(), WorkerNode.SECRET_ENV, SECRET);
        NatsSettings settings = NatsSettings.builder()
                .servers(server.url())
                .pool("args-file")
                .secret(fromFile.getBytes(StandardCharsets.UTF_8))
                .build();
        try (WorkerNode node = WorkerNode.fromArguments(
                        new String[] {"--server", server.url(), "--pool", "args-file", "--concurrency", "1"}, env);
                DistributedWorkerPool pool =
                        DistributedWorkerPool.builder().settings(settings).build()) {
            node.start();
            assertEquals("from the file", pool.createTask(() -> "from the file").await(Duration.ofSeconds(30)));
            assertEquals(0, node.statistic().badAuth.value());
        }
    }

    @Test
    void aMissingOrUnreadableSecretIsRefusedNamingWhereItIsLookedFor(@TempDir Path directory) {
        refused(WorkerNode.SECRET_FILE_ENV, Map.of());
        refused(WorkerNode.SECRET_ENV, Map.of());
        Path missing = directory.resolve("missing.secret");
        refused(missing.toString(), Map.of(WorkerNode.SECRET_FILE_ENV, missing.toString()));
        refused(WorkerNode.SECRET_FILE_ENV, Map.of(WorkerNode.SECRET_FILE_ENV, missing.toString()));
        refused("at least 16 bytes", Map.of(WorkerNode.SECRET_ENV, "short"));
    }

    @Test
    void theSecretIsNeverTakenFromTheCommandLine() {
        String secret = "a-secret-typed-on-the-command-line";
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> WorkerNode.fromArguments(new String[] {"--secret", secret}, ENV));
        assertTrue(e.getMessage().contains("--secret"), e.getMessage());
        assertFalse(e.getMessage().contains(secret), "the message must not repeat the secret");
        refused("--secret-file", ENV, "--secret-file", "/etc/secret");
    }

    @Test
    void badOptionsAreRefusedNamingTheOptionAndValue() {
        assertAll(
                () -> refused("--concurrency needs a value", ENV, "--concurrency"),
                () -> refused("--pool needs a value", ENV, "--concurrency", "2", "--pool"),
                () -> refused("unknown option --bogus", ENV, "--bogus", "1"),
                () -> refused("unknown option stray", ENV, "stray"),
                () -> refused("--concurrency must be an integer: 'many'", ENV, "--concurrency", "many"),
                () -> refused("concurrency must be between 1 and 10000: 0", ENV, "--concurrency", "0"),
                () -> refused("--max-deliver must be an integer: '2.5'", ENV, "--max-deliver", "2.5"),
                () -> refused("maxDeliver must be between 1 and 1000: 0", ENV, "--max-deliver", "0"),
                () -> refused("--ack-wait must be an ISO-8601 duration", ENV, "--ack-wait", "5s"),
                () -> refused("'5s'", ENV, "--ack-wait", "5s"),
                () -> refused("ackWait must be between PT1S and P1D: PT0.5S", ENV, "--ack-wait", "PT0.5S"),
                () -> refused("servers must be URLs", ENV, "--server", "localhost:4222"),
                () -> refused("pool must be", ENV, "--pool", "a b"),
                () -> refused("subjectPrefix must be", ENV, "--subject-prefix", "a..b"),
                () -> refused("nodeId must be", ENV, "--node-id", "a/b"),
                () -> refused("deserializationFilter", ENV, "--filter", "maxdepth=deep"));
    }

    @Test
    void noOptionsGiveTheDefaults() {
        WorkerNode node = WorkerNode.fromArguments(new String[0], ENV);
        assertEquals(Runtime.getRuntime().availableProcessors(), node.concurrency());
        assertTrue(node.toString().contains("pool default"), node.toString());
        node.close();
    }
}
