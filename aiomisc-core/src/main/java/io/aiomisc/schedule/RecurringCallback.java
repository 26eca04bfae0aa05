package io.aiomisc.schedule;

import io.aiomisc.internal.Interruptions;
import io.aiomisc.internal.TaskLauncher;
import io.aiomisc.stats.RecurringCallbackStatistic;
import io.aiomisc.task.Task;
import io.aiomisc.task.Tasks;
import io.aiomisc.time.TimeSource;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls a callback again and again, waiting between calls as a {@link Strategy} says: aiomisc's
 * {@code RecurringCallback}.
 *
 * <pre>{@code
 * RecurringCallback recurring = new RecurringCallback(() -> poll());
 * recurring.start(() -> firstCall.getAndSet(false) ? Duration.ofSeconds(5) : Duration.ofSeconds(10));
 * ...
 * recurring.stop();
 * }</pre>
 *
 * <p>One thread (a task of the current entrypoint, or a detached virtual thread) asks the strategy
 * for a delay, sleeps for it, calls the callback and waits for it to finish, then asks again:
 * calls never overlap (fixed delay, counted from the end of the previous call). A callback that
 * throws is logged (unless its exception is one of the suppressed ones) and counted in
 * {@code fail}; it never stops the recurrence. {@link #stop()} interrupts the thread — a running
 * callback is interrupted — and waits for it. A stopped callback may be started again.
 *
 * <p>Thread-safe.
 */
public class RecurringCallback {
    private static final Logger log = LoggerFactory.getLogger(RecurringCallback.class);

    private final Callable<?> callback;
    private final String name;
    private final TimeSource time;
    private final RecurringCallbackStatistic statistic;
    private final ReentrantLock lock = new ReentrantLock();
    private Task<Void> runner; // guarded by lock
    private volatile boolean stopping;

    /**
     * A recurring callback named after {@code callback} (its {@code toString()}), on the system clock.
     *
     * @param callback called at each tick; its value is ignored
     * @throws NullPointerException if {@code callback} is null
     */
    public RecurringCallback(Callable<?> callback) {
        this(callback, null, TimeSource.system());
    }

    /**
     * A recurring callback of a void {@code callback}, named after it (its {@code toString()}), on
     * the system clock.
     *
     * @param callback called at each tick
     * @throws NullPointerException if {@code callback} is null
     */
    public RecurringCallback(Callback callback) {
        this(callable(callback), null, TimeSource.system());
    }

    /**
     * As {@link #RecurringCallback(Callable, String, TimeSource)} for a void {@code callback}.
     *
     * @param callback called at each tick
     * @param name     the name in logs and statistics; null for the callback's {@code toString()}
     * @param time     where time comes from
     * @throws NullPointerException if {@code callback} or {@code time} is null
     */
    public RecurringCallback(Callback callback, String name, TimeSource time) {
        this(callable(callback), name, time);
    }

    /**
     * A recurring callback with a name and a time source. The name is fixed here: the statistic
     * is registered under it.
     *
     * @param callback called at each tick; its value is ignored
     * @param name     the name in logs and statistics; null for the callback's {@code toString()}
     * @param time     where time comes from: the strategy's delays are slept on it
     * @throws NullPointerException if {@code callback} or {@code time} is null
     */
    public RecurringCallback(Callable<?> callback, String name, TimeSource time) {
        this.callback = Objects.requireNonNull(callback, "callback");
        this.name = name != null ? name : callback.toString();
        this.time = Objects.requireNonNull(time, "time");
        this.statistic = new RecurringCallbackStatistic(this.name);
    }

    /**
     * Starts calling, as {@code strategy} says, on a new thread: a task of the current entrypoint
     * (cancelled when it closes), or a detached virtual thread outside one. Never blocks.
     *
     * @param strategy           decides each delay, or skips, or stops
     * @param suppressExceptions callback failures counted but not logged
     * @return the runner task; it ends when the strategy stops the recurrence or {@link #stop()}
     * @throws IllegalStateException if already running
     * @throws NullPointerException  if {@code strategy}, {@code suppressExceptions} or one of its
     *                               elements is null
     */
    @SafeVarargs
    public final Task<Void> start(Strategy strategy, Class<? extends Throwable>... suppressExceptions) {
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(suppressExceptions, "suppressExceptions");
        // copied element by element: handing the generic varargs array on is what -Xlint:varargs flags
        List<Class<? extends Throwable>> copy = new java.util.ArrayList<>(suppressExceptions.length);
        for (Class<? extends Throwable> type : suppressExceptions) {
            copy.add(Objects.requireNonNull(type, "suppressExceptions"));
        }
        List<Class<? extends Throwable>> suppressed = List.copyOf(copy);
        lock.lock();
        try {
            if (runner != null && !runner.isDone()) {
                throw new IllegalStateException(this + " is already running");
            }
            stopping = false;
            Task<Void> task = TaskLauncher.start(() -> {
                run(strategy, suppressed);
                return null;
            });
            runner = task;
            return task;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops the recurrence: interrupts the runner (and a running callback) and waits for it to
     * end. Idempotent; does nothing if not running.
     *
     * <p><b>Blocks</b> without a time limit, until the runner's thread (and so a running
     * callback) has exited. <b>Interrupt:</b> ends the wait with {@link InterruptedException}, the
     * interrupt status clear; the runner stays cancelled.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    public void stop() throws InterruptedException {
        Task<Void> current;
        lock.lock();
        try {
            current = runner;
            stopping = true;
        } finally {
            lock.unlock();
        }
        if (current != null) {
            Tasks.cancelTasks(current);
        }
    }

    /**
     * Whether the recurrence runs.
     *
     * @return true from {@code start} until the runner ends (stopped, or the strategy stopped it)
     */
    public boolean isRunning() {
        lock.lock();
        try {
            return runner != null && !runner.isDone();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The name in logs and statistics.
     *
     * @return the name given at construction, or the callback's {@code toString()}
     */
    public String name() {
        return name;
    }

    /**
     * This callback's counters: calls, done, failed, skipped ticks, time spent.
     *
     * @return the statistic, the same instance on every call
     */
    public RecurringCallbackStatistic statistic() {
        return statistic;
    }

    /**
     * Where this callback's time comes from, for subclasses' strategies.
     *
     * @return the time source given at construction
     */
    protected TimeSource time() {
        return time;
    }

    /** {@code callback} as a {@code Callable} that prints as {@code callback} (the default name). */
    static Callable<Void> callable(Callback callback) {
        Objects.requireNonNull(callback, "callback");
        return new Callable<>() {
            @Override
            public Void call() throws Exception {
                callback.call();
                return null;
            }

            @Override
            public String toString() {
                return callback.toString();
            }
        };
    }

    private void run(Strategy strategy, List<Class<? extends Throwable>> suppressed) throws InterruptedException {
        while (!Thread.currentThread().isInterrupted()) {
            Duration delay;
            try {
                delay = strategy.next();
            } catch (StrategySkip skip) {
                time.sleep(skip.delay());
                continue;
            } catch (StrategyStop stop) {
                return;
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                log.error("Strategy of {} failed; stopping", this, e);
                return;
            }
            if (delay == null) {
                log.warn("Strategy of {} returned no delay; stopping", this);
                return;
            }
            if (delay.isNegative()) {
                log.warn("Strategy of {} returned a negative delay {}; zero delay will be used", this, delay);
                delay = Duration.ZERO;
            }
            time.sleep(delay);
            call(suppressed);
        }
    }

    private void call(List<Class<? extends Throwable>> suppressed) throws InterruptedException {
        statistic.callCount.increment();
        long started = time.nanoTime();
        try {
            callback.call();
            statistic.done.increment();
        } catch (Throwable failure) {
            if (stopping && Interruptions.isCancellation(failure)) {
                throw new InterruptedException("stopped");
            }
            statistic.fail.increment();
            if (suppressed.stream().noneMatch(type -> type.isInstance(failure))) {
                if (failure instanceof CancellationException) {
                    log.warn("Recurring callback {} was cancelled; the recurrence goes on", this);
                } else {
                    log.error("Recurring task error in {}:", this, failure);
                }
            }
            if (failure instanceof InterruptedException) {
                Thread.interrupted(); // the callback's own interruption, not a stop
            }
        } finally {
            statistic.sumTime.addNanos(time.nanoTime() - started);
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(" + name + ")";
    }
}
