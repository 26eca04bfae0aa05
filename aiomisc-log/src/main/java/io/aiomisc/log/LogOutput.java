package io.aiomisc.log;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;

/**
 * The buffered stream a stream appender of this module writes to: never closes its target (standard
 * error, standard output or a caller's stream; closing flushes instead), and tells a dead target.
 * A {@link PrintStream} such as {@code System.err} swallows every write error (fd 2 closed, its
 * pipe's reader gone): {@link #failed()} asks it with {@link PrintStream#checkError()}, so that
 * {@link BufferedAppender} can count what is lost instead of losing it silently. Used by one writer
 * at a time (the appender's lock or its writer thread).
 */
final class LogOutput extends BufferedOutputStream {
    private final OutputStream target;
    private final String name;

    /** @param name what the target is, for messages: {@code "standard error"}, ... */
    LogOutput(OutputStream target, String name, int size) {
        super(target, size);
        this.target = target;
        this.name = name;
    }

    /** What the target is, for messages. */
    String name() {
        return name;
    }

    /**
     * True once a write to a {@link PrintStream} target has failed (it never recovers: a
     * {@code PrintStream}'s error flag stays set). Flushes the target. Always false for other
     * targets, whose failures are thrown.
     */
    boolean failed() {
        return target instanceof PrintStream print && print.checkError();
    }

    /**
     * Where to say that the target is dead or blocked: the other standard stream, or standard error
     * for a caller's stream; null if that is the target itself.
     */
    PrintStream fallback() {
        PrintStream other = target == System.err ? System.out : System.err;
        return other == target ? null : other;
    }

    /** Flushes; the target stays open (standard error outlives any logging configuration). */
    @Override
    public void close() throws IOException {
        flush();
    }
}
