package io.aiomisc.worker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Tasks for the worker pool tests. A task tells the test that it runs by writing its worker's pid
 * to a marker file (atomically), which the test waits for with {@link WtFiles#awaitPid}.
 */
final class WtTasks {
    private WtTasks() {}

    /** Returns the worker's pid. */
    static WorkerTask<Long> pid() {
        return () -> ProcessHandle.current().pid();
    }

    /** Returns {@code n * n} and the worker's pid. */
    static WorkerTask<WtResult> square(long n) {
        return () -> new WtResult(n * n, ProcessHandle.current().pid());
    }

    /** Writes the marker, then sleeps until interrupted (then throws {@link InterruptedException}). */
    static WorkerTask<Long> markAndSleep(String marker) {
        return () -> {
            mark(marker);
            Thread.sleep(Long.MAX_VALUE);
            throw new AssertionError("slept forever");
        };
    }

    /** Writes the marker, then returns the worker's pid once the file {@code release} exists. */
    static WorkerTask<Long> markAndAwait(String marker, String release) {
        return () -> {
            mark(marker);
            Path released = Path.of(release);
            while (!Files.exists(released)) {
                Thread.sleep(5); // the task's own wait, in the worker; the test waits on the marker
            }
            return ProcessHandle.current().pid();
        };
    }

    /**
     * Writes the marker, then, once the file {@code release} exists, returns the system property
     * {@code wt.initialized} (as a long; -1 if unset) and the worker's pid.
     */
    static WorkerTask<WtResult> initializedAfter(String marker, String release) {
        return () -> {
            long pid = markAndAwait(marker, release).call();
            return new WtResult(Long.getLong("wt.initialized", -1), pid);
        };
    }

    /** Writes the marker, then spins forever, clearing every interrupt. */
    static WorkerTask<Long> markAndSpin(String marker) {
        return () -> {
            mark(marker);
            while (true) {
                Thread.interrupted();
                Thread.onSpinWait();
            }
        };
    }

    /** Writes the marker and returns the worker's pid. */
    static WorkerTask<Long> markOnly(String marker) {
        return () -> {
            mark(marker);
            return ProcessHandle.current().pid();
        };
    }

    /** Exits the worker JVM with {@code status}. */
    static WorkerTask<Long> exit(int status) {
        return () -> {
            System.exit(status);
            throw new AssertionError("System.exit returned");
        };
    }

    /** Writes this JVM's pid to {@code marker} so that a reader never sees a partial file. */
    static void mark(String marker) {
        Path target = Path.of(marker);
        Path temporary = target.resolveSibling(target.getFileName() + ".tmp");
        try {
            Files.writeString(temporary, Long.toString(ProcessHandle.current().pid()));
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
