package io.aiomisc;

import static io.aiomisc.testing.TestEntrypoints.builder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiomisc.task.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class ContextTest {

    @Test
    void getBlocksUntilAnotherServiceSetsTheKey() throws Exception {
        try (Entrypoint ep = builder().start()) {
            Context context = ep.context();
            Task<Object> reader = ep.createTask(() -> context.get("answer"));
            org.awaitility.Awaitility.await()
                    .until(() -> context.statistic().get.value() == 1);
            assertFalse(reader.isDone());
            context.set("answer", 42);
            assertEquals(42, reader.await(Duration.ofSeconds(10)));
        }
    }

    @Test
    void settingAgainReplacesTheValueForLaterReaders() throws Exception {
        try (Entrypoint ep = builder().start()) {
            Context context = ep.context();
            List<Object> seen = new ArrayList<>();
            for (Object value : Arrays.asList(true, false, null)) {
                context.set("flag", value);
                seen.add(context.get("flag"));
            }
            assertEquals(Arrays.asList(true, false, null), seen);
        }
    }

    @Test
    void typedGetTimesOutWithATimeoutException() throws Exception {
        try (Entrypoint ep = builder().start()) {
            TimeoutException thrown = assertThrows(
                    TimeoutException.class, () -> ep.context().get("missing", String.class, Duration.ofMillis(50)));
            assertTrue(thrown.getMessage().contains("missing"));
        }
    }

    @Test
    void typedGetChecksTheType() throws Exception {
        try (Entrypoint ep = builder().start()) {
            ep.context().set("port", "not a number");
            ClassCastException thrown = assertThrows(
                    ClassCastException.class, () -> ep.context().get("port", Integer.class, Duration.ofSeconds(1)));
            assertTrue(thrown.getMessage().contains("java.lang.String"), thrown.getMessage());
            ep.context().set("port", null);
            assertNull(ep.context().get("port", Integer.class, Duration.ofSeconds(1)));
        }
    }

    @Test
    void closingTheEntrypointFailsWaitingReaders() throws Exception {
        Entrypoint ep = builder().start();
        Context context = ep.context();
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                context.get("never");
            } catch (Throwable t) {
                failure.complete(t);
            }
        });
        org.awaitility.Awaitility.await().until(() -> context.statistic().get.value() == 1);
        ep.close();
        reader.join();
        assertInstanceOf(IllegalStateException.class, failure.getNow(null));
        assertThrows(IllegalStateException.class, () -> context.set("late", 1));
    }

    @Test
    void anInterruptedGetThrowsInterruptedException() throws Exception {
        try (Entrypoint ep = builder().start()) {
            Thread.currentThread().interrupt();
            assertThrows(InterruptedException.class, () -> ep.context().get("never"));
            assertFalse(Thread.currentThread().isInterrupted());
            Thread.currentThread().interrupt();
            assertThrows(
                    InterruptedException.class, () -> ep.context().get("never", String.class, Duration.ofHours(1)));
            assertFalse(Thread.currentThread().isInterrupted());
        }
    }

    @Test
    void getsAndSetsAreCounted() throws Exception {
        try (Entrypoint ep = builder().start()) {
            Context context = ep.context();
            context.set("a", 1);
            context.set("a", 2);
            context.get("a");
            assertEquals(2, context.statistic().set.value());
            assertEquals(1, context.statistic().get.value());
            assertTrue(context.contains("a"));
            assertFalse(context.contains("b"));
        }
    }
}
