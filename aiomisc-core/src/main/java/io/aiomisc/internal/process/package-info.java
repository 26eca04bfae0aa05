/**
 * The machinery behind {@code WorkerPool}, {@code ProcessPoolExecutor} and {@code ProcessService}:
 * starting child JVMs, the authenticated, length-prefixed frame protocol between parent and child,
 * the deserialization filter, and the child's {@code main}. Not exported and not part of the API.
 *
 * <p>Wire format: every frame is a 4-byte big-endian length {@code n}, then {@code n} bytes: a type
 * byte and the body. Control frames carry plain binary fields; only task, result, exception and
 * set-up payloads are Java-serialized, and each is read through {@link SerialFilter}. Nothing is
 * deserialized before both sides have proved that they know the pool's cookie.
 */
package io.aiomisc.internal.process;
