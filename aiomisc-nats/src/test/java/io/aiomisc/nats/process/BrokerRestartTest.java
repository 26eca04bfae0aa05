package io.aiomisc.nats.process;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiomisc.nats.DistributedWorkerPool;
import io.aiomisc.nats.NatsSettings;
import io.aiomisc.nats.testing.NatsServer;
import io.aiomisc.task.Task;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The broker (JetStream file store) stopped and started again while tasks are published and run on child JVMs. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class BrokerRestartTest {
    private static final Duration ACK_WAIT = Duration.ofSeconds(5);
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final Duration PROMPT = Duration.ofSeconds(45);
    private static final int PER_PHASE = 20;

    /** Tasks created by the producer thread, in order, with the phase of the broker when each was created. */
    private final List<Task<Long>> tasks = new ArrayList<>(); // guarded by itself

    private final List<String> phases = new ArrayList<>(); // guarded by tasks
    private volatile String phase = "before";

    @Test
    void noTaskIsLostWhenTheBrokerRestartsDuringARunAndEveryoneReconnectsByThemselves() throws Exception {
        try (NatsServer server = NatsServer.start();
                ChildNode first = ChildNode.launch(server, "restart", "first", 4, ACK_WAIT);
                ChildNode second = ChildNode.launch(server, "restart", "second", 4, ACK_WAIT);
                DistributedWorkerPool pool = DistributedWorkerPool.builder()
                        .settings(ChildNode.settings(server, "restart", ACK_WAIT))
                        .build()) {
            first.awaitReady();
            second.awaitReady();
            pool.start();
            AtomicBoolean producing = new AtomicBoolean(true);
            CompletableFuture<Void> producer = CompletableFuture.runAsync(
                    () -> produce(pool, producing),
                    runnable -> Thread.ofPlatform().name("test-producer").start(runnable));
            try {
                awaitCreated("before", PER_PHASE, producer);
                awaitOneDone(); // nodes are running tasks when the broker goes away
                server.stop();
                phase = "down";
                awaitCreated("down", PER_PHASE, producer);
                phase = "restarting";
                server.restart();
                phase = "after";
                awaitCreated("after", PER_PHASE, producer);
            } finally {
                producing.set(false);
            }
            producer.get(WAIT.toSeconds(), TimeUnit.SECONDS); // createTask threw nothing, down or not
            long drainStarted = System.nanoTime();

            List<Task<Long>> created;
            List<String> createdIn;
            synchronized (tasks) {
                created = List.copyOf(tasks);
                createdIn = List.copyOf(phases);
            }
            for (int i = 0; i < created.size(); i++) {
                long result;
                try {
                    result = created.get(i).await(WAIT);
                } catch (TimeoutException e) {
                    throw new AssertionError(
                            "task " + i + " created " + createdIn.get(i) + " is lost\n"
                                    + describe(server, pool, created, createdIn, first, second),
                            e);
                }
                assertEquals((long) i * i, result);
            }
            assertEquals(created.size(), pool.statistic().done.value());
            assertEquals(created.size(), pool.statistic().success.value());
            assertTrue(createdIn.contains("down"), createdIn::toString);

            // results flow again promptly after the restart, not only once a stale pull request runs out
            // (a results reader that kept its pre-restart pull took about 90 s here)
            Duration drained = Duration.ofNanos(System.nanoTime() - drainStarted);
            assertTrue(drained.compareTo(PROMPT) < 0, () -> "the results came back only after " + drained);

            // the nodes and the pool reconnected: new work flows end to end
            Task<Long> later = pool.createTask(new Tasks.Square(7, Duration.ZERO));
            assertEquals(49L, later.await(WAIT));
        }
    }

    /** The broker's view of the pool and what the nodes said, for the message of a lost task. */
    private static String describe(
            NatsServer server,
            DistributedWorkerPool pool,
            List<Task<Long>> created,
            List<String> createdIn,
            ChildNode... nodes) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < created.size(); i++) {
            if (!created.get(i).isDone()) {
                text.append("not done: ")
                        .append(i)
                        .append(' ')
                        .append(createdIn.get(i))
                        .append(' ')
                        .append(created.get(i))
                        .append('\n');
            }
        }
        text.append("pool statistic: ").append(pool.statistic()).append('\n');
        NatsSettings settings = pool.settings();
        try (Connection connection = Nats.connect(server.url())) {
            JetStreamManagement management = connection.jetStreamManagement();
            text.append("tasks: ")
                    .append(management.getStreamInfo(settings.taskStream()).getStreamState())
                    .append('\n');
            text.append("workers: ")
                    .append(management.getConsumerInfo(settings.taskStream(), settings.workerConsumer()))
                    .append('\n');
            text.append("results: ")
                    .append(management.getStreamInfo(settings.resultStream()).getStreamState())
                    .append('\n');
            for (String consumer : management.getConsumerNames(settings.resultStream())) {
                text.append("results consumer: ")
                        .append(management.getConsumerInfo(settings.resultStream(), consumer))
                        .append('\n');
            }
        } catch (Exception e) {
            text.append("no broker view: ").append(e).append('\n');
        }
        for (ChildNode node : nodes) {
            text.append(node).append(":\n").append(node.process.transcript()).append('\n');
        }
        return text.toString();
    }

    private void produce(DistributedWorkerPool pool, AtomicBoolean producing) {
        for (int i = 0; producing.get(); i++) {
            String now = phase;
            Task<Long> task = pool.createTask(new Tasks.Square(i, Duration.ofMillis(100)));
            synchronized (tasks) {
                tasks.add(task);
                phases.add(now);
            }
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos()); // the pace of a steady producer, not a wait
        }
    }

    private void awaitCreated(String inPhase, int count, CompletableFuture<Void> producer) {
        await().atMost(WAIT).until(() -> {
            if (producer.isDone()) {
                producer.join(); // the producer failed: say why
            }
            synchronized (tasks) {
                return phases.stream().filter(inPhase::equals).count() >= count;
            }
        });
    }

    private void awaitOneDone() {
        await().atMost(WAIT).until(() -> {
            synchronized (tasks) {
                return tasks.stream().anyMatch(Task::isDone);
            }
        });
    }
}
