package io.aiomisc.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aiomisc.Entrypoint;
import io.aiomisc.service.ProcessService;
import io.aiomisc.testing.JavaProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A {@link ProcessService}'s child logs with the level and format of the entrypoint that starts it.
 * The entrypoint runs in a JVM of its own ({@link Main}), so that its stdout and stderr, which the
 * service's child inherits, can be read here.
 */
class ChildProcessLoggingTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    /** Logs a WARNING and an ERROR naming its pid, then returns (its JVM exits). */
    public static final class Talker extends ProcessService {
        private static final long serialVersionUID = 1L;

        @Override
        protected void inProcess() {
            long pid = ProcessHandle.current().pid();
            LoggerFactory.getLogger("grandchild").warn("warning from the child {}", pid);
            LoggerFactory.getLogger("grandchild").error("error from the child {}", pid);
        }
    }

    /**
     * An entrypoint logging JSON at ERROR, running a {@link Talker}: waits until the Talker's child
     * has exited, closes, and prints "done" to both streams.
     */
    public static final class Main {
        private Main() {}

        public static void main(String[] args) throws Exception {
            Talker talker = new Talker();
            try (Entrypoint entrypoint = Entrypoint.builder()
                    .catchSignals(false)
                    .logFormat("json")
                    .logLevel("error")
                    .services(talker)
                    .start()) {
                long pid = talker.pid(); // -1 if the child has already exited
                if (pid > 0) {
                    ProcessHandle.of(pid).ifPresent(child -> child.onExit().join());
                }
            }
            System.out.println("done");
            System.err.println("done");
        }
    }

    @Test
    void theChildLogsWithTheLevelAndFormatOfTheEntrypoint() throws Exception {
        try (JavaProcess parent = JavaProcess.start(Main.class, Map.of())) {
            // the test class path's logback-test.xml logs plain text at WARN: the child must not use it
            parent.awaitStdout("done"::equals, PATIENCE);
            parent.awaitStderr("done"::equals, PATIENCE);
            assertEquals(0, parent.awaitExit(PATIENCE), parent::transcript);
            List<String> lines = new ArrayList<>(parent.stdout());
            lines.addAll(parent.stderr());
            List<String> errors = lines.stream()
                    .filter(l -> l.contains("error from the child"))
                    .toList();
            assertEquals(1, errors.size(), parent::transcript);
            JsonNode record;
            try {
                record = JSON.readTree(errors.getFirst());
            } catch (JsonProcessingException e) {
                throw new AssertionError("not the entrypoint's JSON format: " + errors.getFirst(), e);
            }
            assertEquals("error", record.get("level").asText(), parent::transcript);
            String message = record.get("msg").asText();
            long childPid = Long.parseLong(message.substring(message.lastIndexOf(' ') + 1));
            assertNotEquals(parent.pid(), childPid, "logged by the service's child, not by the entrypoint's JVM");
            assertTrue(
                    lines.stream().noneMatch(l -> l.contains("warning from the child")),
                    () -> "a WARNING passed the entrypoint's ERROR level\n" + parent.transcript());
        }
    }
}
