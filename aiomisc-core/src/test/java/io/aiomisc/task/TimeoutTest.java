package io.aiomisc.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class TimeoutTest {

    @Test
    void returnsTheResultWhenInTime() throws Exception {
        assertEquals("fast", Timeout.run(Duration.ofSeconds(10), () -> "fast"));
    }

    @Test
    void interruptsTheWorkAndThrowsTimeoutException() {
        AtomicBoolean interrupted = new AtomicBoolean();
        TimeoutException thrown = assertThrows(
                TimeoutException.class,
                () -> Timeout.run(Duration.ofMillis(50), () -> {
                    try {
                        Thread.sleep(Long.MAX_VALUE);
                    } catch (InterruptedException e) {
                        interrupted.set(true);
                        throw e;
                    }
                    return null;
                }));
        assertTrue(interrupted.get());
        assertInstanceOf(InterruptedException.class, thrown.getCause());
        assertFalse(Thread.currentThread().isInterrupted(), "the timeout's interrupt does not leak to the caller");
    }

    @Test
    void workThatIgnoresTheInterruptStillTimesOut() {
        assertThrows(
                TimeoutException.class,
                () -> Timeout.run(Duration.ofMillis(20), () -> {
                    long until = System.nanoTime() + Duration.ofMillis(200).toNanos();
                    while (System.nanoTime() < until) {
                        Thread.onSpinWait();
                    }
                    return "late";
                }));
        assertFalse(Thread.interrupted());
    }

    @Test
    void theWorksOwnExceptionPassesThroughAsIs() {
        IOException failure = new IOException("failed quickly");
        assertSame(
                failure,
                assertThrows(
                        IOException.class,
                        () -> Timeout.run(Duration.ofSeconds(10), () -> {
                            throw failure;
                        })));
    }

    @Test
    void zeroTimeoutFailsWithoutRunningTheWork() {
        AtomicBoolean ran = new AtomicBoolean();
        assertThrows(TimeoutException.class, () -> Timeout.run(Duration.ZERO, () -> ran.getAndSet(true)));
        assertFalse(ran.get());
    }

    @Test
    void negativeTimeoutIsAnIllegalArgument() {
        assertThrows(IllegalArgumentException.class, () -> Timeout.run(Duration.ofMillis(-1), () -> 1));
        assertThrows(IllegalArgumentException.class, () -> Timeout.wrap(Duration.ofMillis(-1), () -> 1));
    }

    @Test
    void wrapBoundsEachCall() throws Exception {
        Callable<String> bounded = Timeout.wrap(Duration.ofMillis(50), () -> {
            Thread.sleep(Long.MAX_VALUE);
            return "never";
        });
        assertThrows(TimeoutException.class, bounded::call);
        assertThrows(TimeoutException.class, bounded::call);
        assertEquals(1, Timeout.wrap(Duration.ofSeconds(5), () -> 1).call());
    }

    @Test
    void nestedTimeoutsReportTheOneThatFired() {
        TimeoutException outer = assertThrows(
                TimeoutException.class,
                () -> Timeout.run(
                        Duration.ofMillis(50),
                        () -> Timeout.run(Duration.ofSeconds(30), () -> {
                            Thread.sleep(Long.MAX_VALUE);
                            return null;
                        })));
        assertTrue(outer.getMessage().contains("PT0.05S"), outer.getMessage());
    }
}
