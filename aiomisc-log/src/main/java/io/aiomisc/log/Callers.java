package io.aiomisc.log;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.util.Optional;

/**
 * The source location of a logging call ({@code code_file}, {@code code_line}, ...), found with a
 * {@link StackWalker} on the calling thread: several times cheaper than Logback's own caller data,
 * which fills in a whole {@code Throwable} stack trace.
 */
final class Callers {
    /** Fetches the logging machinery's frames (about 15 deep) and the caller's in one batch. */
    private static final StackWalker WALKER = StackWalker.getInstance(java.util.Set.of(), 24);

    private static final StackTraceElement[] NONE = new StackTraceElement[0];
    /** This module's classes on the way from a logging call to the output. */
    private static final java.util.Set<String> MACHINERY = java.util.Set.of(
            BufferedAppender.class.getName(),
            Callers.class.getName(),
            JsonEncoder.class.getName(),
            TextLayout.class.getName(),
            PlainLayout.class.getName(),
            StreamLayout.class.getName(),
            ColorLayout.class.getName(),
            RichLayout.class.getName(),
            SyslogAppender.class.getName());

    private Callers() {}

    /**
     * Records the caller on {@code event} if it has none yet. Must run on the thread that made the
     * logging call, inside that call.
     */
    static void capture(ILoggingEvent event) {
        if (!event.hasCallerData() && event instanceof LoggingEvent loggingEvent) {
            Optional<StackWalker.StackFrame> caller = WALKER.walk(frames ->
                    frames.dropWhile(frame -> isLogging(frame.getClassName())).findFirst());
            loggingEvent.setCallerData(caller.map(frame -> new StackTraceElement[] {frame.toStackTraceElement()})
                    .orElse(NONE));
        }
    }

    /**
     * The caller recorded on {@code event}, capturing it first when this is the logging thread;
     * null when unknown.
     */
    static StackTraceElement of(ILoggingEvent event) {
        if (!event.hasCallerData()) {
            if (!Thread.currentThread().getName().equals(event.getThreadName())) {
                return null; // another thread (an asynchronous appender): its stack says nothing
            }
            capture(event);
        }
        StackTraceElement[] data = event.getCallerData();
        return data == null || data.length == 0 ? null : data[0];
    }

    /** Frames of the logging machinery between the caller and the appender. */
    private static boolean isLogging(String className) {
        int nested = className.indexOf('$');
        return MACHINERY.contains(nested < 0 ? className : className.substring(0, nested))
                || className.startsWith("ch.qos.logback.")
                || className.startsWith("org.slf4j.")
                || className.startsWith("java.util.logging.")
                || className.startsWith("sun.util.logging.")
                || className.startsWith("org.apache.commons.logging.");
    }
}
