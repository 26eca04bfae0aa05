package io.aiomisc.nats;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiomisc.task.Task;
import io.aiomisc.worker.WorkerTask;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.Nats;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

/**
 * A client of the broker without the pool's secret can neither inject work, forge results, nor cancel
 * tasks: such frames are refused, counted as {@code bad_auth}, and have no effect.
 */
class DistributedSecurityTest extends InProcessNatsTest {
    private static final byte[] OTHER_SECRET = "another-secret-of-enough-bytes!!".getBytes();

    private static NatsSettings settings(String pool, byte[] secret) {
        return NatsSettings.builder()
                .servers(server.url())
                .pool(pool)
                .secret(secret)
                .build();
    }

    private static String pool() {
        return newPool("security");
    }

    private static WorkerNode node(NatsSettings settings) {
        return WorkerNode.builder()
                .settings(settings)
                .concurrency(2)
                .stopTimeout(Duration.ofSeconds(5))
                .build();
    }

    private static byte[] serialized(Object value) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        return bytes.toByteArray();
    }

    private static long queued(Connection raw, NatsSettings settings) throws Exception {
        return raw.jetStreamManagement()
                .getStreamInfo(settings.taskStream())
                .getStreamState()
                .getMsgCount();
    }

    @Test
    void forgedTasksAreRefusedCountedNeverRunAndNotRedelivered() throws Exception {
        NatsSettings settings = settings(pool(), SECRET);
        try (WorkerNode node = node(settings);
                Connection raw = Nats.connect(server.url())) {
            node.start();
            JetStream js = raw.jetStream();
            byte[] evil = serialized((WorkerTask<String>) () -> record("forged"));
            String subject = settings.taskSubject();
            // no signature at all
            js.publish(subject, evil);
            // the headers a pool sends, signed with another secret
            js.publish(NatsMessage.builder()
                    .subject(subject)
                    .headers(new Frames(OTHER_SECRET).task("forged-1", "mallory", 0, evil))
                    .data(evil)
                    .build());
            // a genuine signature, over another payload
            byte[] harmless = serialized((WorkerTask<String>) () -> "harmless");
            js.publish(NatsMessage.builder()
                    .subject(subject)
                    .headers(new Frames(SECRET).task("forged-2", "mallory", 0, harmless))
                    .data(evil)
                    .build());
            // a signature that is no signature
            Headers garbage = new Headers()
                    .put(Frames.TASK_ID, "forged-3")
                    .put(Frames.PRODUCER, "mallory")
                    .put(Frames.TIMEOUT, "0")
                    .put(Frames.SIGNATURE, "not-a-signature");
            js.publish(NatsMessage.builder()
                    .subject(subject)
                    .headers(garbage)
                    .data(evil)
                    .build());

            await().atMost(WAIT)
                    .until(() -> node.statistic().badAuth.value() == 4
                            && node.statistic().received.value() == 4);
            assertFalse(STARTED.contains("forged"), "a forged task never runs");
            await().atMost(WAIT).until(() -> queued(raw, settings) == 0); // terminated: gone from the queue
            ConsumerInfo workers =
                    raw.jetStreamManagement().getConsumerInfo(settings.taskStream(), settings.workerConsumer());
            assertEquals(0, workers.getNumAckPending(), "nothing waits for a redelivery");
            assertEquals(0, workers.getNumPending());
            assertEquals(0, workers.getRedelivered());
            assertEquals(
                    0, node.statistic().success.value() + node.statistic().error.value());

            try (DistributedWorkerPool pool =
                    DistributedWorkerPool.builder().settings(settings).build()) {
                assertEquals("genuine", pool.createTask(() -> record("genuine")).await(WAIT));
            }
            assertEquals(5, node.statistic().received.value());
            assertEquals(4, node.statistic().badAuth.value());
            assertEquals(0, node.statistic().redelivered.value());
            assertFalse(STARTED.contains("forged"));
        }
    }

    @Test
    void forgedResultsAreRefusedAndCountedOnThePool() throws Exception {
        NatsSettings settings = settings(pool(), SECRET);
        try (DistributedWorkerPool pool =
                        DistributedWorkerPool.builder().settings(settings).build();
                Connection raw = Nats.connect(server.url())) {
            Task<String> task = pool.createTask(() -> "genuine"); // no node yet: it waits
            String id = ((RemoteTask<String>) task).id;
            JetStream js = raw.jetStream();
            String subject = settings.resultSubject(pool.producerId());
            byte[] forged = serialized("forged");
            js.publish(subject, forged);
            js.publish(NatsMessage.builder()
                    .subject(subject)
                    .headers(new Frames(OTHER_SECRET).result(id, Frames.VALUE, "mallory", 1, forged))
                    .data(forged)
                    .build());
            js.publish(NatsMessage.builder()
                    .subject(subject)
                    .headers(new Frames(SECRET).result(id, Frames.VALUE, "mallory", 1, serialized("other")))
                    .data(forged)
                    .build());
            await().atMost(WAIT).until(() -> pool.statistic().badAuth.value() == 3);
            assertFalse(task.isDone(), "a forged result does not complete the task");
            try (WorkerNode node = node(settings)) {
                node.start();
                assertEquals("genuine", task.await(WAIT));
            }
            assertEquals(3, pool.statistic().badAuth.value());
            assertEquals(1, pool.statistic().success.value());
            assertEquals(1, pool.statistic().done.value());
        }
    }

    @Test
    void forgedCancellationsAreRefusedAndTheTaskRunsOn() throws Exception {
        NatsSettings settings = settings(pool(), SECRET);
        try (WorkerNode node = node(settings);
                DistributedWorkerPool pool =
                        DistributedWorkerPool.builder().settings(settings).build();
                Connection raw = Nats.connect(server.url())) {
            node.start();
            Task<String> task = pool.createTask(() -> blockUntilInterrupted("victim"));
            String id = ((RemoteTask<String>) task).id;
            await().atMost(WAIT).until(() -> STARTED.contains("victim"));
            raw.publish(settings.cancelSubject(), new Headers().put(Frames.TASK_ID, id), new byte[0]);
            raw.publish(settings.cancelSubject(), new Frames(OTHER_SECRET).cancel(id, true), new byte[0]);
            await().atMost(WAIT).until(() -> node.statistic().badAuth.value() == 2);
            assertFalse(INTERRUPTED.contains("victim"), "a forged cancellation interrupts nothing");
            assertFalse(task.isDone());
            assertEquals(1, node.statistic().running.value());
            assertTrue(task.cancel(true));
            await().atMost(WAIT).until(() -> INTERRUPTED.contains("victim"));
            await().atMost(WAIT).until(() -> node.statistic().cancelled.value() == 1);
        }
    }

    @Test
    void aNodeWithAnotherSecretRefusesThePoolsTasks() throws Exception {
        String name = pool();
        try (WorkerNode node = node(settings(name, OTHER_SECRET));
                DistributedWorkerPool pool = DistributedWorkerPool.builder()
                        .settings(settings(name, SECRET))
                        .build();
                Connection raw = Nats.connect(server.url())) {
            node.start();
            Task<String> task = pool.createTask(() -> record("mismatch"));
            await().atMost(WAIT).until(() -> node.statistic().badAuth.value() == 1);
            assertFalse(STARTED.contains("mismatch"), "the task was not run");
            await().atMost(WAIT).until(() -> queued(raw, settings(name, SECRET)) == 0);
            assertFalse(task.isDone());
            assertEquals(
                    0, node.statistic().success.value() + node.statistic().error.value());
            assertEquals(Set.of(), pool.nodes(), "its presence is refused too");
            pool.close();
            assertThrows(CancellationException.class, () -> task.await(WAIT));
        }
    }
}
