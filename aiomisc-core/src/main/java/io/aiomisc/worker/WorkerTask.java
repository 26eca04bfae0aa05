package io.aiomisc.worker;

import java.io.Serializable;
import java.util.concurrent.Callable;

/**
 * A task for a {@link WorkerPool}: a {@link Callable} that can travel to another JVM. A lambda or
 * method reference assigned to this type is serializable by itself; what it captures must be
 * serializable too, and the classes it uses must be on the class path the workers share with this
 * JVM.
 *
 * <pre>{@code
 * Task<BigInteger> task = pool.createTask(() -> factorial(20_000));
 * }</pre>
 *
 * @param <R> the result type; the result must be serializable (or null)
 */
@FunctionalInterface
public interface WorkerTask<R> extends Callable<R>, Serializable {}
