package io.aiomisc.nats.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiomisc.nats.DistributedWorkerPool;
import io.aiomisc.nats.testing.NatsServer;
import io.aiomisc.task.Task;
import io.aiomisc.worker.WorkerTask;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A task whose class the node does not have: the class is compiled by the test into a directory only
 * the test JVM loads from, so the child node's class path (the test class path) lacks it.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class MissingTaskClassTest {
    private static final Duration ACK_WAIT = Duration.ofSeconds(5);
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String MISSING = "io.aiomisc.nats.process.onlyhere.OnlyOnTheProducer";

    @TempDir
    Path classes;

    @Test
    void aTaskWhoseClassIsMissingOnTheNodeFailsAloneNamingTheClassAndTheNode() throws Exception {
        try (NatsServer server = NatsServer.start();
                ChildNode lean = ChildNode.launch(server, "missing", "lean-node", 2, ACK_WAIT);
                URLClassLoader producerOnly = compileMissingTask();
                DistributedWorkerPool pool = DistributedWorkerPool.builder()
                        .settings(ChildNode.settings(server, "missing", ACK_WAIT))
                        .build()) {
            @SuppressWarnings("unchecked")
            WorkerTask<String> missing = (WorkerTask<String>)
                    producerOnly.loadClass(MISSING).getConstructor().newInstance();
            assertEquals("ran on the producer", missing.call(), "the class works where it is");
            lean.awaitReady();

            List<Task<String>> before = echoes(pool, "before", 5);
            Task<String> failing = pool.createTask(missing);
            List<Task<String>> after = echoes(pool, "after", 5);

            ClassNotFoundException thrown = assertThrows(ClassNotFoundException.class, () -> failing.await(WAIT));
            assertTrue(thrown.getMessage().contains(MISSING), thrown::getMessage);
            assertTrue(thrown.getMessage().contains("worker node lean-node"), thrown::getMessage);
            assertNotNull(thrown.getCause(), "the node's own ClassNotFoundException is the cause");
            for (int i = 0; i < 5; i++) {
                assertEquals("before" + i + "@lean-node", before.get(i).await(WAIT));
                assertEquals("after" + i + "@lean-node", after.get(i).await(WAIT));
            }

            // the node keeps working, and was never given the failing task again
            List<Task<String>> later = echoes(pool, "later", 5);
            for (int i = 0; i < 5; i++) {
                assertEquals("later" + i + "@lean-node", later.get(i).await(WAIT));
            }
            assertEquals(16, pool.statistic().done.value());
            assertEquals(15, pool.statistic().success.value());
            assertEquals(1, pool.statistic().error.value());
            assertEquals(0, pool.statistic().redelivered.value());
        }
    }

    private static List<Task<String>> echoes(DistributedWorkerPool pool, String text, int count) {
        List<Task<String>> tasks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            tasks.add(pool.createTask(new Tasks.Echo(text + i)));
        }
        return tasks;
    }

    /** Compiles {@link #MISSING} into {@link #classes}; a loader of it whose parent is the test's loader. */
    private URLClassLoader compileMissingTask() throws Exception {
        String simpleName = MISSING.substring(MISSING.lastIndexOf('.') + 1);
        String packageName = MISSING.substring(0, MISSING.lastIndexOf('.'));
        Path source = Files.createDirectories(classes.resolve("src")).resolve(simpleName + ".java");
        Files.writeString(source, """
                package %s;

                public final class %s implements io.aiomisc.worker.WorkerTask<String> {
                    @Override
                    public String call() {
                        return "ran on the producer";
                    }
                }
                """.formatted(packageName, simpleName));
        Path output = Files.createDirectories(classes.resolve("out"));
        Process javac = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "javac").toString(),
                        "-classpath",
                        System.getProperty("java.class.path"),
                        "-d",
                        output.toString(),
                        source.toString())
                .redirectErrorStream(true)
                .start();
        try {
            String errors = new String(javac.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(javac.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "javac finishes");
            assertEquals(0, javac.exitValue(), errors);
        } finally {
            javac.destroyForcibly();
        }
        return new URLClassLoader(new URL[] {output.toUri().toURL()}, MissingTaskClassTest.class.getClassLoader());
    }
}
