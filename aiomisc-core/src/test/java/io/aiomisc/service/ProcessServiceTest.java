package io.aiomisc.service;

import static io.aiomisc.testing.TestEntrypoints.builder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import io.aiomisc.Entrypoint;
import io.aiomisc.testing.CapturedLogs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ProcessService on real child JVMs: start, pid, stop by SIGTERM, SIGKILL after the stop timeout,
 * inside an entrypoint, and the ways a start fails. The bodies tell the test what they did through
 * files ({@link PsFiles}).
 */
class ProcessServiceTest {
    /** Generous: a child JVM starts in ~0.3 s, but the machine may be busy. */
    static final Duration PATIENCE = Duration.ofSeconds(30);

    static ConditionFactory await() {
        return Awaitility.await().atMost(PATIENCE);
    }

    /** The live children of this JVM. */
    static Set<Long> liveChildren() {
        return ProcessHandle.current()
                .children()
                .filter(ProcessHandle::isAlive)
                .map(ProcessHandle::pid)
                .collect(Collectors.toSet());
    }

    /** Appends its pid, then sleeps for a minute; appends "interrupted" when interrupted. */
    static final class Sleeper extends ProcessService {
        private static final long serialVersionUID = 1L;
        private final String file;
        private final long stopTimeoutMillis;

        Sleeper(Path file, long stopTimeoutMillis) {
            this.file = file.toString();
            this.stopTimeoutMillis = stopTimeoutMillis;
        }

        @Override
        protected void inProcess() throws Exception {
            PsFiles.appendPid(file);
            try {
                Thread.sleep(60_000);
                PsFiles.append(file, "finished");
            } catch (InterruptedException e) {
                PsFiles.append(file, "interrupted");
            }
        }

        @Override
        protected Duration processStopTimeout() {
            return Duration.ofMillis(stopTimeoutMillis);
        }
    }

    /** A Sleeper whose child is held in its start-up by a {@link PsGate}. */
    static final class Gated extends ProcessService {
        private static final long serialVersionUID = 1L;
        private final PsGate gate;
        private final String file;

        Gated(PsGate gate, Path file) {
            this.gate = gate;
            this.file = file.toString();
        }

        @Override
        protected void inProcess() throws Exception {
            PsFiles.appendPid(file);
            Thread.sleep(60_000);
        }
    }

    /** Appends its pid, then ignores interrupts (and so SIGTERM) for ever. */
    static final class Deaf extends ProcessService {
        private static final long serialVersionUID = 1L;
        private final String file;

        Deaf(Path file) {
            this.file = file.toString();
        }

        @Override
        protected void inProcess() throws Exception {
            PsFiles.appendPid(file);
            while (true) {
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException e) {
                    // deaf
                }
            }
        }

        @Override
        protected Duration processStopTimeout() {
            return Duration.ofMillis(300);
        }
    }

    /** Appends its pid, then throws. */
    static final class Thrower extends ProcessService {
        private static final long serialVersionUID = 1L;
        private final String file;

        Thrower(Path file) {
            this.file = file.toString();
        }

        @Override
        protected void inProcess() throws Exception {
            PsFiles.appendPid(file);
            throw new IllegalStateException("the body failed on purpose");
        }
    }

    /** Holds something that cannot be serialized. */
    static final class Unserializable extends ProcessService {
        private static final long serialVersionUID = 1L;

        @SuppressWarnings("unused")
        private final Object lock = new Object();

        @Override
        protected void inProcess() {}
    }

    /** Its child exits with status 3 before it reports that it started. */
    static final class EarlyExit extends ProcessService {
        private static final long serialVersionUID = 1L;

        @SuppressWarnings("unused")
        private final PsExit exit = new PsExit(3);

        @Override
        protected void inProcess() {}
    }

    @Test
    void startReturnsOnceTheChildRunsTheBodyAndPidIsTheChilds(@TempDir Path dir) throws Exception {
        Path reached = dir.resolve("reached");
        Path open = dir.resolve("open");
        Path file = dir.resolve("body");
        Gated service = new Gated(new PsGate(reached.toString(), open.toString()), file);
        assertEquals(-1, service.pid(), "no child before start");
        CompletableFuture<Void> started = new CompletableFuture<>();
        Thread starter = Thread.ofPlatform().name("test-starter").start(() -> {
            try {
                service.start();
                started.complete(null);
            } catch (Throwable e) {
                started.completeExceptionally(e);
            }
        });
        try {
            await().until(() -> !PsFiles.lines(reached).isEmpty());
            assertFalse(started.isDone(), "start() returned while the child was still starting");
            Files.createFile(open);
            // the body sleeps for a minute: start() must not wait for it to finish
            started.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            long pid = service.pid();
            assertNotEquals(ProcessHandle.current().pid(), pid);
            assertEquals(List.of(pid), PsFiles.pids(reached));
            await().until(() -> PsFiles.pids(file).equals(List.of(pid)));
            assertTrue(ProcessHandle.of(pid).orElseThrow().isAlive());
        } finally {
            service.stop(null);
            starter.join();
        }
        assertEquals(-1, service.pid(), "no child after stop");
    }

    @Test
    void stopInterruptsTheBodyWithSigtermAndReturnsOnceTheChildIsGone(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("body");
        // a long stop timeout: ending within it proves SIGTERM did it, not the SIGKILL after it
        Sleeper service = new Sleeper(file, 20_000);
        service.start();
        long pid = service.pid();
        await().until(() -> PsFiles.pids(file).equals(List.of(pid)));
        try (CapturedLogs logs = CapturedLogs.of(ProcessService.class, Level.WARN)) {
            service.stop(null);
            assertEquals(List.of(), logs.events(), "no WARNING: the child stopped by itself");
        }
        assertTrue(PsFiles.gone(pid), "the child is gone when stop returns");
        assertEquals(List.of(Long.toString(pid), "interrupted"), PsFiles.lines(file));
        assertEquals(-1, service.pid());
    }

    @Test
    void aChildThatIgnoresSigtermIsKilledAfterTheStopTimeoutWithAWarning(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("body");
        Deaf service = new Deaf(file);
        service.start();
        long pid = service.pid();
        await().until(() -> PsFiles.pids(file).equals(List.of(pid)));
        try (CapturedLogs logs = CapturedLogs.of(ProcessService.class, Level.WARN)) {
            service.stop(null);
            assertTrue(
                    logs.contains(
                            Level.WARN, "The process " + pid + " didn't stop for 0.3 seconds and had been killed."),
                    () -> logs.events().toString());
        }
        assertTrue(PsFiles.gone(pid), "the child is gone when stop returns");
        assertEquals(137, service.child().exitValue(), "ended by SIGKILL");
        assertEquals(-1, service.pid());
    }

    @Test
    void inAnEntrypointTheChildRunsWhileItRunsAndIsGoneAfterClose(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("body");
        Sleeper service = new Sleeper(file, 20_000);
        long pid;
        try (Entrypoint entrypoint = builder().services(service).start()) {
            pid = service.pid();
            assertTrue(pid > 0, "running once the entrypoint started");
            await().until(() -> PsFiles.pids(file).equals(List.of(pid)));
        }
        assertTrue(PsFiles.gone(pid), "the child is gone after close");
        assertEquals(List.of(Long.toString(pid), "interrupted"), PsFiles.lines(file));
        assertEquals(-1, service.pid());
    }

    @Test
    void aServiceThatCannotBeSerializedFailsToStartNamingItself() {
        Set<Long> before = liveChildren();
        Unserializable service = new Unserializable();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, service::start);
        assertTrue(e.getMessage().contains("Unserializable"), e.getMessage());
        assertEquals(-1, service.pid());
        assertTrue(before.containsAll(liveChildren()), "no child started");
    }

    @Test
    void aChildThatExitsBeforeItReportsFailsTheStartNamingItsStatus() throws Exception {
        EarlyExit service = new EarlyExit();
        IllegalStateException e = assertThrows(IllegalStateException.class, service::start);
        assertTrue(e.getMessage().contains("EarlyExit"), e.getMessage());
        assertTrue(e.getMessage().contains("exited with status 3"), e.getMessage());
        Matcher pid = Pattern.compile("pid (\\d+)").matcher(e.getMessage());
        assertTrue(pid.find(), e.getMessage());
        assertTrue(PsFiles.gone(Long.parseLong(pid.group(1))));
        assertEquals(-1, service.pid());
    }

    /**
     * A JVM that cannot start (its heap is too small), with a body larger than a pipe's buffer: the
     * child exits while this JVM still writes its bootstrap.
     */
    static final class TooSmallHeap extends ProcessService {
        private static final long serialVersionUID = 1L;

        @SuppressWarnings("unused")
        private final byte[] ballast = new byte[1 << 20];

        @Override
        protected void inProcess() {}

        @Override
        protected List<String> jvmOptions() {
            return List.of("-Xmx1k");
        }
    }

    @Test
    void aChildJvmThatCannotStartFailsTheStartNamingItsStatus() {
        Set<Long> before = liveChildren();
        TooSmallHeap service = new TooSmallHeap();
        IllegalStateException e = assertThrows(IllegalStateException.class, service::start);
        assertTrue(e.getMessage().contains("TooSmallHeap"), e.getMessage());
        assertTrue(e.getMessage().contains("exited with status 1"), e.getMessage());
        assertEquals(-1, service.pid());
        assertTrue(before.containsAll(liveChildren()), "no child left");
    }

    @Test
    void interruptingStartKillsTheChildAndThrowsInterruptedException(@TempDir Path dir) throws Exception {
        Path reached = dir.resolve("reached");
        // the gate never opens: the child would wait in its start-up for ever
        Gated service =
                new Gated(new PsGate(reached.toString(), dir.resolve("never").toString()), dir.resolve("body"));
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread starter = Thread.ofPlatform().name("test-starter").start(() -> {
            try {
                service.start();
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        long pid = -1;
        try {
            await().until(() -> !PsFiles.lines(reached).isEmpty());
            pid = PsFiles.pids(reached).getFirst();
            starter.interrupt();
            starter.join(PATIENCE.toMillis());
            assertFalse(starter.isAlive(), "start() returned after the interrupt");
            assertInstanceOf(InterruptedException.class, failure.get());
            long child = pid;
            await().until(() -> PsFiles.gone(child));
            assertEquals(-1, service.pid());
        } finally {
            if (pid > 0) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    @Test
    void aBodyThatThrowsEndsTheChildWithStatusOne(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("body");
        Thrower service = new Thrower(file);
        service.start();
        Process child = service.child();
        assertTrue(child.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS));
        assertEquals(1, child.exitValue());
        assertEquals(List.of(child.pid()), PsFiles.pids(file), "the body ran");
        assertEquals(-1, service.pid());
        service.stop(null);
    }
}
