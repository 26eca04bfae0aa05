package io.aiomisc.internal;

import io.aiomisc.Entrypoint;
import java.util.concurrent.Callable;

/**
 * What other aiomisc packages may do with an entrypoint beyond its public API (the JDK's
 * "shared secrets" pattern): the entrypoint installs the implementation when its class is
 * initialized.
 */
public abstract class EntrypointAccess {
    private static volatile EntrypointAccess instance;

    /** Called once, by {@link Entrypoint}'s static initializer. */
    public static void install(EntrypointAccess access) {
        instance = access;
    }

    public static EntrypointAccess get() {
        EntrypointAccess access = instance;
        if (access == null) {
            try {
                Class.forName(Entrypoint.class.getName(), true, Entrypoint.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new AssertionError(e);
            }
            access = instance;
        }
        return access;
    }

    /**
     * Starts {@code work} on a new daemon platform thread as a task of {@code entrypoint}: it is
     * cancelled, and waited for, when the entrypoint closes.
     */
    public abstract <T> RunnableTask<T> startPlatformTask(Entrypoint entrypoint, String name, Callable<T> work);
}
