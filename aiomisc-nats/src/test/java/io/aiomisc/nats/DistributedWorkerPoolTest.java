package io.aiomisc.nats;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiomisc.task.Task;
import io.aiomisc.worker.WorkerTask;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link DistributedWorkerPool} and in-process {@link WorkerNode}s (each with a connection of its own)
 * on a real nats-server: results, failures, timeouts, presence and the pool's lifecycle.
 */
class DistributedWorkerPoolTest extends InProcessNatsTest {
    /** Settings of a pool of its own, so that tests share no stream. */
    private static NatsSettings.Builder settings() {
        return NatsSettings.builder()
                .servers(server.url())
                .pool(newPool("functional"))
                .secret(SECRET);
    }

    private static WorkerNode node(NatsSettings settings, String id, int concurrency) {
        return WorkerNode.builder()
                .settings(settings)
                .nodeId(id)
                .concurrency(concurrency)
                .stopTimeout(Duration.ofSeconds(5))
                .build();
    }

    /** The failure a task throws, to come back as itself. */
    static final class TaskFailure extends Exception {
        private static final long serialVersionUID = 1L;

        TaskFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    static Object failWithCause(int n) throws TaskFailure {
        throw new TaskFailure("task " + n + " failed", new IllegalArgumentException("bad input " + n));
    }

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void tenThousandTasksOverThreeNodesAllComeBackRight() throws Exception {
        int count = 10_000;
        NatsSettings settings = settings().build();
        try (WorkerNode a = node(settings, "a", 8);
                WorkerNode b = node(settings, "b", 8);
                WorkerNode c = node(settings, "c", 8);
                DistributedWorkerPool pool =
                        DistributedWorkerPool.builder().settings(settings).build()) {
            a.start();
            b.start();
            c.start();
            List<Task<String>> tasks = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                int n = i;
                tasks.add(pool.createTask(() ->
                        n + "*3=" + (n * 3) + "@" + WorkerNode.currentTaskId().orElseThrow()));
            }
            for (int i = 0; i < count; i++) {
                Task<String> task = tasks.get(i);
                String id = ((RemoteTask<String>) task).id;
                assertEquals(i + "*3=" + (i * 3) + "@" + id, task.await(Duration.ofSeconds(120)));
            }
            List<WorkerNode> nodes = List.of(a, b, c);
            assertEquals(
                    count,
                    nodes.stream().mapToLong(n -> n.statistic().success.value()).sum(),
                    "each task ran once: the nodes' successes add up");
            for (WorkerNode node : nodes) {
                assertTrue(node.statistic().success.value() > 0, () -> node + " did no work");
                assertEquals(0, node.statistic().error.value());
                assertEquals(0, node.statistic().redelivered.value());
            }
            DistributedWorkerPoolStatistic statistic = pool.statistic();
            await().atMost(WAIT).until(() -> statistic.submitted.value() == count);
            assertEquals(count, statistic.taskAdded.value());
            assertEquals(count, statistic.done.value());
            assertEquals(count, statistic.success.value());
            assertEquals(0, statistic.error.value());
            assertEquals(0, statistic.redelivered.value());
            assertEquals(0, statistic.badAuth.value());
        }
    }

    @Test
    void theTasksOwnExceptionComesBackAsItself() throws Exception {
        NatsSettings settings = settings().build();
        try (WorkerNode node = node(settings, "only", 2);
                DistributedWorkerPool pool =
                        DistributedWorkerPool.builder().settings(settings).build()) {
            node.start();
            Task<Object> task = pool.createTask(() -> failWithCause(7));
            TaskFailure failure = assertThrows(TaskFailure.class, () -> task.await(WAIT));
            assertEquals("task 7 failed", failure.getMessage());
            IllegalArgumentException cause = assertInstanceOf(IllegalArgumentException.class, failure.getCause());
            assertEquals("bad input 7", cause.getMessage());
            assertTrue(
                    Arrays.stream(failure.getStackTrace())
                            .anyMatch(frame -> frame.getMethodName().equals("failWithCause")),
                    "the node's stack trace comes along");
            assertEquals(1, node.statistic().error.value());
            assertEquals(1, pool.statistic().error.value());
            assertEquals(0, pool.statistic().success.value());
            assertEquals(1, pool.statistic().done.value());
        }
    }

    @Test
    void aTaskPastItsTimeoutIsInterruptedOnTheNodeAndFailsWithTimeoutException() throws Exception {
        NatsSettings settings = settings().build();
        try (WorkerNode node = node(settings, "only", 2);
                DistributedWorkerPool pool = DistributedWorkerPool.builder()
                        .settings(settings)
                        .taskTimeout(Duration.ofMillis(300))
                        .build()) {
            node.start();
            Task<String> task = pool.createTask(() -> blockUntilInterrupted("slow"));
            // through the future: Task.await's own timeout would be a TimeoutException too
            ExecutionException failed = assertThrows(
                    ExecutionException.class, () -> task.toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS));
            assertInstanceOf(TimeoutException.class, failed.getCause());
            assertTrue(INTERRUPTED.contains("slow"), "the node interrupted the task");
            assertEquals(1, node.statistic().error.value());
            assertEquals(0, node.statistic().running.value());
            assertEquals("still serving", pool.createTask(() -> "still serving").await(WAIT));
        }
    }

    @Test
    void aResultLargerThanTheNodesMaxFrameSizeFailsThatTaskSayingSo() throws Exception {
        NatsSettings settings = settings().build();
        try (WorkerNode node = WorkerNode.builder()
                        .settings(settings)
                        .concurrency(2)
                        .maxFrameSize(4096)
                        .build();
                DistributedWorkerPool pool =
                        DistributedWorkerPool.builder().settings(settings).build()) {
            node.start();
            Task<byte[]> large = pool.createTask(() -> new byte[10_000]);
            IOException failure = assertThrows(IOException.class, () -> large.await(WAIT));
            assertTrue(failure.getMessage().contains("result"), failure.getMessage());
            assertTrue(failure.getMessage().contains("maxFrameSize (4096 bytes)"), failure.getMessage());
            assertEquals(1, node.statistic().error.value());
            assertEquals(0, node.statistic().success.value());
            assertEquals(100, pool.createTask(() -> new byte[100]).await(WAIT).length, "other tasks go on");
        }
    }

    static WorkerTask<Integer> lengthOf(byte[] bytes) {
        return () -> bytes.length;
    }

    private static int serializedSize(Object value) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        return bytes.size();
    }

    /** 100 bytes under the server's default max_payload (1 MiB, the default maxFrameSize too). */
    private static final int ALMOST_MAX_PAYLOAD = (1 << 20) - 100;

    @Test
    void aResultWithinMaxFrameSizeButTooLargeForTheServerFailsThatTaskSayingSo() throws Exception {
        int length = ALMOST_MAX_PAYLOAD - serializedSize(new byte[0]);
        NatsSettings settings = settings().build();
        try (WorkerNode node = node(settings, "only", 2);
                DistributedWorkerPool pool =
                        DistributedWorkerPool.builder().settings(settings).build()) {
            node.start();
            Task<byte[]> large = pool.createTask(() -> new byte[length]);
            IOException failure = assertThrows(IOException.class, () -> large.await(WAIT));
            assertTrue(failure.getMessage().contains("max_payload"), failure.getMessage());
            assertEquals(1, node.statistic().error.value());
            assertEquals(3, pool.createTask(() -> new byte[3]).await(WAIT).length, "other tasks go on");
        }
    }

    @Test
    void aTaskWithinMaxFrameSizeButTooLargeForTheServerIsRefused() throws Exception {
        byte[] bytes = new byte[ALMOST_MAX_PAYLOAD - serializedSize(lengthOf(new byte[0]))];
        assertEquals(ALMOST_MAX_PAYLOAD, serializedSize(lengthOf(bytes)));
        NatsSettings settings = settings().build();
        try (WorkerNode node = node(settings, "only", 2);
                DistributedWorkerPool pool =
                        DistributedWorkerPool.builder().settings(settings).build()) {
            node.start();
            IllegalArgumentException refused =
                    assertThrows(IllegalArgumentException.class, () -> pool.createTask(lengthOf(bytes)));
            assertTrue(refused.getMessage().contains("max_payload"), refused.getMessage());
            assertEquals(0, pool.statistic().taskAdded.value());
            assertEquals(10, pool.createTask(lengthOf(new byte[10])).await(WAIT), "other tasks go on");
            assertEquals(1, node.statistic().received.value());
        }
    }

    @Test
    void currentTaskIdIsTheTasksIdInsideItAndEmptyOutside() throws Exception {
        assertTrue(WorkerNode.currentTaskId().isEmpty());
        NatsSettings settings = settings().build();
        try (WorkerNode node = node(settings, "only", 2);
                DistributedWorkerPool pool =
                        DistributedWorkerPool.builder().settings(settings).build()) {
            node.start();
            Task<String> task = pool.createTask(() -> WorkerNode.currentTaskId().orElse("empty"));
            assertEquals(((RemoteTask<String>) task).id, task.await(WAIT));
            Task<String> other =
                    pool.createTask(() -> WorkerNode.currentTaskId().orElse("empty"));
            assertEquals(((RemoteTask<String>) other).id, other.await(WAIT));
            assertFalse(task.await(WAIT).equals(other.await(WAIT)));
        }
        assertTrue(WorkerNode.currentTaskId().isEmpty());
    }

    /** A task body: blocks on its first delivery (until its node stops), returns its id on the next. */
    static String idOnSecondDelivery() throws InterruptedException {
        String id = WorkerNode.currentTaskId().orElseThrow();
        if (STARTED.add(id)) {
            new CountDownLatch(1).await();
        }
        return id;
    }

    @Test
    void aTaskGivenBackByAStoppingNodeRunsOnAnotherWithTheSameId() throws Exception {
        NatsSettings settings = settings().ackWait(Duration.ofSeconds(2)).build();
        try (WorkerNode first = WorkerNode.builder()
                        .settings(settings)
                        .nodeId("first")
                        .concurrency(1)
                        .stopTimeout(Duration.ZERO)
                        .build();
                WorkerNode second = node(settings, "second", 1);
                DistributedWorkerPool pool =
                        DistributedWorkerPool.builder().settings(settings).build()) {
            first.start();
            Task<String> task = pool.createTask(DistributedWorkerPoolTest::idOnSecondDelivery);
            String id = ((RemoteTask<String>) task).id;
            await().atMost(WAIT).until(() -> STARTED.contains(id));
            second.start();
            first.close(); // interrupts the task and gives it back to the queue
            assertEquals(id, task.await(WAIT), "the second delivery saw the same id");
            assertEquals(0, first.statistic().success.value());
            assertEquals(1, second.statistic().success.value());
            assertEquals(1, second.statistic().redelivered.value());
            assertEquals(1, pool.statistic().redelivered.value());
            assertEquals(1, pool.statistic().success.value());
        }
    }

    @Test
    void thePoolSeesItsNodesWithinAFewSeconds() throws Exception {
        NatsSettings settings = settings().build();
        try (DistributedWorkerPool pool =
                        DistributedWorkerPool.builder().settings(settings).build();
                WorkerNode a = node(settings, "node-a", 1);
                WorkerNode b = node(settings, "node-b", 1);
                WorkerNode c = node(settings, "node-c", 1)) {
            pool.start();
            assertEquals(Set.of(), pool.nodes());
            a.start();
            b.start();
            c.start();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> pool.nodes().equals(Set.of("node-a", "node-b", "node-c"))
                            && pool.statistic().processes.value() == 3);
            c.close();
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> pool.nodes().equals(Set.of("node-a", "node-b"))
                            && pool.statistic().processes.value() == 2);
        }
    }

    @Test
    void thePoolCountsNoNodesOnceTheLastOneStops() throws Exception {
        NatsSettings settings = settings().build();
        try (DistributedWorkerPool pool =
                        DistributedWorkerPool.builder().settings(settings).build();
                WorkerNode only = node(settings, "only", 1)) {
            pool.start();
            only.start();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> pool.nodes().equals(Set.of("only"))
                            && pool.statistic().processes.value() == 1);
            only.close(); // no node is left to announce anything
            await().atMost(Duration.ofSeconds(20))
                    .until(() ->
                            pool.nodes().isEmpty() && pool.statistic().processes.value() == 0);
        }
    }

    @Test
    void closingThePoolFailsItsPendingTasksWithCancellationException() throws Exception {
        NatsSettings settings = settings().build();
        DistributedWorkerPool pool =
                DistributedWorkerPool.builder().settings(settings).build();
        Task<Integer> first = pool.createTask(() -> 1); // no node: it waits in the queue
        Task<Integer> second = pool.createTask(() -> 2);
        await().atMost(WAIT).until(() -> pool.statistic().submitted.value() == 2);
        pool.close();
        assertThrows(CancellationException.class, () -> first.await(WAIT));
        assertThrows(CancellationException.class, () -> second.await(WAIT));
        assertTrue(first.isCancelled());
        IllegalStateException afterClose = assertThrows(IllegalStateException.class, () -> pool.createTask(() -> 3));
        assertTrue(afterClose.getMessage().contains("closed"), afterClose.getMessage());
        assertThrows(IllegalStateException.class, pool::start);
        pool.close(); // idempotent
        assertEquals(2, pool.statistic().taskAdded.value());
    }

    @Test
    void aPoolClosedBeforeItStartedRefusesTasks() {
        DistributedWorkerPool pool =
                DistributedWorkerPool.builder().settings(settings().build()).build();
        pool.close();
        assertThrows(IllegalStateException.class, () -> pool.createTask(() -> 1));
    }

    @Test
    void aTaskThatCannotBeSerializedIsRefusedAndNothingIsSent() {
        Object notSerializable = new Object();
        try (DistributedWorkerPool pool = DistributedWorkerPool.builder()
                        .settings(settings().build())
                        .build();
                DistributedWorkerPool small = DistributedWorkerPool.builder()
                        .settings(settings().build())
                        .maxFrameSize(4096)
                        .build()) {
            IllegalArgumentException refused = assertThrows(
                    IllegalArgumentException.class, () -> pool.createTask(() -> notSerializable.hashCode()));
            assertTrue(refused.getMessage().contains("cannot be serialized"), refused.getMessage());
            assertTrue(refused.getMessage().contains("java.lang.Object"), refused.getMessage());
            assertThrows(NullPointerException.class, () -> pool.createTask(null));
            assertEquals(0, pool.statistic().taskAdded.value());
            byte[] large = new byte[8192];
            IllegalArgumentException tooLarge =
                    assertThrows(IllegalArgumentException.class, () -> small.createTask(() -> large.length));
            assertTrue(tooLarge.getMessage().contains("maxFrameSize (4096 bytes)"), tooLarge.getMessage());
            assertEquals(0, small.statistic().taskAdded.value());
        }
    }
}
