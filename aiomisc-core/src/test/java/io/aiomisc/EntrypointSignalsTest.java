package io.aiomisc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.aiomisc.testing.JavaProcess;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SIGINT/SIGTERM handling, in child JVMs: only a real process shows signals and exit statuses. */
class EntrypointSignalsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void sigtermStopsGracefullyAndExitsWithZero() throws Exception {
        try (JavaProcess child = JavaProcess.start(SignalTestMain.class, Map.of(), "graceful")) {
            child.awaitStdout("running"::equals, WAIT);
            child.signal("TERM");
            assertEquals(0, child.awaitExit(WAIT), child::transcript);
            assertTrue(child.stdout().contains("stop called: Interrupt signal received: SIGTERM"), child::transcript);
            assertTrue(child.stdout().contains("runForever returned"), child::transcript);
            assertTrue(
                    child.stderr().stream().anyMatch(l -> l.contains("Interrupt signal received, shutting down...")),
                    child::transcript);
        }
    }

    @Test
    void sigintStopsGracefullyAndExitsWithZero() throws Exception {
        try (JavaProcess child = JavaProcess.start(SignalTestMain.class, Map.of(), "graceful")) {
            child.awaitStdout("running"::equals, WAIT);
            assumeFalse(
                    child.stderr().stream().anyMatch(l -> l.contains("SIGINT is ignored")),
                    "this test runs in a process group that ignores SIGINT, which the JVM cannot undo");
            child.signal("INT");
            assertEquals(0, child.awaitExit(WAIT), child::transcript);
            assertTrue(child.stdout().contains("stop called: Interrupt signal received: SIGINT"), child::transcript);
        }
    }

    @Test
    void sighupStopsGracefullyWhenChosenByName() throws Exception {
        try (JavaProcess child = JavaProcess.start(SignalTestMain.class, Map.of(), "hup")) {
            child.awaitStdout("running"::equals, WAIT);
            child.signal("HUP");
            assertEquals(0, child.awaitExit(WAIT), child::transcript);
            assertTrue(child.stdout().contains("stop called: Interrupt signal received: SIGHUP"), child::transcript);
            assertTrue(child.stdout().contains("runForever returned"), child::transcript);
        }
    }

    @Test
    void serviceThatNeverStopsMakesTheProcessExitWith70AfterTheTimeout() throws Exception {
        try (JavaProcess child = JavaProcess.start(SignalTestMain.class, Map.of(), "stuck")) {
            child.awaitStdout("running"::equals, WAIT);
            long signalled = System.nanoTime();
            child.signal("TERM");
            assertEquals(70, child.awaitExit(WAIT), child::transcript);
            assertTrue(System.nanoTime() - signalled >= Duration.ofSeconds(1).toNanos());
            child.awaitStderr(
                    l -> l.contains("Shutdown did not happen in PT1S") && l.contains("signal-test-service"), WAIT);
        }
    }

    @Test
    void secondSignalDuringShutdownDoesNotStartASecondShutdown() throws Exception {
        try (JavaProcess child = JavaProcess.start(SignalTestMain.class, Map.of(), "slow-stop")) {
            child.awaitStdout("running"::equals, WAIT);
            child.signal("TERM");
            child.awaitStdout(l -> l.startsWith("stop called"), WAIT);
            child.signal("TERM");
            child.awaitStderr(l -> l.contains("received again"), WAIT);
            child.writeLine("go on");
            assertEquals(0, child.awaitExit(WAIT), child::transcript);
            assertEquals(
                    1,
                    child.stdout().stream()
                            .filter(l -> l.startsWith("stop called"))
                            .count(),
                    child::transcript);
        }
    }
}
