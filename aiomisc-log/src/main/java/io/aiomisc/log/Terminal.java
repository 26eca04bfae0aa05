package io.aiomisc.log;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * What the process's standard error is connected to: a terminal, systemd's journal, or something
 * else (a pipe, a file). Decides {@link LogFormat#defaultFormat()} and whether colours are used.
 *
 * <p>On Linux the answer comes from {@code /proc/self/fd/2}: a terminal is a {@code /dev/pts/*} or
 * {@code /dev/tty*} device; the journal is the stream whose device and inode systemd put in
 * {@code JOURNAL_STREAM} ({@code "dev:inode"}). Elsewhere a terminal is assumed when the JVM has an
 * interactive console, and the journal is never detected.
 */
final class Terminal {
    private static final Path STDERR = Path.of("/proc/self/fd/2");

    private Terminal() {}

    /** True if standard error is a terminal. */
    static boolean stderrIsTerminal() {
        if (Files.exists(STDERR)) {
            try {
                String target = Files.readSymbolicLink(STDERR).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
            } catch (IOException | UnsupportedOperationException e) {
                return false;
            }
        }
        return consoleIsTerminal();
    }

    /** True if {@code env}'s {@code JOURNAL_STREAM} names the stream standard error is connected to. */
    static boolean stderrIsJournal(Map<String, String> env) {
        String journal = env.get("JOURNAL_STREAM");
        if (journal == null || journal.isBlank() || !Files.exists(STDERR)) {
            return false;
        }
        try {
            Map<String, Object> attributes = Files.readAttributes(STDERR, "unix:dev,ino");
            long device = ((Number) attributes.get("dev")).longValue();
            long inode = ((Number) attributes.get("ino")).longValue();
            return journal.trim().equals(device + ":" + inode);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean consoleIsTerminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try { // JDK 22+: the console may exist without a terminal
            Method isTerminal = java.io.Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // JDK 21: a console means a terminal
        }
    }
}
