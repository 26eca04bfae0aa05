package io.aiomisc.log;

/** The ANSI escape sequences of the coloured formats (colorlog's names). */
final class Ansi {
    static final String RESET = "\u001b[0m";
    static final String BOLD = "\u001b[1m";
    static final String RED = "\u001b[31m";
    static final String GREEN = "\u001b[32m";
    static final String YELLOW = "\u001b[33m";
    static final String BLUE = "\u001b[34m";
    static final String CYAN = "\u001b[36m";
    static final String BOLD_RED = "\u001b[1;31m";
    static final String BOLD_WHITE_ON_BLACK = "\u001b[1;37;40m";
    static final String RED_ON_WHITE = "\u001b[31;47m";

    private Ansi() {}

    /** colorlog's level colours, as aiomisc sets them. */
    static String of(Severity severity) {
        return switch (severity) {
            case CRITICAL -> RED_ON_WHITE;
            case ERROR -> RED;
            case WARNING -> YELLOW;
            case INFO -> GREEN;
            case DEBUG, TRACE -> CYAN;
        };
    }
}
