package io.aiomisc.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiomisc.nats.NatsSettings;
import io.aiomisc.nats.WorkerNode;
import io.aiomisc.nats.testing.NatsServer;
import io.aiomisc.testing.JavaProcess;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code bin/run-example nats} against a real nats-server, with nodes in this JVM and in JVMs of their own. */
class DistributedExampleTest {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String SECRET = "an example secret of 32 bytes!!!";
    private static final Pattern PART = Pattern.compile(
            "Task (\\d+): \\[(\\d+), (\\d+)\\): (\\d+) primes, on node ([^ ]+)/(\\d+) \\(task id ([0-9a-f-]{36})\\)");

    @Test
    void sendsTheTasksToANodeAndPrintsEachResultWithTheNodeThatRanIt() throws Exception {
        try (NatsServer server = NatsServer.start();
                WorkerNode node = WorkerNode.builder()
                        .settings(NatsSettings.builder()
                                .servers(server.url())
                                .secret(SECRET)
                                .build())
                        .concurrency(2)
                        .nodeId("in-test")
                        .build()) {
            node.start();
            try (JavaProcess producer = JavaProcess.start(
                    DistributedExample.class, Map.of("NATS_URL", server.url(), "AIOMISC_NATS_SECRET", SECRET), "4")) {
                assertEquals(0, producer.awaitExit(WAIT), producer::transcript);
                List<String> log = producer.stderr();
                Set<Integer> indexes = new HashSet<>();
                Set<String> ids = new HashSet<>();
                long sum = 0;
                for (String line : log) {
                    Matcher part = PART.matcher(line);
                    if (part.find()) {
                        int index = Integer.parseInt(part.group(1));
                        indexes.add(index);
                        assertEquals(index * DistributedExample.RANGE, Long.parseLong(part.group(2)), line);
                        assertEquals((index + 1) * DistributedExample.RANGE, Long.parseLong(part.group(3)), line);
                        sum += Long.parseLong(part.group(4));
                        // run by the node in this JVM, not in the producer's
                        assertEquals(ProcessHandle.current().pid(), Long.parseLong(part.group(6)), line);
                        ids.add(part.group(7));
                    }
                }
                assertEquals(Set.of(0, 1, 2, 3), indexes, producer::transcript);
                assertEquals(4, ids.size(), producer::transcript); // WorkerNode.currentTaskId(): one per task
                assertEquals(78498, sum, producer::transcript); // pi(1,000,000)
                assertInOrder(
                        log,
                        producer,
                        "Connected to [" + server.url() + "] as producer ",
                        "4 tasks in ",
                        "on 1 node(s) [",
                        "78498 primes below 1000000",
                        "success=4 error=0 redelivered=0",
                        "Distributed example finished");
            }
            assertEquals(4, node.statistic().success.value());
        }
    }

    @Test
    void twoNodeJvmsAndAProducerAsInTheReadmesThreeNodeExample() throws Exception {
        try (NatsServer server = NatsServer.start()) {
            Map<String, String> environment = Map.of("NATS_URL", server.url(), "AIOMISC_NATS_SECRET", SECRET);
            // what `bin/run-example nats-node --server URL --concurrency 1` runs: WorkerNode's main
            try (JavaProcess a = JavaProcess.start(
                            WorkerNode.class, environment, "--server", server.url(), "--concurrency", "1");
                    JavaProcess b = JavaProcess.start(
                            WorkerNode.class, environment, "--server", server.url(), "--concurrency", "1")) {
                for (JavaProcess node : List.of(a, b)) {
                    node.awaitStderr(line -> line.contains("serving pool default with 1 slots"), WAIT);
                }
                try (JavaProcess producer = JavaProcess.start(DistributedExample.class, environment, "6")) {
                    assertEquals(0, producer.awaitExit(WAIT), producer::transcript);
                    Set<Long> pids = new HashSet<>();
                    int parts = 0;
                    for (String line : producer.stderr()) {
                        Matcher part = PART.matcher(line);
                        if (part.find()) {
                            parts++;
                            pids.add(Long.parseLong(part.group(6)));
                        }
                    }
                    assertEquals(6, parts, producer::transcript);
                    assertTrue(Set.of(a.pid(), b.pid()).containsAll(pids), producer::transcript);
                    assertInOrder(producer.stderr(), producer, "Distributed example finished");
                }
                for (JavaProcess node : List.of(a, b)) {
                    node.signal("TERM");
                    assertEquals(0, node.awaitExit(WAIT), node::transcript);
                    assertTrue(node.stderr().stream().anyMatch(line -> line.contains("stopped")), node::transcript);
                }
            }
        }
    }

    @Test
    void withoutANodeItGivesUpAfterTheWaitSayingHowToStartOne() throws Exception {
        try (NatsServer server = NatsServer.start();
                JavaProcess producer = JavaProcess.start(
                        DistributedExample.class,
                        Map.of("NATS_URL", server.url(), "AIOMISC_NATS_SECRET", SECRET),
                        "1",
                        "2")) {
            assertEquals(1, producer.awaitExit(WAIT), producer::transcript);
            assertInOrder(producer.stderr(), producer, "No result within 2 s", "bin/run-example nats-node");
        }
    }

    @Test
    void withoutTheSecretItSaysWhatItNeedsAndExitsWithStatus2() throws Exception {
        try (JavaProcess producer =
                JavaProcess.start(DistributedExample.class, Map.of("NATS_URL", "nats://127.0.0.1:1"), "1")) {
            assertEquals(2, producer.awaitExit(WAIT), producer::transcript);
            assertInOrder(
                    producer.stderr(),
                    producer,
                    "the shared secret is missing: set AIOMISC_NATS_SECRET_FILE (a file) or AIOMISC_NATS_SECRET",
                    "Usage: ");
        }
    }

    private static void assertInOrder(List<String> log, JavaProcess app, String... expected) {
        int at = -1;
        for (String text : expected) {
            int next = -1;
            for (int i = Math.max(at, 0); i < log.size(); i++) {
                if (log.get(i).contains(text)) {
                    next = i;
                    break;
                }
            }
            assertTrue(next >= at && next >= 0, () -> "missing or out of order: " + text + "\n" + app.transcript());
            at = next;
        }
    }
}
