package io.aiomisc.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code choices()} and {@code defaultFormat()} in child JVMs whose standard error is a pipe, a terminal, the journal. */
class DefaultFormatTest {
    @TempDir
    Path temp;

    @Test
    void choicesAreAiomiscsNineNames() {
        assertEquals(
                List.of("stream", "color", "json", "syslog", "plain", "journald", "rich", "rich_tb", "disabled"),
                LogFormat.choices());
        for (String name : LogFormat.choices()) {
            assertEquals(
                    name, LogFormat.of(name.toUpperCase(java.util.Locale.ROOT)).toString());
        }
        assertEquals(LogFormat.RICH_TB, LogFormat.of("rich-tb"));
    }

    @Test
    void theDecisionTable() {
        assertEquals(LogFormat.COLOR, LogFormat.defaultFormat(false, true));
        assertEquals(LogFormat.PLAIN, LogFormat.defaultFormat(false, false));
        assertEquals(LogFormat.PLAIN, LogFormat.defaultFormat(true, false), "journal without its module: plain");
    }

    private List<String> command(String classPath) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(classPath);
        command.add(LoggingChild.class.getName());
        command.add("default-format");
        return command;
    }

    private static String run(ProcessBuilder builder) throws Exception {
        Process process = builder.start();
        byte[] out = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue());
        return new String(out, StandardCharsets.UTF_8);
    }

    @Test
    void plainWhenStandardErrorIsAPipe() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command(System.getProperty("java.class.path")));
        builder.redirectError(ProcessBuilder.Redirect.PIPE);
        String out = run(builder);
        assertTrue(out.contains("default=plain"), out);
        assertTrue(
                out.contains("choices=[stream, color, json, syslog, plain, journald, rich, rich_tb, disabled]"), out);
    }

    @Test
    void colorOnATerminal() throws Exception {
        Path script = Path.of("/usr/bin/script");
        assumeTrue(Files.isExecutable(script), "needs script(1) to run the child on a pseudo-terminal");
        String child = String.join(
                " ",
                command(System.getProperty("java.class.path")).stream()
                        .map(DefaultFormatTest::quote)
                        .toList());
        ProcessBuilder builder = new ProcessBuilder(script.toString(), "-qec", child, "/dev/null");
        builder.redirectInput(ProcessBuilder.Redirect.PIPE);
        String out = run(builder);
        assertTrue(out.contains("default=color"), out);
    }

    @Test
    void journaldUnderSystemdsJournalWhenTheFormatIsAvailable() throws Exception {
        Path services = temp.resolve("provider/META-INF/services");
        Files.createDirectories(services);
        Files.writeString(
                services.resolve(LogFormatProvider.class.getName()), TestJournaldProvider.class.getName() + "\n");
        String classPath =
                temp.resolve("provider") + java.io.File.pathSeparator + System.getProperty("java.class.path");
        Path stderr = temp.resolve("stderr.log");
        Files.createFile(stderr);
        String stream = Files.getAttribute(stderr, "unix:dev") + ":" + Files.getAttribute(stderr, "unix:ino");

        ProcessBuilder journal = new ProcessBuilder(command(classPath)).redirectError(stderr.toFile());
        journal.environment().put("JOURNAL_STREAM", stream);
        assertTrue(run(journal).contains("default=journald"));

        ProcessBuilder elsewhere = new ProcessBuilder(command(classPath)).redirectError(stderr.toFile());
        elsewhere.environment().put("JOURNAL_STREAM", "1:2");
        assertTrue(run(elsewhere).contains("default=plain"), "JOURNAL_STREAM names another stream");

        ProcessBuilder withoutModule =
                new ProcessBuilder(command(System.getProperty("java.class.path"))).redirectError(stderr.toFile());
        withoutModule.environment().put("JOURNAL_STREAM", stream);
        assertTrue(run(withoutModule).contains("default=plain"), "the journal, but no journald format");
    }

    private static String quote(String argument) {
        return "'" + argument.replace("'", "'\\''") + "'";
    }

    @Test
    void noTerminalDetectedHere() throws IOException {
        assertEquals(
                Files.exists(Path.of("/proc/self/fd/2"))
                        && Files.readSymbolicLink(Path.of("/proc/self/fd/2"))
                                .toString()
                                .startsWith("/dev/pts/"),
                Terminal.stderrIsTerminal());
    }
}
