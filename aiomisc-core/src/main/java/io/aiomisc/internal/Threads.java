package io.aiomisc.internal;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Creates the threads aiomisc runs code on, and counts the live ones so that tests can prove that
 * closing something leaves no thread behind.
 *
 * <p>Platform threads are created without inheriting inheritable thread locals: a pool thread
 * created lazily by one submitter must not carry that submitter's entrypoint forever. Context is
 * handed over explicitly with {@link ExecutionContext}.
 */
public final class Threads {
    /** Prefix of aiomisc's JVM-wide threads that live as long as the JVM (timer, cleaner). */
    public static final String GLOBAL_PREFIX = "aiomisc-global-";

    private static final AtomicInteger LIVE = new AtomicInteger();

    private Threads() {}

    /**
     * Returns an unstarted virtual thread named {@code name} that runs {@code body}; it inherits
     * the creating thread's inheritable thread locals (and so the current entrypoint).
     */
    public static Thread virtual(String name, Runnable body) {
        return Thread.ofVirtual().name(name).unstarted(counted(body));
    }

    /** Starts and returns a virtual thread named {@code name} that runs {@code body}. */
    public static Thread startVirtual(String name, Runnable body) {
        Thread thread = virtual(name, body);
        thread.start();
        return thread;
    }

    /**
     * Returns a factory of platform threads named {@code prefix + n} (n from 1) that do not
     * inherit inheritable thread locals.
     */
    public static ThreadFactory platformFactory(String prefix, boolean daemon) {
        ThreadFactory delegate = Thread.ofPlatform()
                .name(prefix, 1)
                .daemon(daemon)
                .inheritInheritableThreadLocals(false)
                .factory();
        return body -> delegate.newThread(counted(body));
    }

    /**
     * Returns a factory of daemon platform threads for JVM-wide services that live as long as the
     * JVM: named {@code aiomisc-global-<purpose>-n}, not counted by {@link #live()}.
     */
    public static ThreadFactory globalFactory(String purpose) {
        return Thread.ofPlatform()
                .name(GLOBAL_PREFIX + purpose + "-", 1)
                .daemon(true)
                .inheritInheritableThreadLocals(false)
                .factory();
    }

    /** Starts a platform thread named {@code name} that does not inherit inheritable thread locals. */
    public static Thread startPlatform(String name, boolean daemon, Runnable body) {
        return Thread.ofPlatform()
                .name(name)
                .daemon(daemon)
                .inheritInheritableThreadLocals(false)
                .start(counted(body));
    }

    /** Number of threads created here whose body is still running, JVM-wide threads excepted. */
    public static int live() {
        return LIVE.get();
    }

    private static Runnable counted(Runnable body) {
        return () -> {
            LIVE.incrementAndGet();
            try {
                body.run();
            } finally {
                LIVE.decrementAndGet();
            }
        };
    }
}
