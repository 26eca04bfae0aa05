package io.aiomisc.task;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ch.qos.logback.classic.Level;
import io.aiomisc.internal.RunnableTask;
import io.aiomisc.internal.TaskLauncher;
import io.aiomisc.testing.CapturedLogs;
import io.aiomisc.thread.ThreadPool;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class UnobservedFailureTest {

    private static void failAndForget(String message) throws Exception {
        Task<Object> task = TaskLauncher.startDetached(() -> {
            throw new IOException(message);
        });
        ((RunnableTask<Object>) task).awaitFinished(10, java.util.concurrent.TimeUnit.SECONDS);
    }

    @Test
    void aFailureNobodyRetrievedIsLoggedWhenTheTaskIsCollected() throws Exception {
        String message = "lost-" + UUID.randomUUID();
        try (CapturedLogs logs = CapturedLogs.of(RunnableTask.class)) {
            failAndForget(message);
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
                System.gc();
                return logs.events().stream()
                        .anyMatch(e -> e.getLevel() == Level.ERROR
                                && e.getFormattedMessage().contains("never retrieved")
                                && e.getThrowableProxy() != null
                                && e.getThrowableProxy().getMessage().equals(message));
            });
        }
    }

    /** A detached task that failed with {@code message}, whose failure was retrieved; only weakly held. */
    private static WeakReference<Task<Object>> failAndRetrieve(String message) {
        Task<Object> task = TaskLauncher.startDetached(() -> {
            throw new IOException(message);
        });
        assertThrows(IOException.class, task::await);
        return new WeakReference<>(task);
    }

    /**
     * Bites only if the retrieved task was really collected before the check: the old version
     * dropped a local and hoped, so it passed whenever collection came late. Here the task is
     * first shown collected (its cleanup queued), and only then a control failure, which is
     * logged, is made and awaited: by the time the control's report is out, the retrieved one's
     * cleanup, queued earlier on the same single cleaner thread, has run too.
     */
    @Test
    void aRetrievedFailureIsNotLogged() throws Exception {
        String message = "seen-" + UUID.randomUUID();
        try (CapturedLogs logs = CapturedLogs.of(RunnableTask.class)) {
            WeakReference<Task<Object>> retrieved = failAndRetrieve(message);
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
                System.gc();
                return retrieved.get() == null;
            });
            String control = "control-" + UUID.randomUUID();
            failAndForget(control);
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
                System.gc();
                return logs.events().stream()
                        .anyMatch(e -> e.getThrowableProxy() != null
                                && e.getThrowableProxy().getMessage().equals(control));
            });
            assertFalse(logs.events().stream()
                    .anyMatch(e -> e.getThrowableProxy() != null
                            && e.getThrowableProxy().getMessage().equals(message)));
        }
    }

    @Test
    void aTaskGivenToExecuteThatThrowsIsLogged() throws Exception {
        try (CapturedLogs logs = CapturedLogs.of(ThreadPool.class);
                ThreadPool pool = new ThreadPool("execute", 1)) {
            pool.execute(() -> {
                throw new IllegalStateException("executed and failed");
            });
            Awaitility.await()
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> logs.contains(Level.ERROR, "Unhandled exception in a task executed by"));
        }
    }
}
