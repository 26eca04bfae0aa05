package io.aiomisc.log;

import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders a record's exception in full: every frame of the exception, of each cause and of each
 * suppressed exception (Logback's default elides frames a cause shares with its parent; aiomisc,
 * like Python, prints the whole traceback).
 */
final class Traces {
    private Traces() {}

    /** Java's usual trace, with all frames; ends with a newline. */
    static void appendFull(StringBuilder out, IThrowableProxy proxy) {
        append(out, proxy, "", "");
    }

    /** {@link #appendFull} as a string. */
    static String full(IThrowableProxy proxy) {
        StringBuilder out = new StringBuilder(1024);
        appendFull(out, proxy);
        return out.toString();
    }

    private static void append(StringBuilder out, IThrowableProxy proxy, String caption, String indent) {
        out.append(indent).append(caption).append(headline(proxy)).append('\n');
        StackTraceElementProxy[] frames = proxy.getStackTraceElementProxyArray();
        if (frames != null) {
            for (StackTraceElementProxy frame : frames) {
                out.append(indent)
                        .append("\tat ")
                        .append(frame.getStackTraceElement())
                        .append('\n');
            }
        }
        IThrowableProxy[] suppressed = proxy.getSuppressed();
        if (suppressed != null) {
            for (IThrowableProxy each : suppressed) {
                append(out, each, "Suppressed: ", indent + "\t");
            }
        }
        if (proxy.getCause() != null) {
            append(out, proxy.getCause(), "Caused by: ", indent);
        }
    }

    /** {@code class: message}, or the class alone. */
    static String headline(IThrowableProxy proxy) {
        String message = proxy.getMessage();
        return message == null ? proxy.getClassName() : proxy.getClassName() + ": " + message;
    }

    /**
     * The exception chain as rich's traceback panel, most recent call last: for each exception
     * (the root cause first, as Python prints chained exceptions), a box of its frames, outermost
     * first, then its headline.
     */
    static void appendBoxed(StringBuilder out, IThrowableProxy proxy, boolean colors) {
        List<IThrowableProxy> chain = new ArrayList<>();
        for (IThrowableProxy each = proxy; each != null && !chain.contains(each); each = each.getCause()) {
            chain.add(each);
        }
        for (int i = chain.size() - 1; i >= 0; i--) {
            IThrowableProxy each = chain.get(i);
            List<String> lines = new ArrayList<>();
            StackTraceElementProxy[] frames = each.getStackTraceElementProxyArray();
            if (frames != null) {
                for (int f = frames.length - 1; f >= 0; f--) {
                    StackTraceElement frame = frames[f].getStackTraceElement();
                    String file = frame.getFileName() == null ? "Unknown Source" : frame.getFileName();
                    lines.add(file + (frame.getLineNumber() > 0 ? ":" + frame.getLineNumber() : "") + " in "
                            + frame.getClassName() + "." + frame.getMethodName());
                }
            }
            box(out, "Traceback (most recent call last)", lines, colors);
            out.append(colors ? Ansi.BOLD_RED : "")
                    .append(headline(each))
                    .append(colors ? Ansi.RESET : "")
                    .append('\n');
            IThrowableProxy[] suppressed = each.getSuppressed();
            if (suppressed != null) {
                for (IThrowableProxy s : suppressed) {
                    out.append("Suppressed: ");
                    appendFull(out, s);
                }
            }
            if (i > 0) {
                out.append('\n')
                        .append("The above exception was the direct cause of the following exception:")
                        .append("\n\n");
            }
        }
    }

    private static void box(StringBuilder out, String title, List<String> lines, boolean colors) {
        int width = title.length() + 4;
        for (String line : lines) {
            width = Math.max(width, line.length());
        }
        String edge = colors ? Ansi.RED : "";
        String reset = colors ? Ansi.RESET : "";
        int left = (width - title.length() - 2) / 2;
        int right = width - title.length() - 2 - left;
        out.append(edge)
                .append('╭')
                .append("─".repeat(left + 1))
                .append(' ')
                .append(title)
                .append(' ')
                .append("─".repeat(right + 1))
                .append('╮')
                .append(reset)
                .append('\n');
        for (String line : lines) {
            out.append(edge)
                    .append('│')
                    .append(reset)
                    .append(' ')
                    .append(line)
                    .append(" ".repeat(width - line.length()))
                    .append(' ')
                    .append(edge)
                    .append('│')
                    .append(reset)
                    .append('\n');
        }
        out.append(edge)
                .append('╰')
                .append("─".repeat(width + 2))
                .append('╯')
                .append(reset)
                .append('\n');
    }
}
