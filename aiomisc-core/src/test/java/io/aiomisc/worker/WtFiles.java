package io.aiomisc.worker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;

/** The test side of {@link WtTasks}' markers, and checks of the worker JVMs this JVM started. */
final class WtFiles {
    /** Longest wait for a worker to do something: generous, the machine is loaded. */
    static final Duration PATIENCE = Duration.ofSeconds(45);

    private WtFiles() {}

    /** Waits until a task has written {@code marker} and returns the pid in it. */
    static long awaitPid(Path marker) {
        Awaitility.await("marker " + marker.getFileName())
                .atMost(PATIENCE)
                .pollInterval(Duration.ofMillis(10))
                .until(() -> Files.exists(marker));
        try {
            return Long.parseLong(Files.readString(marker));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates {@code file}, which releases a {@link WtTasks#markAndAwait} task. */
    static void touch(Path file) {
        try {
            Files.createFile(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The pids of this JVM's live children that run a worker (or process service) main. */
    static Set<Long> workerChildren() {
        return ProcessHandle.current()
                .children()
                .filter(ProcessHandle::isAlive)
                .filter(child -> child.info()
                        .commandLine()
                        .map(line -> line.contains(io.aiomisc.internal.process.ChildLauncher.MAIN))
                        .orElse(false))
                .map(ProcessHandle::pid)
                .collect(Collectors.toCollection(HashSet::new));
    }

    /** True if {@code pid} is no longer a live process. */
    static boolean dead(long pid) {
        return ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
    }
}
