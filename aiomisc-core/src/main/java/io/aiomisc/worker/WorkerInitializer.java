package io.aiomisc.worker;

import java.io.Serializable;

/**
 * Code run once in each worker JVM before its first task (and again in a worker that replaces a
 * dead one): warming caches, loading a model, opening a per-process resource. It must be
 * serializable, like a {@link WorkerTask}. If it throws, every pending task fails with an exception
 * caused by it and the pool closes (aiomisc's {@code BAD_INITIALIZER}).
 */
@FunctionalInterface
public interface WorkerInitializer extends Serializable {
    /**
     * Initializes this worker JVM.
     *
     * @throws Exception to fail the pool
     */
    void initialize() throws Exception;
}
