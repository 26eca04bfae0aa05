package io.aiomisc.service;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * What the child JVMs of the process service tests tell the test: lines appended to a file (one
 * write per line), read back whole lines only, so that a line being written is never seen half.
 */
final class PsFiles {
    private PsFiles() {}

    /** Appends {@code line} and a newline to {@code file} in one write. */
    static void append(String file, String line) throws IOException {
        Files.writeString(
                Path.of(file),
                line + "\n",
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND,
                StandardOpenOption.WRITE);
    }

    /** Appends this JVM's pid. */
    static void appendPid(String file) throws IOException {
        append(file, Long.toString(ProcessHandle.current().pid()));
    }

    /** The complete lines of {@code file} so far; none if it does not exist yet. */
    static List<String> lines(Path file) throws IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        lines.removeLast(); // empty after the last newline, or a line still being written
        return lines;
    }

    /** The pids in {@code file}, one a line. */
    static List<Long> pids(Path file) throws IOException {
        return lines(file).stream().map(Long::parseLong).toList();
    }

    /** True if no process with {@code pid} runs (it exited and was reaped, or it is a zombie). */
    static boolean gone(long pid) {
        return ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true);
    }
}
