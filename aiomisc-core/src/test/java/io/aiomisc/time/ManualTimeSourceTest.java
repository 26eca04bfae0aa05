package io.aiomisc.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiomisc.internal.TaskLauncher;
import io.aiomisc.task.Task;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class ManualTimeSourceTest {

    @Test
    void timeStandsStillUntilAdvanced() {
        ManualTimeSource time = new ManualTimeSource(Instant.parse("2026-01-01T00:00:00Z"));
        assertEquals(0, time.nanoTime());
        time.advance(Duration.ofSeconds(90));
        assertEquals(Duration.ofSeconds(90).toNanos(), time.nanoTime());
        assertEquals(Instant.parse("2026-01-01T00:01:30Z"), time.now());
        assertThrows(IllegalArgumentException.class, () -> time.advance(Duration.ofSeconds(-1)));
    }

    @Test
    void timersFireInDeadlineOrderWhenTheirTimeComes() {
        ManualTimeSource time = new ManualTimeSource();
        List<String> fired = new CopyOnWriteArrayList<>();
        time.schedule(
                Duration.ofSeconds(3), () -> fired.add("3s at " + time.elapsed().toSeconds()));
        time.schedule(
                Duration.ofSeconds(1), () -> fired.add("1s at " + time.elapsed().toSeconds()));
        TimeSource.Scheduled cancelled = time.schedule(Duration.ofSeconds(2), () -> fired.add("cancelled"));
        assertTrue(cancelled.cancel());
        time.advance(Duration.ofSeconds(2));
        assertEquals(List.of("1s at 1"), fired);
        time.advance(Duration.ofSeconds(5));
        assertEquals(List.of("1s at 1", "3s at 3"), fired);
        assertEquals(Duration.ofSeconds(7), time.elapsed());
        assertFalse(cancelled.cancel());
    }

    @Test
    void aTimerScheduledByAFiringTimerFiresInTheSameAdvanceIfDue() {
        ManualTimeSource time = new ManualTimeSource();
        List<Long> fired = new CopyOnWriteArrayList<>();
        time.schedule(Duration.ofSeconds(1), () -> {
            fired.add(time.elapsed().toSeconds());
            time.schedule(Duration.ofSeconds(1), () -> fired.add(time.elapsed().toSeconds()));
        });
        time.advance(Duration.ofSeconds(5));
        assertEquals(List.of(1L, 2L), fired);
    }

    @Test
    void sleepersWakeWhenTimeReachesTheirDeadline() throws Exception {
        ManualTimeSource time = new ManualTimeSource();
        Task<Duration> sleeper = TaskLauncher.startDetached(() -> {
            time.sleep(Duration.ofMinutes(5));
            return time.elapsed();
        });
        time.awaitSleepers(1, Duration.ofSeconds(10));
        time.advance(Duration.ofMinutes(4));
        assertFalse(sleeper.isDone());
        time.advance(Duration.ofMinutes(1));
        assertEquals(Duration.ofMinutes(5), sleeper.await());
    }

    @Test
    void anInterruptedSleeperLeavesNoWaiterBehind() throws Exception {
        ManualTimeSource time = new ManualTimeSource();
        Task<Object> sleeper = TaskLauncher.startDetached(() -> {
            time.sleep(Duration.ofDays(1));
            return null;
        });
        time.awaitWaiters(1, Duration.ofSeconds(10));
        sleeper.cancel(true);
        org.awaitility.Awaitility.await().until(() -> time.waiters() == 0);
    }

    @Test
    void awaitWaitersTimesOutInRealTime() {
        assertThrows(TimeoutException.class, () -> new ManualTimeSource().awaitWaiters(1, Duration.ofMillis(10)));
    }
}
