package io.aiomisc.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiomisc.Entrypoint;
import io.aiomisc.testing.JavaProcess;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PluginsTest {

    private static Map<String, Plugin> discover(Map<String, String> environment) {
        return Plugins.discover(PluginsTest.class.getClassLoader(), environment);
    }

    @Test
    void discoveryLoadsAndSetsUpGoodPluginsAndSkipsBrokenOnes() {
        Map<String, Plugin> plugins = discover(Map.of());
        assertEquals(List.of("good"), List.copyOf(plugins.keySet()));
        assertInstanceOf(GoodPlugin.class, plugins.get("good"));
        assertEquals(1, ((GoodPlugin) plugins.get("good")).setups.get());
    }

    @Test
    void nonEmptyNoPluginsVariableDisablesDiscovery() {
        assertTrue(discover(Map.of("AIOMISC_NO_PLUGINS", "1")).isEmpty());
        assertEquals(
                List.of("good"),
                List.copyOf(discover(Map.of("AIOMISC_NO_PLUGINS", "")).keySet()));
    }

    @Test
    void pluginsAreLoadedOncePerJvmAndSeeEveryEntrypointStart() throws Exception {
        Map<String, Plugin> loaded = Plugins.loaded();
        int before = GoodPlugin.STARTS_SEEN.get();
        for (int i = 0; i < 3; i++) {
            Entrypoint.builder().catchSignals(false).logConfig(false).start().close();
        }
        assertSame(loaded, Plugins.loaded());
        assertEquals(1, ((GoodPlugin) loaded.get("good")).setups.get());
        assertEquals(before + 3, GoodPlugin.STARTS_SEEN.get());
    }

    private record Output(int status, String out, String err) {}

    private static Output cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Plugins.run(
                args,
                discover(Map.of()),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Output(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void cliListsToStdoutAndLogsToStderr() {
        Output output = cli();
        assertEquals(0, output.status());
        assertEquals("good" + System.lineSeparator(), output.out());
        assertTrue(output.err().contains("Available 1 plugins."), output.err());
        assertTrue(output.err().contains("'good' - A good plugin"), output.err());
    }

    @Test
    void cliQuietPrintsOnlyTheList() {
        for (String flag : new String[] {"-q", "-s", "--quiet", "--silent"}) {
            Output output = cli(flag);
            assertEquals("good" + System.lineSeparator(), output.out(), flag);
            assertEquals("", output.err(), flag);
        }
    }

    @Test
    void cliNoOutputPrintsOnlyTheLog() {
        Output output = cli("-n");
        assertEquals("", output.out());
        assertTrue(output.err().contains("Available 1 plugins."));
    }

    @Test
    void cliLogLevelFiltersTheLog() {
        assertEquals("", cli("-l", "warning").err());
        assertTrue(cli("--log-level", "debug").err().contains("Available"));
    }

    @Test
    void cliAcceptsKnownFormatsAndRejectsBadArguments() {
        assertEquals(0, cli("-F", "json").status());
        Output badFormat = cli("-F", "xml");
        assertEquals(2, badFormat.status());
        assertTrue(badFormat.err().contains("xml"), badFormat.err());
        assertEquals(2, cli("--bogus").status());
        assertEquals(2, cli("-l").status());
        Output help = cli("-h");
        assertEquals(0, help.status());
        assertTrue(help.out().contains("usage"));
    }

    @Test
    void mainInAFreshJvmHonoursNoPlugins() throws Exception {
        try (JavaProcess child = JavaProcess.start(Plugins.class, Map.of("AIOMISC_NO_PLUGINS", "yes"))) {
            assertEquals(0, child.awaitExit(Duration.ofSeconds(30)), child::transcript);
            assertEquals(List.of(), child.stdout());
            assertTrue(child.stderr().stream().anyMatch(l -> l.contains("Available 0 plugins.")), child::transcript);
        }
        try (JavaProcess child = JavaProcess.start(Plugins.class, Map.of(), "-s")) {
            assertEquals(0, child.awaitExit(Duration.ofSeconds(30)), child::transcript);
            assertEquals(List.of("good"), child.stdout());
        }
    }
}
