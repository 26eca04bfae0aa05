package io.aiomisc.junit.extension;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiomisc.Entrypoint;
import io.aiomisc.junit.AiomiscTest;
import io.aiomisc.task.Task;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A task of the test's entrypoint that failed and whose failure nobody retrieved fails the test. */
class UnobservedFailureTest {
    /** What the fixtures saw, by name. */
    static final Map<String, Object> SEEN = new ConcurrentHashMap<>();

    @BeforeEach
    void clear() {
        SEEN.clear();
    }

    /** Starts a task that fails with a new exception recorded under {@code key}, and waits until it has failed. */
    static Task<Void> failingTask(String key) {
        IllegalStateException failure = new IllegalStateException("failure of " + key);
        SEEN.put(key, failure);
        Task<Void> task = Entrypoint.current().createTask(() -> {
            throw failure;
        });
        // state() does not retrieve the failure (only await, get, join, exceptionNow and the like do)
        await().atMost(Duration.ofSeconds(20)).until(() -> task.state() == Future.State.FAILED);
        SEEN.put(key + " task", task.toString()); // Task[aiomisc-task-N, failed]
        return task;
    }

    /** The name of the task recorded under {@code key}. */
    static String taskName(String key) {
        String text = (String) SEEN.get(key + " task");
        assertNotNull(text, key);
        return text.substring("Task[".length(), text.indexOf(','));
    }

    @AiomiscTest
    static class Fixture {
        @Test
        void neverAwaits() {
            failingTask("never");
        }

        @Test
        void neverAwaitsTwo() {
            failingTask("first");
            failingTask("second");
        }

        @Test
        void awaits() {
            Task<Void> task = failingTask("awaited");
            assertSame(SEEN.get("awaited"), assertThrows(IllegalStateException.class, task::await));
        }

        @Test
        void readsExceptionNow() {
            Task<Void> task = failingTask("read");
            assertSame(SEEN.get("read"), task.exceptionNow());
        }

        @Test
        void failsItselfToo() {
            failingTask("unobserved");
            AssertionError own = new AssertionError("the body's own failure");
            SEEN.put("own", own);
            throw own;
        }

        @Test
        void leavesATaskRunning() {
            Entrypoint.current().createTask(() -> {
                try {
                    new CountDownLatch(1).await();
                } catch (InterruptedException e) {
                    SEEN.put("running task", e);
                    throw e;
                }
                return null;
            });
        }
    }

    @Test
    void aTaskFailingUnobservedFailsTheTestNamingTheTaskWithItsFailureAsCause() {
        Throwable failure = InnerRun.method(Fixture.class, "neverAwaits").failure("neverAwaits");
        assertInstanceOf(AssertionError.class, failure);
        assertTrue(
                failure.getMessage().contains("a task failed and nobody retrieved its failure: " + taskName("never")),
                failure::getMessage);
        assertSame(SEEN.get("never"), failure.getCause());
    }

    @Test
    void everyUnobservedFailureIsNamedTheFirstAsCauseTheOthersSuppressed() {
        Throwable failure = InnerRun.method(Fixture.class, "neverAwaitsTwo").failure("neverAwaitsTwo");
        assertTrue(
                failure.getMessage().contains(taskName("first"))
                        && failure.getMessage().contains(taskName("second")),
                failure::getMessage);
        assertSame(SEEN.get("first"), failure.getCause());
        assertEquals(List.of(SEEN.get("second")), List.of(failure.getSuppressed()));
    }

    @Test
    void aTaskWhoseFailureWasAwaitedDoesNotFailTheTest() {
        InnerRun.method(Fixture.class, "awaits").assertSucceeded(1);
    }

    @Test
    void aTaskWhoseFailureWasReadWithExceptionNowDoesNotFailTheTest() {
        InnerRun.method(Fixture.class, "readsExceptionNow").assertSucceeded(1);
    }

    @Test
    void aFailingBodyIsReportedWithTheUnobservedFailureSuppressed() {
        Throwable failure = InnerRun.method(Fixture.class, "failsItselfToo").failure("failsItselfToo");
        assertSame(SEEN.get("own"), failure);
        Throwable unobserved = List.of(failure.getSuppressed()).stream()
                .filter(s -> s.getMessage().contains(taskName("unobserved")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("suppressed: " + List.of(failure.getSuppressed())));
        assertSame(SEEN.get("unobserved"), unobserved.getCause());
    }

    @Test
    void aTaskStillRunningWhenTheTestEndsIsCancelledWithoutFailingIt() {
        InnerRun.method(Fixture.class, "leavesATaskRunning").assertSucceeded(1);
        assertInstanceOf(InterruptedException.class, SEEN.get("running task"));
    }
}
