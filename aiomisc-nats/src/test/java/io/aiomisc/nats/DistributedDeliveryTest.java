package io.aiomisc.nats;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiomisc.nats.testing.NatsServer;
import io.aiomisc.task.Task;
import io.aiomisc.worker.WorkerDiedException;
import io.nats.client.Connection;
import io.nats.client.ConsumerContext;
import io.nats.client.FetchConsumeOptions;
import io.nats.client.FetchConsumer;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.api.ConsumerInfo;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** At-least-once delivery: a task no node finishes within {@code maxDeliver} deliveries fails its caller. */
class DistributedDeliveryTest {
    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes();
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static NatsServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = NatsServer.start();
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    /**
     * A dead node as JetStream sees it: pulls tasks from the workers' consumer and never acknowledges
     * them; records the delivery count of each task it got.
     */
    private static final class DeadNode implements AutoCloseable {
        final List<Long> deliveries = new CopyOnWriteArrayList<>();
        private final Thread thread;
        private volatile Exception failure;

        DeadNode(ConsumerContext workers) {
            thread = Thread.ofVirtual().name("dead-node").start(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    try (FetchConsumer fetch = workers.fetch(FetchConsumeOptions.builder()
                            .maxMessages(10)
                            .expiresIn(1000)
                            .build())) {
                        for (Message m = fetch.nextMessage(); m != null; m = fetch.nextMessage()) {
                            deliveries.add(m.metaData().deliveredCount()); // and no ack
                        }
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        if (Thread.currentThread().isInterrupted()) {
                            return;
                        }
                        failure = e;
                        return;
                    }
                }
            });
        }

        @Override
        public void close() throws InterruptedException {
            thread.interrupt();
            thread.join();
            if (failure != null) {
                throw new AssertionError("the dead node's fetch failed", failure);
            }
        }
    }

    @Test
    void aTaskNoNodeFinishesWithinMaxDeliverFailsWithWorkerDiedExceptionAndLeavesTheQueue() throws Exception {
        NatsSettings settings = NatsSettings.builder()
                .servers(server.url())
                .pool("deliveries")
                .secret(SECRET)
                .ackWait(Duration.ofSeconds(1))
                .maxDeliver(2)
                .build();
        try (DistributedWorkerPool pool =
                        DistributedWorkerPool.builder().settings(settings).build();
                Connection raw = Nats.connect(server.url())) {
            pool.start(); // creates the streams and the workers' consumer
            try (DeadNode dead =
                    new DeadNode(raw.getConsumerContext(settings.taskStream(), settings.workerConsumer()))) {
                Task<Integer> task = pool.createTask(() -> 1);
                WorkerDiedException died = assertThrows(WorkerDiedException.class, () -> task.await(WAIT));
                assertTrue(died.getMessage().contains("delivered 2 times"), died.getMessage());
                assertTrue(died.getMessage().contains(((RemoteTask<Integer>) task).id), died.getMessage());
                // at least twice: the server may take back a delivery to a pull request that expired as it
                // was sent, and deliver it again
                assertTrue(dead.deliveries.size() >= 2, dead.deliveries::toString);
                await().atMost(WAIT)
                        .until(() -> raw.jetStreamManagement()
                                        .getStreamInfo(settings.taskStream())
                                        .getStreamState()
                                        .getMsgCount()
                                == 0);
                await().atMost(WAIT)
                        .until(
                                () -> { // nothing left to deliver, nothing waits for a redelivery
                                    ConsumerInfo workers = raw.jetStreamManagement()
                                            .getConsumerInfo(settings.taskStream(), settings.workerConsumer());
                                    return workers.getNumPending() == 0 && workers.getNumAckPending() == 0;
                                });
            }
            assertEquals(1, pool.statistic().done.value());
            assertEquals(1, pool.statistic().error.value());
            assertEquals(0, pool.statistic().success.value());
        }
    }
}
