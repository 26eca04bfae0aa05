package io.aiomisc.nats;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiomisc.task.Task;
import io.nats.client.Connection;
import io.nats.client.Nats;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Cancelling a distributed task reaches the node running it, or makes the nodes skip it. */
class DistributedCancelTest extends InProcessNatsTest {

    private static NatsSettings settings() {
        return NatsSettings.builder()
                .servers(server.url())
                .pool(newPool("cancel"))
                .secret(SECRET)
                .build();
    }

    private static WorkerNode node(NatsSettings settings, int concurrency) {
        return WorkerNode.builder()
                .settings(settings)
                .concurrency(concurrency)
                .stopTimeout(Duration.ofSeconds(5))
                .build();
    }

    private static long queued(NatsSettings settings) throws Exception {
        try (Connection raw = Nats.connect(server.url())) {
            return raw.jetStreamManagement()
                    .getStreamInfo(settings.taskStream())
                    .getStreamState()
                    .getMsgCount();
        }
    }

    @Test
    void cancelInterruptsTheTaskOnTheNodeRunningItAndTheNodeGoesOn() throws Exception {
        NatsSettings settings = settings();
        try (WorkerNode node = node(settings, 2);
                DistributedWorkerPool pool =
                        DistributedWorkerPool.builder().settings(settings).build()) {
            node.start();
            Task<String> task = pool.createTask(() -> blockUntilInterrupted("running"));
            await().atMost(WAIT).until(() -> STARTED.contains("running"));
            assertTrue(task.cancel(true));
            assertTrue(task.isCancelled());
            assertThrows(CancellationException.class, () -> task.await(WAIT));
            await().atMost(WAIT).until(() -> INTERRUPTED.contains("running"));
            await().atMost(WAIT)
                    .until(() -> node.statistic().cancelled.value() == 1
                            && node.statistic().running.value() == 0);
            assertEquals(0, node.statistic().error.value());
            assertEquals(0, node.statistic().success.value());
            await().atMost(WAIT).until(() -> queued(settings) == 0); // acknowledged: nobody runs it again
            assertEquals("next", pool.createTask(() -> "next").await(WAIT), "the node is still usable");
            assertEquals(1, node.statistic().success.value());
        }
    }

    @Test
    void aCancelledTaskThatNoNodeHadStartedIsSkipped() throws Exception {
        NatsSettings settings = settings();
        try (WorkerNode node = node(settings, 1);
                DistributedWorkerPool pool =
                        DistributedWorkerPool.builder().settings(settings).build()) {
            node.start();
            Task<String> busy = pool.createTask(() -> blockUntilInterrupted("busy"));
            await().atMost(WAIT).until(() -> STARTED.contains("busy"));
            Task<String> waiting = pool.createTask(() -> record("waiting"));
            await().atMost(WAIT).until(() -> pool.statistic().submitted.value() == 2);
            assertTrue(waiting.cancel(true));
            // Cancellations reach a node in the order they were sent: once the node has interrupted
            // "busy", it has seen the cancellation of "waiting" too.
            assertTrue(busy.cancel(true));
            await().atMost(WAIT).until(() -> INTERRUPTED.contains("busy"));
            await().atMost(WAIT)
                    .until(() -> node.statistic().cancelled.value() == 2
                            && node.statistic().received.value() == 2);
            assertFalse(STARTED.contains("waiting"), "the cancelled task never ran");
            assertThrows(CancellationException.class, () -> waiting.await(WAIT));
            await().atMost(WAIT).until(() -> queued(settings) == 0);
            assertEquals("after", pool.createTask(() -> record("after")).await(WAIT));
            assertFalse(STARTED.contains("waiting"));
        }
    }

    @Test
    void aTaskCancelledWithoutInterruptBeforeAnyNodeStartedItNeverRuns() throws Exception {
        NatsSettings settings = settings();
        try (WorkerNode node = node(settings, 1);
                DistributedWorkerPool pool =
                        DistributedWorkerPool.builder().settings(settings).build()) {
            node.start();
            Task<String> busy = pool.createTask(() -> blockUntilInterrupted("busy"));
            await().atMost(WAIT).until(() -> STARTED.contains("busy"));
            Task<String> waiting = pool.createTask(() -> record("gentle"));
            await().atMost(WAIT).until(() -> pool.statistic().submitted.value() == 2);
            assertTrue(waiting.cancel(false));
            assertTrue(busy.cancel(true)); // seen by the node after the first, as above
            await().atMost(WAIT).until(() -> INTERRUPTED.contains("busy"));
            await().atMost(WAIT)
                    .until(() -> node.statistic().cancelled.value() == 2
                            && node.statistic().received.value() == 2);
            assertFalse(STARTED.contains("gentle"), "a queued task cancelled without interrupt never runs");
            assertEquals(0, node.statistic().success.value());
        }
    }

    /** Released by the test; a task waiting on it ignores interrupts. */
    private static volatile CountDownLatch release = new CountDownLatch(1);

    static String waitForRelease(String name) {
        STARTED.add(name);
        boolean interrupted = false;
        while (true) {
            try {
                release.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            INTERRUPTED.add(name);
        }
        return name;
    }

    @Test
    void aRunningTaskCancelledWithoutInterruptRunsOnAndItsResultIsDropped() throws Exception {
        release = new CountDownLatch(1);
        NatsSettings settings = settings();
        try (WorkerNode node = node(settings, 2);
                DistributedWorkerPool pool =
                        DistributedWorkerPool.builder().settings(settings).build()) {
            node.start();
            Task<String> gentle = pool.createTask(() -> waitForRelease("gentle"));
            Task<String> marker = pool.createTask(() -> blockUntilInterrupted("marker"));
            await().atMost(WAIT).until(() -> STARTED.containsAll(Set.of("gentle", "marker")));
            assertTrue(gentle.cancel(false));
            assertTrue(marker.cancel(true));
            await().atMost(WAIT).until(() -> INTERRUPTED.contains("marker"));
            assertFalse(INTERRUPTED.contains("gentle"), "cancel(false) does not interrupt");
            release.countDown();
            await().atMost(WAIT).until(() -> node.statistic().success.value() == 1);
            assertThrows(CancellationException.class, () -> gentle.await(WAIT));
            assertFalse(INTERRUPTED.contains("gentle"));
            await().atMost(WAIT).until(() -> queued(settings) == 0);
            assertEquals(0, pool.statistic().success.value(), "the result of a cancelled task is dropped");
        }
    }

    @Test
    void interruptingAThreadInAwaitCancelsTheTaskOnItsNode() throws Exception {
        NatsSettings settings = settings();
        try (WorkerNode node = node(settings, 2);
                DistributedWorkerPool pool =
                        DistributedWorkerPool.builder().settings(settings).build()) {
            node.start();
            Task<String> task = pool.createTask(() -> blockUntilInterrupted("awaited"));
            await().atMost(WAIT).until(() -> STARTED.contains("awaited"));
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            Thread waiter = Thread.ofVirtual().start(() -> {
                try {
                    task.await(WAIT);
                    outcome.complete(null);
                } catch (Throwable e) {
                    outcome.complete(e);
                }
            });
            waiter.interrupt();
            assertInstanceOf(InterruptedException.class, outcome.get(WAIT.toSeconds(), TimeUnit.SECONDS));
            waiter.join();
            assertTrue(task.isCancelled());
            await().atMost(WAIT).until(() -> INTERRUPTED.contains("awaited"));
            await().atMost(WAIT).until(() -> node.statistic().cancelled.value() == 1);
        }
    }

    @Test
    void cancellingAFinishedTaskDoesNothing() throws Exception {
        NatsSettings settings = settings();
        try (WorkerNode node = node(settings, 1);
                DistributedWorkerPool pool =
                        DistributedWorkerPool.builder().settings(settings).build()) {
            node.start();
            Task<String> task = pool.createTask(() -> "done");
            assertEquals("done", task.await(WAIT));
            assertFalse(task.cancel(true));
            assertFalse(task.isCancelled());
            assertEquals("done", task.await(WAIT));
            assertEquals("again", pool.createTask(() -> "again").await(WAIT));
            assertEquals(0, node.statistic().cancelled.value());
        }
    }
}
