package io.aiomisc.nats.process;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.aiomisc.nats.DistributedWorkerPool;
import io.aiomisc.nats.NatsSettings;
import io.aiomisc.nats.testing.NatsServer;
import io.aiomisc.task.Task;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A task the broker refuses to store at first is published again until it is stored. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class RepublishTest {
    private static final Duration ACK_WAIT = Duration.ofSeconds(5);
    private static final Duration WAIT = Duration.ofSeconds(90);

    @Test
    void aTaskTheBrokerRefusedIsPublishedAgainUntilStoredAndThenRuns() throws Exception {
        try (NatsServer server = NatsServer.start();
                Connection observer = Nats.connect(server.url())) {
            NatsSettings settings = ChildNode.settings(server, "republish", ACK_WAIT);
            // the task stream exists already, full: one message, and new ones are refused
            JetStreamManagement management = observer.jetStreamManagement();
            management.addStream(StreamConfiguration.builder()
                    .name(settings.taskStream())
                    .subjects(settings.taskSubject())
                    .retentionPolicy(RetentionPolicy.WorkQueue)
                    .storageType(StorageType.File)
                    .maxMessages(1)
                    .discardPolicy(DiscardPolicy.New)
                    .build());
            observer.jetStream().publish(settings.taskSubject(), "filler".getBytes(StandardCharsets.UTF_8));
            AtomicInteger attempts = new AtomicInteger();
            Dispatcher tap = observer.createDispatcher(message -> {
                if (message.hasHeaders() && message.getHeaders().containsKey("Aiomisc-Task")) {
                    attempts.incrementAndGet();
                }
            });
            tap.subscribe(settings.taskSubject());
            observer.flush(WAIT);

            try (DistributedWorkerPool pool =
                    DistributedWorkerPool.builder().settings(settings).build()) {
                Task<Long> task = pool.createTask(new Tasks.Square(6, Duration.ZERO));
                await().atMost(WAIT).until(() -> attempts.get() >= 2); // refused, and published again
                assertEquals(0, pool.statistic().submitted.value());

                management.purgeStream(settings.taskStream()); // room for it now
                try (ChildNode node = ChildNode.start(server, "republish", "node", 1, ACK_WAIT)) {
                    assertEquals(36L, task.await(WAIT));
                }
                assertEquals(1, pool.statistic().submitted.value());
            }
        }
    }
}
