/**
 * Running blocking code off the caller's thread: {@link io.aiomisc.thread.ThreadPool}, the pool
 * behind {@code threaded} and the entrypoint's {@code threadPool()}.
 */
package io.aiomisc.thread;
