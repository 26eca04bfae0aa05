package io.aiomisc.service;

import io.aiomisc.Service;
import io.aiomisc.internal.Durations;
import io.aiomisc.task.Task;
import io.aiomisc.task.Tasks;
import io.aiomisc.time.TimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service whose background tasks are finished or cancelled, as each asks, when it stops:
 * aiomisc's {@code GracefulService}.
 *
 * <pre>{@code
 * final class SwanService extends GracefulService {
 *     SwanService() { super(Duration.ofSeconds(10), false); }
 *     public void start() {
 *         createGracefulTask(this::fly, false);      // awaited at stop (up to 10 s)
 *         createGracefulTask(this::duckify, true);   // cancelled at stop
 *     }
 * }
 * }</pre>
 *
 * <p>At {@link #stop(Throwable)}: tasks created with {@code cancel = true} are cancelled and waited
 * for; tasks created with {@code cancel = false} are waited for, up to {@code gracefulWaitTimeout}
 * (no limit by default); those still running then are cancelled if {@code cancelOnTimeout}
 * (default true), or left to run (the entrypoint cancels its remaining tasks when it closes).
 * Subclasses that override {@code stop} must call {@code super.stop(exception)}.
 */
public abstract class GracefulService extends Service {
    private static final Logger log = LoggerFactory.getLogger(GracefulService.class);

    private record Graceful(Task<?> task, boolean cancel) {}

    private final Duration gracefulWaitTimeout;
    private final boolean cancelOnTimeout;
    private final TimeSource time;
    private final ReentrantLock lock = new ReentrantLock();
    private final List<Graceful> tasks = new ArrayList<>(); // guarded by lock

    /** Waits for tasks without limit; cancels on timeout (there is none). */
    protected GracefulService() {
        this(null, true, TimeSource.system());
    }

    /**
     * A graceful service on the system clock.
     *
     * @param gracefulWaitTimeout how long stop waits for {@code cancel = false} tasks; null for no limit
     * @param cancelOnTimeout     whether tasks still running after that are cancelled
     * @throws IllegalArgumentException if {@code gracefulWaitTimeout} is negative
     */
    protected GracefulService(Duration gracefulWaitTimeout, boolean cancelOnTimeout) {
        this(gracefulWaitTimeout, cancelOnTimeout, TimeSource.system());
    }

    /**
     * As {@link #GracefulService(Duration, boolean)}, the wait timed by {@code time}.
     *
     * @param gracefulWaitTimeout how long stop waits for {@code cancel = false} tasks; null for no limit
     * @param cancelOnTimeout     whether tasks still running after that are cancelled
     * @param time                the clock that times the wait (a manual one in tests)
     * @throws IllegalArgumentException if {@code gracefulWaitTimeout} is negative
     * @throws NullPointerException     if {@code time} is null
     */
    protected GracefulService(Duration gracefulWaitTimeout, boolean cancelOnTimeout, TimeSource time) {
        this.gracefulWaitTimeout = gracefulWaitTimeout == null
                ? null
                : Durations.requireNonNegative("gracefulWaitTimeout", gracefulWaitTimeout);
        this.cancelOnTimeout = cancelOnTimeout;
        this.time = Objects.requireNonNull(time, "time");
    }

    /**
     * Starts {@code work} as a task of this service's entrypoint, to be cancelled ({@code cancel}) or
     * awaited when the service stops. Never blocks.
     *
     * @param <T>    the work's result type
     * @param work   the code to run, on a virtual thread of its own
     * @param cancel true to cancel the task at stop, false to await it (up to
     *               {@code gracefulWaitTimeout})
     * @return the running task
     * @throws NullPointerException  if {@code work} is null
     * @throws IllegalStateException if the service is not running in an entrypoint
     */
    protected final <T> Task<T> createGracefulTask(Callable<T> work, boolean cancel) {
        Objects.requireNonNull(work, "work");
        Task<T> task = entrypoint().createTask(work);
        lock.lock();
        try {
            tasks.add(new Graceful(task, cancel));
        } finally {
            lock.unlock();
        }
        return task;
    }

    /**
     * As {@code createGracefulTask(work, false)}: awaited at stop.
     *
     * @param <T>  the work's result type
     * @param work the code to run, on a virtual thread of its own
     * @return the running task
     * @throws NullPointerException  if {@code work} is null
     * @throws IllegalStateException if the service is not running in an entrypoint
     */
    protected final <T> Task<T> createGracefulTask(Callable<T> work) {
        return createGracefulTask(work, false);
    }

    /**
     * Cancels the {@code cancel = true} tasks and waits for them to exit, then waits for the others
     * as the class description says. Subclasses that override it must call it.
     *
     * <p><b>Blocks</b> until the cancelled tasks have exited (no limit) and then up to
     * {@code gracefulWaitTimeout} (no limit if null). <b>Interrupt:</b> ends the wait with
     * {@link InterruptedException}, the interrupt status clear; tasks not yet handled are left to
     * the entrypoint, which cancels its remaining tasks when it closes. (The entrypoint itself
     * never interrupts a stop.)
     *
     * @param exception what ended the run, or null; not used here
     * @throws InterruptedException if interrupted while waiting
     */
    @Override
    public void stop(Throwable exception) throws Exception {
        List<Graceful> all;
        lock.lock();
        try {
            all = List.copyOf(tasks);
            tasks.clear();
        } finally {
            lock.unlock();
        }
        List<Task<?>> toCancel = new ArrayList<>();
        List<Task<?>> toAwait = new ArrayList<>();
        for (Graceful graceful : all) {
            (graceful.cancel() ? toCancel : toAwait).add(graceful.task());
        }
        Tasks.cancelTasks(toCancel);
        if (toAwait.isEmpty()) {
            return;
        }
        CompletableFuture<Void> finished = CompletableFuture.allOf(
                toAwait.stream().map(Task::toCompletableFuture).toArray(CompletableFuture[]::new));
        TimeSource.Scheduled timer =
                gracefulWaitTimeout == null ? null : time.schedule(gracefulWaitTimeout, () -> finished.complete(null));
        try {
            finished.get();
        } catch (ExecutionException | CancellationException e) {
            // allOf waits for every task; a failed or cancelled one is done all the same
        } finally {
            if (timer != null) {
                timer.cancel();
            }
        }
        List<Task<?>> late = toAwait.stream().filter(task -> !task.isDone()).toList();
        if (late.isEmpty()) {
            return;
        }
        if (cancelOnTimeout) {
            log.warn(
                    "{} graceful tasks of {} did not finish within {}; cancelling them",
                    late.size(),
                    name(),
                    gracefulWaitTimeout);
            for (Task<?> task : late) {
                task.cancel(true);
            }
        } else {
            log.warn(
                    "{} graceful tasks of {} did not finish within {}; leaving them running",
                    late.size(),
                    name(),
                    gracefulWaitTimeout);
        }
    }

    /**
     * How long stop waits for the tasks created with {@code cancel = false}.
     *
     * @return the timeout given at construction, or null for no limit (the default)
     */
    public Duration gracefulWaitTimeout() {
        return gracefulWaitTimeout;
    }

    /**
     * Whether tasks still running after {@link #gracefulWaitTimeout()} are cancelled at stop.
     *
     * @return the setting given at construction; true by default
     */
    public boolean cancelOnTimeout() {
        return cancelOnTimeout;
    }
}
