package io.aiomisc.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code bin/run-example}'s argument handling, up to the point where it would build the project. */
class RunExampleScriptTest {
    private static final Path SCRIPT =
            Path.of("..", "bin", "run-example").toAbsolutePath().normalize();
    private static final Pattern CASE = Pattern.compile("^\\s+(\\w+)\\) main=(\\w+); shift ;;$", Pattern.MULTILINE);

    @Test
    void everyNamedExampleIsAMainClassListedInTheHelp() throws Exception {
        Map<String, String> examples = new LinkedHashMap<>();
        Matcher entry = CASE.matcher(Files.readString(SCRIPT));
        while (entry.find()) {
            examples.put(entry.group(1), entry.group(2));
        }
        assertEquals(
                Map.ofEntries(
                        Map.entry("files", "FilesExample"),
                        Map.entry("diagnostics", "DiagnosticsExample"),
                        Map.entry("dependencies", "DependencyExample"),
                        Map.entry("nats", "DistributedExample"),
                        Map.entry("metrics", "MetricsExample"),
                        Map.entry("sentry", "SentryExample"),
                        Map.entry("echo", "EchoExample"),
                        Map.entry("cron", "CronExample"),
                        Map.entry("backoff", "BackoffExample"),
                        Map.entry("workers", "WorkerPoolExample"),
                        Map.entry("grpc", "GrpcExample"),
                        Map.entry("systemd", "SystemdExample")),
                examples);
        Result help = run("--help");
        assertEquals(0, help.status(), help.output());
        assertTrue(help.output().contains("  app [MILLIS]"), help.output());
        assertTrue(help.output().contains("[--profile PATH]"), help.output());
        for (Map.Entry<String, String> example : examples.entrySet()) {
            assertTrue(help.output().contains("  " + example.getKey() + " "), example.getKey() + "\n" + help.output());
            Method main =
                    Class.forName("io.aiomisc.examples." + example.getValue()).getMethod("main", String[].class);
            assertTrue(Modifier.isStatic(main.getModifiers()), main::toString);
        }
        // the nodes for `nats`: aiomisc-nats's WorkerNode main, with the examples' class path
        assertTrue(Files.readString(SCRIPT).contains("  nats-node) package=io.aiomisc.nats main=WorkerNode; shift ;;"));
        assertTrue(help.output().contains("  nats-node [OPTIONS] "), help.output());
        Method node = Class.forName("io.aiomisc.nats.WorkerNode").getMethod("main", String[].class);
        assertTrue(Modifier.isStatic(node.getModifiers()), node::toString);
    }

    @Test
    void anUnknownNameFailsWithTheUsageBeforeBuilding() throws Exception {
        Result unknown = run("nosuch");
        assertEquals(2, unknown.status(), unknown.output());
        assertTrue(
                unknown.output().startsWith("bin/run-example: unknown example 'nosuch'\nUsage: bin/run-example"),
                unknown.output());
    }

    private record Result(int status, String output) {}

    private static Result run(String argument) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("bash", SCRIPT.toString(), argument)
                .redirectErrorStream(true)
                .start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "bin/run-example " + argument + " did not end");
        return new Result(process.exitValue(), output);
    }
}
