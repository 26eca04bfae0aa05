/**
 * Work in other processes: {@link io.aiomisc.worker.WorkerPool} (long-lived worker JVMs with
 * authenticated IPC, hard cancellation and crash isolation) and
 * {@link io.aiomisc.worker.ProcessPoolExecutor} (an {@link java.util.concurrent.ExecutorService} on
 * the same machinery). For a whole service in a child JVM see
 * {@link io.aiomisc.service.ProcessService}.
 */
package io.aiomisc.worker;
