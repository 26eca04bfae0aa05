package io.aiomisc.junit.extension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiomisc.junit.AiomiscExtension;
import io.aiomisc.junit.AiomiscTest;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/** {@code @AiomiscTest(timeout)} and the configuration parameter: the body is interrupted, the test fails. */
class TestTimeoutTest {
    /** What the fixtures' bodies saw, by body. */
    static final Map<String, Throwable> SEEN = new ConcurrentHashMap<>();

    @BeforeEach
    void clear() {
        SEEN.clear();
    }

    /** Blocks until interrupted (nobody releases the latch), recording the interrupt under {@code key}. */
    static void blockUntilInterrupted(String key) throws InterruptedException {
        try {
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            SEEN.put(key, e);
            throw e;
        }
    }

    /** Waits {@code duration} (longer than a timeout under test) unless interrupted, recording an interrupt. */
    static void outlast(String key, Duration duration) throws InterruptedException {
        try {
            Thread.sleep(duration); // not synchronisation: the body must outlive a timeout it is not bound by
        } catch (InterruptedException e) {
            SEEN.put(key, e);
            throw e;
        }
    }

    /** Asserts that {@code failure} is the extension's timeout after {@code timeout} and that {@code key} was interrupted. */
    static void assertTimedOut(Throwable failure, String timeout, String key) {
        assertInstanceOf(TimeoutException.class, failure);
        assertTrue(
                failure.getMessage().contains("timed out after " + timeout + " (the body was interrupted)"),
                failure::getMessage);
        assertInstanceOf(InterruptedException.class, SEEN.get(key), "the body was interrupted");
        Throwable where = Arrays.stream(failure.getSuppressed())
                .filter(s -> s.getMessage().equals("where the test body was when it timed out"))
                .findFirst()
                .orElseThrow();
        assertTrue(
                Arrays.stream(where.getStackTrace())
                        .anyMatch(e -> e.getMethodName().equals("blockUntilInterrupted")),
                () -> "where: " + List.of(where.getStackTrace()));
        assertEquals(1, failure.getSuppressed().length, () -> "it ended in time: " + List.of(failure.getSuppressed()));
    }

    @AiomiscTest(timeout = "PT0.5S")
    static class ClassTimeout {
        @Test
        void blocked() throws InterruptedException {
            blockUntilInterrupted("blocked");
        }

        @Test
        @AiomiscTest(timeout = "PT30S")
        void longerOnTheMethod() throws InterruptedException {
            outlast("longerOnTheMethod", Duration.ofSeconds(1));
        }

        @Test
        @AiomiscTest(timeout = "PT30S") // a timeout in force, which the body cannot reach even on a loaded machine
        void throwsItsOwn() throws TimeoutException {
            TimeoutException own = new TimeoutException("the body's own");
            SEEN.put("own", own);
            throw own;
        }
    }

    @Test
    void aBlockedBodyIsInterruptedAndTheTestFailsWithATimeoutException() {
        long start = System.nanoTime();
        Throwable failure = InnerRun.method(ClassTimeout.class, "blocked").failure("blocked");
        assertTimedOut(failure, "PT0.5S", "blocked");
        assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(25)) < 0, "not Jupiter's");
    }

    @Test
    void aLongerTimeoutOnTheMethodWinsOverTheClasss() {
        InnerRun.method(ClassTimeout.class, "longerOnTheMethod").assertSucceeded(1);
        assertEquals(Map.of(), SEEN, "not interrupted");
    }

    @Test
    void aBodyThrowingItsOwnTimeoutExceptionIsReportedAsItsOwn() {
        Throwable failure = InnerRun.method(ClassTimeout.class, "throwsItsOwn").failure("throwsItsOwn");
        assertNotNull(SEEN.get("own"));
        assertSame(SEEN.get("own"), failure);
    }

    @AiomiscTest(timeout = "PT30S")
    static class ShorterOnTheMethod {
        @Test
        @AiomiscTest(timeout = "PT0.5S")
        void blocked() throws InterruptedException {
            blockUntilInterrupted("blocked");
        }
    }

    @Test
    void aShorterTimeoutOnTheMethodWinsOverTheClasss() {
        Throwable failure = InnerRun.of(ShorterOnTheMethod.class).failure("blocked");
        assertTimedOut(failure, "PT0.5S", "blocked");
    }

    @AiomiscTest
    static class NoTimeout {
        @Test
        void blocked() throws InterruptedException {
            blockUntilInterrupted("blocked");
        }
    }

    @AiomiscTest(timeout = "PT30S")
    static class LongerThanTheParameter {
        @Test
        void outlasts() throws InterruptedException {
            outlast("outlasts", Duration.ofSeconds(1));
        }
    }

    @Test
    void theConfigurationParameterAppliesWhenTheAnnotationSetsNone() {
        Throwable failure = InnerRun.of(NoTimeout.class, Map.of(AiomiscExtension.TIMEOUT_PARAMETER, "PT0.5S"))
                .failure("blocked");
        assertTimedOut(failure, "PT0.5S", "blocked");
    }

    @Test
    void theAnnotationWinsOverTheConfigurationParameter() {
        InnerRun.of(LongerThanTheParameter.class, Map.of(AiomiscExtension.TIMEOUT_PARAMETER, "PT0.5S"))
                .assertSucceeded(1);
        assertEquals(Map.of(), SEEN);
    }

    @AiomiscTest(timeout = "PT0.5S")
    static class IgnoresItsInterrupt {
        /** Set by the test that runs this fixture: a latch of its own per run. */
        static volatile CountDownLatch release;

        @Test
        void stubborn() {
            boolean interrupted = false;
            while (true) {
                try {
                    release.await();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                    SEEN.put("stubborn", e);
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        @AfterEach
        void release() {
            release.countDown(); // runs after the timeout was reported, before the entrypoint closes
        }
    }

    @Test
    void aBodyThatDoesNotEndAfterItsInterruptIsReportedAsStillRunning() {
        IgnoresItsInterrupt.release = new CountDownLatch(1);
        Throwable failure = InnerRun.of(IgnoresItsInterrupt.class).failure("stubborn");
        assertInstanceOf(TimeoutException.class, failure);
        assertInstanceOf(InterruptedException.class, SEEN.get("stubborn"));
        assertTrue(
                Arrays.stream(failure.getSuppressed())
                        .anyMatch(s -> s.getMessage().contains("did not end within PT5S of its interrupt")),
                () -> "suppressed: " + List.of(failure.getSuppressed()));
    }

    @AiomiscTest(timeout = "PT0.5S")
    static class TimedOutRepetitions {
        @RepeatedTest(2)
        void repeated() throws InterruptedException {
            blockUntilInterrupted("repeated");
        }
    }

    @Test
    void eachRepetitionOfARepeatedTestIsBoundedByTheTimeout() {
        InnerRun run = InnerRun.of(TimedOutRepetitions.class);
        assertEquals(2, run.results("repeated").size());
        for (var result : run.results("repeated")) {
            assertTimedOut(result.getThrowable().orElseThrow(), "PT0.5S", "repeated");
        }
    }

    @AiomiscTest(timeout = "banana")
    static class NotADuration {
        @Test
        void body() {
            SEEN.put("body", new AssertionError("ran"));
        }
    }

    @AiomiscTest(timeout = "PT0S")
    static class Zero {
        @Test
        void body() {
            SEEN.put("body", new AssertionError("ran"));
        }
    }

    @AiomiscTest(timeout = "-PT1S")
    static class Negative {
        @Test
        void body() {
            SEEN.put("body", new AssertionError("ran"));
        }
    }

    @Test
    void aTimeoutThatIsNotADurationFailsNamingIt() {
        Throwable failure = InnerRun.of(NotADuration.class).failure("body");
        assertInstanceOf(ExtensionConfigurationException.class, failure);
        assertTrue(failure.getMessage().contains("@AiomiscTest(timeout) of"), failure::getMessage);
        assertTrue(failure.getMessage().contains("NotADuration"), failure::getMessage);
        assertTrue(
                failure.getMessage().contains("must be an ISO-8601 duration such as PT10S: 'banana'"),
                failure::getMessage);
        assertEquals(Map.of(), SEEN);
    }

    @Test
    void aTimeoutThatIsNotPositiveFailsNamingIt() {
        for (Class<?> fixture : List.of(Zero.class, Negative.class)) {
            Throwable failure = InnerRun.of(fixture).failure("body");
            assertInstanceOf(ExtensionConfigurationException.class, failure);
            String value = fixture.getAnnotation(AiomiscTest.class).timeout();
            assertTrue(failure.getMessage().contains("must be positive: " + value), failure::getMessage);
        }
        assertEquals(Map.of(), SEEN);
    }

    @Test
    void aConfigurationParameterThatIsNotADurationFailsNamingIt() {
        Throwable failure = InnerRun.of(NoTimeout.class, Map.of(AiomiscExtension.TIMEOUT_PARAMETER, "soon"))
                .failure("blocked");
        assertInstanceOf(ExtensionConfigurationException.class, failure);
        assertTrue(
                failure.getMessage()
                        .contains("configuration parameter aiomisc.junit.timeout must be an ISO-8601 duration such as "
                                + "PT10S: 'soon'"),
                failure::getMessage);
        assertEquals(Map.of(), SEEN, "the body did not run");
    }

    @AiomiscTest(poolSize = -1)
    static class NoPool {
        @Test
        void body() {
            SEEN.put("body", new AssertionError("ran"));
        }
    }

    @Test
    void aNegativePoolSizeFailsNamingIt() {
        Throwable failure = InnerRun.of(NoPool.class).failure("body");
        assertInstanceOf(ExtensionConfigurationException.class, failure);
        assertTrue(failure.getMessage().contains("@AiomiscTest(poolSize) of"), failure::getMessage);
        assertTrue(
                failure.getMessage().contains("NoPool must be at least 1 (or 0 for the enclosing one's): -1"),
                failure::getMessage);
        assertEquals(Map.of(), SEEN);
    }
}
