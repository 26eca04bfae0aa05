package io.aiomisc.io;

import java.nio.file.OpenOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A Python {@code open()} mode: exactly one of {@code r w a x}, optionally {@code b} or {@code t},
 * optionally {@code +}, each at most once, in any order.
 */
record Mode(String text, char kind, boolean binary, boolean plus) {
    static Mode parse(String mode) {
        char kind = 0;
        boolean binary = false;
        boolean textual = false;
        boolean plus = false;
        for (int i = 0; i < mode.length(); i++) {
            char c = mode.charAt(i);
            switch (c) {
                case 'r', 'w', 'a', 'x' -> {
                    if (kind != 0) {
                        throw invalid(mode, "more than one of r, w, a, x");
                    }
                    kind = c;
                }
                case 'b' -> {
                    if (binary || textual) {
                        throw invalid(mode, "b and t at most once, not both");
                    }
                    binary = true;
                }
                case 't' -> {
                    if (binary || textual) {
                        throw invalid(mode, "b and t at most once, not both");
                    }
                    textual = true;
                }
                case '+' -> {
                    if (plus) {
                        throw invalid(mode, "+ at most once");
                    }
                    plus = true;
                }
                default -> throw invalid(mode, "unknown character '" + c + "'");
            }
        }
        if (kind == 0) {
            throw invalid(mode, "one of r, w, a, x is required");
        }
        return new Mode(mode, kind, binary, plus);
    }

    private static IllegalArgumentException invalid(String mode, String why) {
        return new IllegalArgumentException("invalid mode '" + mode + "': " + why
                + " (Python's modes: r, w, a or x, then b or t, then + for reading and writing)");
    }

    boolean readable() {
        return kind == 'r' || plus;
    }

    boolean writable() {
        return kind != 'r' || plus;
    }

    boolean append() {
        return kind == 'a';
    }

    /** The options to open the file with for this mode. */
    Set<OpenOption> options() {
        Set<OpenOption> options = new LinkedHashSet<>();
        if (readable()) {
            options.add(StandardOpenOption.READ);
        }
        if (writable()) {
            options.add(StandardOpenOption.WRITE);
        }
        switch (kind) {
            case 'w' -> {
                options.add(StandardOpenOption.CREATE);
                options.add(StandardOpenOption.TRUNCATE_EXISTING);
            }
            case 'a' -> options.add(StandardOpenOption.CREATE);
            case 'x' -> options.add(StandardOpenOption.CREATE_NEW);
            default -> {}
        }
        return options;
    }
}
