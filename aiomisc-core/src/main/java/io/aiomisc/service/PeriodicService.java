package io.aiomisc.service;

import io.aiomisc.Service;
import io.aiomisc.internal.Durations;
import io.aiomisc.schedule.PeriodicCallback;
import io.aiomisc.time.TimeSource;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service that runs {@link #callback()} periodically: aiomisc's {@code PeriodicService}. The
 * first call comes {@code delay} after the start, then {@code interval} after each call finished
 * (see {@link PeriodicCallback}); stopping the service interrupts a running call and waits for it.
 *
 * <pre>{@code
 * final class CacheRefresher extends PeriodicService {
 *     CacheRefresher() { super(Duration.ofHours(1), Duration.ZERO); }
 *     protected void callback() { cache.refresh(); }
 * }
 * }</pre>
 */
public abstract class PeriodicService extends Service {
    private static final Logger log = LoggerFactory.getLogger(PeriodicService.class);

    private final Duration interval;
    private final Duration delay;
    private final TimeSource time;
    private final ReentrantLock lock = new ReentrantLock();
    /**
     * Made on first use, not in the constructor: it is named by the overridable {@link #name()}
     * and calls the subclass's {@link #callback()}, neither of which may run before the subclass
     * is constructed.
     */
    private PeriodicCallback periodic; // guarded by lock

    /**
     * A periodic service on the system clock.
     *
     * @param interval the pause between the end of a call and the next call; positive
     * @param delay    the wait from the service's start to the first call; zero or positive
     * @throws IllegalArgumentException if {@code interval} is not positive or {@code delay} is negative
     * @throws NullPointerException     if {@code interval} or {@code delay} is null
     */
    protected PeriodicService(Duration interval, Duration delay) {
        this(interval, delay, TimeSource.system());
    }

    /**
     * As {@link #PeriodicService(Duration, Duration)}, timed by {@code time}.
     *
     * @param interval the pause between the end of a call and the next call; positive
     * @param delay    the wait from the service's start to the first call; zero or positive
     * @param time     the clock the delays are slept on (a manual one in tests)
     * @throws IllegalArgumentException if {@code interval} is not positive or {@code delay} is negative
     * @throws NullPointerException     if an argument is null
     */
    protected PeriodicService(Duration interval, Duration delay, TimeSource time) {
        this.interval = Durations.requirePositive("interval", interval);
        this.delay = Durations.requireNonNegative("delay", delay);
        this.time = Objects.requireNonNull(time, "time");
    }

    /**
     * The periodic work, on a task of the entrypoint; calls never overlap. Stopping the service
     * interrupts a running call.
     *
     * @throws Exception any failure: logged and counted; the next call still comes
     */
    protected abstract void callback() throws Exception;

    @Override
    public void start() {
        periodic().start(interval, delay);
        log.info("Periodic service {} started", this);
    }

    @Override
    public void stop(Throwable exception) throws InterruptedException {
        periodic().stop();
        log.info("Periodic service {} is stopped", this);
    }

    /**
     * The pause between the end of a call and the next call.
     *
     * @return the interval given at construction; positive
     */
    public Duration interval() {
        return interval;
    }

    /**
     * The wait from the service's start to the first call.
     *
     * @return the delay given at construction; zero or positive
     */
    public Duration delay() {
        return delay;
    }

    /**
     * The periodic callback behind this service (its statistic counts the calls), named after
     * {@link #name()}; made on the first call of this method, {@link #start()} or {@link #stop}.
     * Thread-safe: every call returns the same instance.
     *
     * @return the periodic callback
     */
    public PeriodicCallback periodic() {
        lock.lock();
        try {
            if (periodic != null) {
                return periodic;
            }
        } finally {
            lock.unlock();
        }
        String name = name(); // user code: outside the lock
        lock.lock();
        try {
            if (periodic == null) {
                periodic = new PeriodicCallback(this::callback, name, time);
            }
            return periodic;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return name() + "(interval=" + interval + ",delay=" + delay + ")";
    }
}
