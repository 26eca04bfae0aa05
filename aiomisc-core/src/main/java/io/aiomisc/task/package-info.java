/**
 * Tasks and the tools around them: {@link io.aiomisc.task.Task} (a unit of work on its own virtual
 * thread, cancelled by interruption), {@link io.aiomisc.task.Timeout}, and
 * {@link io.aiomisc.task.Tasks} ({@code select}, {@code cancelTasks}, {@code shield},
 * {@code chunkList}).
 *
 * <p>Cancellation is {@link java.lang.Thread#interrupt()}: a cancelled task's code sees an
 * {@link java.lang.InterruptedException} (or a {@link java.nio.channels.ClosedByInterruptException})
 * at its next blocking call, and whoever awaits the task gets a
 * {@link java.util.concurrent.CancellationException}.
 */
package io.aiomisc.task;
