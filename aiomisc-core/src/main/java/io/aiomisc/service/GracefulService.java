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
     * @param gracefulWaitTimeout how long stop waits for {@code cancel = false} tasks; null for no limit
     * @param cancelOnTimeout     whether tasks still running after that are cancelled
     * @throws IllegalArgumentException if {@code gracefulWaitTimeout} is negative
     */
    protected GracefulService(Duration gracefulWaitTimeout, boolean cancelOnTimeout) {
        this(gracefulWaitTimeout, cancelOnTimeout, TimeSource.system());
    }

    /** As {@link #GracefulService(Duration, boolean)}, the wait timed by {@code time}. */
    protected GracefulService(Duration gracefulWaitTimeout, boolean cancelOnTimeout, TimeSource time) {
        this.gracefulWaitTimeout = gracefulWaitTimeout == null
                ? null
                : Durations.requireNonNegative("gracefulWaitTimeout", gracefulWaitTimeout);
        this.cancelOnTimeout = cancelOnTimeout;
        this.time = Objects.requireNonNull(time, "time");
    }

    /**
     * Starts {@code work} as a task of this service's entrypoint, to be cancelled ({@code cancel}) or
     * awaited when the service stops.
     *
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

    /** As {@code createGracefulTask(work, false)}: awaited at stop. */
    protected final <T> Task<T> createGracefulTask(Callable<T> work) {
        return createGracefulTask(work, false);
    }

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

    public Duration gracefulWaitTimeout() {
        return gracefulWaitTimeout;
    }

    public boolean cancelOnTimeout() {
        return cancelOnTimeout;
    }
}
