package io.aiomisc.nats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.aiomisc.nats.testing.NatsServer;
import io.aiomisc.task.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DistributedSmokeTest {
    static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes();

    static final class Boom extends RuntimeException {
        Boom(String message) {
            super(message);
        }
    }

    @Test
    void tasksRunOnTwoNodesAndExceptionsComeBackAsThemselves() throws Exception {
        try (NatsServer server = NatsServer.start()) {
            NatsSettings settings = NatsSettings.builder()
                    .servers(server.url())
                    .pool("smoke")
                    .secret(SECRET)
                    .ackWait(Duration.ofSeconds(5))
                    .build();
            try (WorkerNode a = WorkerNode.builder()
                            .settings(settings)
                            .concurrency(4)
                            .nodeId("a")
                            .build();
                    WorkerNode b = WorkerNode.builder()
                            .settings(settings)
                            .concurrency(4)
                            .nodeId("b")
                            .build();
                    DistributedWorkerPool pool =
                            DistributedWorkerPool.builder().settings(settings).build()) {
                a.start();
                b.start();
                List<Task<Integer>> tasks = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    int n = i;
                    tasks.add(pool.createTask(() -> n * n));
                }
                for (int i = 0; i < 200; i++) {
                    assertEquals(i * i, tasks.get(i).await(Duration.ofSeconds(30)));
                }
                Task<Object> failing = pool.createTask(() -> {
                    throw new Boom("boom");
                });
                Boom boom = assertThrows(Boom.class, () -> failing.await(Duration.ofSeconds(30)));
                assertEquals("boom", boom.getMessage());
                assertEquals(
                        200,
                        a.statistic().success.value() + b.statistic().success.value());
                assertSame(pool.statistic(), pool.statistic());
            }
        }
    }
}
