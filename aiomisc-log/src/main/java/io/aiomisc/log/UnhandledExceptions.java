package io.aiomisc.log;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs exceptions no thread caught to the logger {@code unhandled}, as aiomisc's
 * {@code UnhandledPythonHook} does: installed as the JVM's default uncaught-exception handler by
 * {@link LogConfig}. Threads and thread groups with a handler of their own are not affected.
 */
final class UnhandledExceptions implements Thread.UncaughtExceptionHandler {
    static final String LOGGER = "unhandled";

    private static final Logger log = LoggerFactory.getLogger(LOGGER);

    private UnhandledExceptions() {}

    /** Makes this the default handler (once; again after someone replaced it). */
    static void install() {
        if (!(Thread.getDefaultUncaughtExceptionHandler() instanceof UnhandledExceptions)) {
            Thread.setDefaultUncaughtExceptionHandler(new UnhandledExceptions());
        }
    }

    @Override
    public void uncaughtException(Thread thread, Throwable exception) {
        log.error("Unhandled exception in thread \"{}\"", thread.getName(), exception);
    }
}
