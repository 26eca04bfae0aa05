package io.aiomisc.worker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiomisc.internal.process.Frame;
import io.aiomisc.internal.process.FrameException;
import io.aiomisc.internal.process.Serial;
import io.aiomisc.task.Task;
import java.io.NotSerializableException;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class WorkerPoolBadInputTest {
    @Test
    void aLambdaCapturingSomethingUnserializableIsRefusedAtCreateTask() {
        Object notSerializable = new Object();
        try (WorkerPool pool = new WorkerPool(1)) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class, () -> pool.createTask(() -> notSerializable.hashCode()));
            NotSerializableException cause = assertInstanceOf(NotSerializableException.class, e.getCause());
            assertTrue(cause.getMessage().contains("java.lang.Object"), cause.getMessage());
            assertThrows(IllegalStateException.class, pool::address, "the refused task started the pool");
        }
    }

    @Test
    void aTaskClassWithAnUnserializableFieldIsRefusedAtCreateTask() {
        try (WorkerPool pool = new WorkerPool(1)) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> pool.createTask(new SecHoldsThread()));
            NotSerializableException cause = assertInstanceOf(NotSerializableException.class, e.getCause());
            assertTrue(cause.getMessage().contains("Thread"), cause.getMessage());
            assertEquals(0, pool.statistic().taskAdded.value());
        }
    }

    @Test
    void aNullTaskIsRefused() {
        try (WorkerPool pool = new WorkerPool(1)) {
            assertThrows(NullPointerException.class, () -> pool.createTask(null));
        }
    }

    @Test
    void fewerThanOneWorkerIsRefusedNamingTheValue() {
        assertNamesValue(() -> new WorkerPool(0), "workers", "0");
        assertNamesValue(() -> WorkerPool.builder().workers(-1), "workers", "-1");
        IllegalStateException missing = assertThrows(
                IllegalStateException.class, () -> WorkerPool.builder().build());
        assertTrue(missing.getMessage().contains("workers"), missing.getMessage());
    }

    @Test
    void badBuilderValuesAreRefusedNamingTheValue() {
        assertNamesValue(() -> WorkerPool.builder().maxOverflow(-1), "maxOverflow", "-1");
        assertNamesValue(() -> WorkerPool.builder().cancelTimeout(Duration.ZERO), "cancelTimeout", "PT0S");
        assertNamesValue(() -> WorkerPool.builder().cancelTimeout(Duration.ofSeconds(-1)), "cancelTimeout", "PT-1S");
        assertThrows(NullPointerException.class, () -> WorkerPool.builder().cancelTimeout(null));
        assertNamesValue(() -> WorkerPool.builder().maxFrameSize(1023), "maxFrameSize", "1023");
        assertNamesValue(() -> WorkerPool.builder().maxFrameSize(-5), "maxFrameSize", "-5");
        assertNamesValue(
                () -> WorkerPool.builder().deserializationFilter("maxdepth=deep"),
                "deserializationFilter",
                "maxdepth=deep");
        assertThrows(NullPointerException.class, () -> WorkerPool.builder().jvmOptions(null));
    }

    @Test
    void anUnserializableInitializerIsRefusedAtBuild() {
        Object notSerializable = new Object();
        WorkerPool.Builder builder = WorkerPool.builder().workers(1).initializer(() -> notSerializable.hashCode());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, builder::build);
        assertTrue(e.getMessage().contains("initializer"), e.getMessage());
        assertInstanceOf(NotSerializableException.class, e.getCause());
    }

    @Test
    void aPoolThatNeverStartedHasNoAddressAndTakesNoTaskOnceClosed() {
        WorkerPool pool = new WorkerPool(1);
        IllegalStateException noAddress = assertThrows(IllegalStateException.class, pool::address);
        assertTrue(noAddress.getMessage().contains("not started"), noAddress.getMessage());
        pool.close();
        IllegalStateException closed = assertThrows(IllegalStateException.class, () -> pool.createTask(() -> 1));
        assertTrue(closed.getMessage().contains("closed"), closed.getMessage());
        assertThrows(IllegalStateException.class, pool::start);
    }

    @Test
    void oversizeTasksAndResultsFailNamingTheLimitAndThePoolKeepsWorking() throws Exception {
        WorkerPool pool = WorkerPool.builder().workers(1).maxFrameSize(4096).build();
        try (pool) {
            pool.start();
            Set<Long> pids = pool.pids();

            byte[] big = new byte[8192];
            Task<Integer> tooLarge = pool.createTask(() -> big.length);
            Exception taskError = assertThrows(Exception.class, tooLarge::await);
            assertInstanceOf(IllegalArgumentException.class, taskError);
            assertTrue(taskError.getMessage().contains("maxFrameSize (4096 bytes)"), taskError.getMessage());

            Task<byte[]> largeResult = pool.createTask(() -> new byte[8192]);
            Exception resultError = assertThrows(Exception.class, largeResult::await);
            assertTrue(resultError.getMessage().contains("maxFrameSize (4096 bytes)"), resultError.getMessage());
            assertTrue(resultError.getMessage().contains("result"), resultError.getMessage());

            Task<Object> largeException = pool.createTask(() -> {
                throw new IllegalStateException("x".repeat(10_000));
            });
            Exception thrown = assertThrows(Exception.class, largeException::await);
            assertTrue(thrown.getMessage().contains(IllegalStateException.class.getName()), thrown.getMessage());
            assertTrue(thrown.getMessage().length() < 4096, "the stand-in carries the whole message");

            assertEquals(1024, pool.createTask(() -> new byte[1024]).await().length);
            assertEquals(pids, pool.pids(), "the worker was replaced");
            // counted just after the task completes; the oversize task never reached the pool
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> pool.statistic().success.value() == 1);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> pool.statistic().error.value() == 2);
        }
        IllegalStateException closed = assertThrows(IllegalStateException.class, () -> pool.createTask(() -> 1));
        assertTrue(closed.getMessage().contains("closed"), closed.getMessage());
        assertNotEquals(0, pool.statistic().spawning.value());
    }

    @Test
    void resultsAndExceptionsThatFailToBeReadFailTheirTaskAndThePoolKeepsWorking() throws Exception {
        try (WorkerPool pool = new WorkerPool(1)) {
            pool.start();
            Set<Long> pids = pool.pids();
            // the worker only writes these; their readObject throws in this JVM, on the worker's
            // reader thread, which must fail the task and go on serving
            Task<SecUnreadable> result = pool.createTask(SecUnreadable::new);
            Exception unreadable = assertThrows(Exception.class, () -> result.await(Duration.ofSeconds(30)));
            assertTrue(unreadable.getMessage().contains("SecUnreadable refuses"), unreadable.toString());

            Task<Object> thrown = pool.createTask(() -> {
                throw new SecUnreadableException();
            });
            Exception unreadableException = assertThrows(Exception.class, () -> thrown.await(Duration.ofSeconds(30)));
            assertTrue(
                    unreadableException.getMessage().contains("SecUnreadableException refuses"),
                    unreadableException.toString());

            assertEquals("next", pool.createTask(() -> "next").await(Duration.ofSeconds(30)));
            assertEquals(pids, pool.pids());
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> pool.statistic().error.value() == 2);
        }
    }

    @Test
    void aReplyThatBreaksTheProtocolFailsItsTaskInsteadOfLosingIt() throws Exception {
        // what a broken worker could send; the slot replaces such a worker, and its task must not hang
        try (WorkerPool pool = new WorkerPool(1)) {
            WorkerJob<Object> notAnException = new WorkerJob<>(pool, 1, new byte[0]);
            Frame exception = Frame.withSequence(Frame.EXCEPTION, 1, Serial.serialize("a string", 1024, "test"));
            assertThrows(FrameException.class, () -> pool.finished(notAnException, exception, 1));
            Exception failure = assertThrows(Exception.class, () -> notAnException.await(Duration.ofSeconds(10)));
            assertInstanceOf(FrameException.class, failure);

            WorkerJob<Object> wrongType = new WorkerJob<>(pool, 2, new byte[0]);
            Frame ready = Frame.withSequence(Frame.READY, 2, new byte[0]);
            assertThrows(FrameException.class, () -> pool.finished(wrongType, ready, 1));
            Exception typeFailure = assertThrows(Exception.class, () -> wrongType.await(Duration.ofSeconds(10)));
            assertTrue(typeFailure.getMessage().contains("unexpected frame type"), typeFailure.getMessage());
        }
    }

    private static void assertNamesValue(Executable call, String parameter, String value) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(parameter), e.getMessage());
        assertTrue(e.getMessage().contains(value), e.getMessage());
    }
}
