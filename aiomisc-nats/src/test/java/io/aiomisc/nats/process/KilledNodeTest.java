package io.aiomisc.nats.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiomisc.nats.DistributedWorkerPool;
import io.aiomisc.nats.DistributedWorkerPoolStatistic;
import io.aiomisc.nats.process.Tasks.Ran;
import io.aiomisc.nats.testing.NatsServer;
import io.aiomisc.task.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A worker node JVM killed with {@code kill -9} while it runs tasks. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class KilledNodeTest {
    private static final Duration ACK_WAIT = Duration.ofSeconds(2);
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final int TASKS = 40;

    @Test
    void tasksOfANodeKilledMidTaskCompleteOnTheOtherNodeEachReportedOnce() throws Exception {
        try (NatsServer server = NatsServer.start();
                ChildNode victim = ChildNode.launch(server, "killed", "victim", 4, ACK_WAIT);
                ChildNode survivor = ChildNode.launch(server, "killed", "survivor", 4, ACK_WAIT);
                DistributedWorkerPool pool = DistributedWorkerPool.builder()
                        .settings(ChildNode.settings(server, "killed", ACK_WAIT))
                        .build()) {
            victim.awaitReady();
            survivor.awaitReady();
            List<Task<Ran>> tasks = new ArrayList<>();
            for (int i = 0; i < TASKS; i++) {
                tasks.add(pool.createTask(new Tasks.Recording(i, Duration.ofMillis(1500))));
            }

            victim.process.awaitStdout(line -> line.startsWith(Tasks.STARTED), WAIT);
            victim.process.signal("KILL");
            assertEquals(128 + 9, victim.process.awaitExit(WAIT), victim.process::transcript);

            Map<String, Ran> byTaskId = new HashMap<>();
            Set<Integer> indexes = new HashSet<>();
            for (Task<Ran> task : tasks) {
                Ran ran = task.await(WAIT);
                assertTrue(indexes.add(ran.index()), () -> "index reported twice: " + ran);
                assertTrue(byTaskId.put(ran.taskId(), ran) == null, () -> "task id reported twice: " + ran);
            }
            for (int i = 0; i < TASKS; i++) {
                assertEquals(i, tasks.get(i).await(WAIT).index(), "each task returns its own result");
            }

            Set<String> lostWithTheVictim = new HashSet<>(victim.startedTaskIds());
            lostWithTheVictim.removeIf(id -> "victim".equals(byTaskId.get(id).node()));
            assertFalse(
                    lostWithTheVictim.isEmpty(),
                    () -> "the victim was killed while running a task: " + victim.process.transcript());
            Set<String> rerunBySurvivor = new HashSet<>(survivor.startedTaskIds());
            for (String id : lostWithTheVictim) {
                assertEquals("survivor", byTaskId.get(id).node(), id);
                assertTrue(rerunBySurvivor.contains(id), () -> id + " ran again on the survivor, with the same id");
            }

            DistributedWorkerPoolStatistic statistic = pool.statistic();
            assertEquals(TASKS, statistic.done.value());
            assertEquals(TASKS, statistic.success.value());
            assertEquals(0, statistic.error.value());
            assertTrue(
                    statistic.redelivered.value() >= lostWithTheVictim.size(),
                    () -> "redelivered " + statistic.redelivered.value() + ", lost with the victim "
                            + lostWithTheVictim);
        }
    }
}
