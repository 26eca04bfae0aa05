package io.aiomisc.service;

import io.aiomisc.Service;
import io.aiomisc.schedule.Callback;
import io.aiomisc.schedule.CronCallback;
import io.aiomisc.schedule.CronExpression;
import io.aiomisc.time.TimeSource;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service that runs callbacks on cron schedules: aiomisc's {@code CronService}. Register them
 * before the service starts; stopping the service interrupts running callbacks and waits for them.
 *
 * <pre>{@code
 * CronService cron = new CronService();
 * cron.register(() -> rotateLogs(), "0 * * * *");                              // hourly, UTC
 * cron.register(() -> sendReport(), "0 9 * * MON-FRI", ZoneId.of("Europe/Berlin"));
 * }</pre>
 */
public class CronService extends Service {
    private static final Logger log = LoggerFactory.getLogger(CronService.class);

    private record Registration(CronCallback callback, CronExpression expression, ZoneId zone) {}

    private final TimeSource time;
    private final ReentrantLock lock = new ReentrantLock();
    private final List<Registration> registrations = new ArrayList<>(); // guarded by lock
    private boolean started; // guarded by lock

    /** A cron service on the system clock, without callbacks yet. */
    public CronService() {
        this(TimeSource.system());
    }

    /**
     * A cron service whose callbacks are timed by {@code time}.
     *
     * @param time the clock the callbacks' schedules read (a manual one in tests)
     * @throws NullPointerException if {@code time} is null
     */
    public CronService(TimeSource time) {
        this.time = Objects.requireNonNull(time, "time");
    }

    /**
     * Registers {@code callback} on {@code spec} in UTC.
     *
     * @param callback called at each fire time, on a task of the entrypoint; its value is ignored
     * @param spec     a cron spec in {@link CronExpression}'s syntax
     * @return the cron callback, named {@code spec + " " + callback} (its statistic counts the calls)
     * @throws NullPointerException     if {@code callback} or {@code spec} is null
     * @throws IllegalArgumentException if {@code spec} is invalid
     * @throws IllegalStateException    if the service has started
     */
    public CronCallback register(Callable<?> callback, String spec) {
        return register(callback, spec, ZoneOffset.UTC);
    }

    /**
     * As {@link #register(Callable, String)} for a void {@code callback}.
     *
     * @param callback called at each fire time, on a task of the entrypoint
     * @param spec     a cron spec in {@link CronExpression}'s syntax
     * @return the cron callback (its statistic counts the calls)
     * @throws NullPointerException     if {@code callback} or {@code spec} is null
     * @throws IllegalArgumentException if {@code spec} is invalid
     * @throws IllegalStateException    if the service has started
     */
    public CronCallback register(Callback callback, String spec) {
        return register(callback, spec, ZoneOffset.UTC);
    }

    /**
     * As {@link #register(Callable, String, ZoneId)} for a void {@code callback}.
     *
     * @param callback called at each fire time, on a task of the entrypoint
     * @param spec     a cron spec in {@link CronExpression}'s syntax
     * @param zone     the zone whose wall clock the spec reads
     * @return the cron callback (its statistic counts the calls)
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if {@code spec} is invalid
     * @throws IllegalStateException    if the service has started
     */
    public CronCallback register(Callback callback, String spec, ZoneId zone) {
        Objects.requireNonNull(callback, "callback");
        CronExpression expression = CronExpression.parse(spec);
        Objects.requireNonNull(zone, "zone");
        return add(new CronCallback(callback, spec + " " + callback, time), expression, zone);
    }

    /**
     * Registers {@code callback} on {@code spec} in {@code zone}. Never blocks; the callback starts
     * with the service.
     *
     * @param callback called at each fire time, on a task of the entrypoint; its value is ignored
     * @param spec     a cron spec in {@link CronExpression}'s syntax
     * @param zone     the zone whose wall clock the spec reads
     * @return the cron callback, named {@code spec + " " + callback} (its statistic counts the calls)
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if {@code spec} is invalid
     * @throws IllegalStateException    if the service has started
     */
    public CronCallback register(Callable<?> callback, String spec, ZoneId zone) {
        Objects.requireNonNull(callback, "callback");
        CronExpression expression = CronExpression.parse(spec);
        Objects.requireNonNull(zone, "zone");
        return add(new CronCallback(callback, spec + " " + callback, time), expression, zone);
    }

    private CronCallback add(CronCallback cron, CronExpression expression, ZoneId zone) {
        String name = name(); // user code: never under the lock
        lock.lock();
        try {
            if (started) {
                throw new IllegalStateException("register callbacks before " + name + " starts");
            }
            registrations.add(new Registration(cron, expression, zone));
        } finally {
            lock.unlock();
        }
        return cron;
    }

    @Override
    public void start() throws Exception {
        lock.lock();
        try {
            started = true;
        } finally {
            lock.unlock();
        }
        for (Registration registration : registrations()) {
            registration.callback().start(registration.expression(), registration.zone());
        }
        log.info("Cron service {} started", name());
    }

    /**
     * Stops the callbacks one after another, each interrupting a running call and waiting for it.
     * Afterwards callbacks may be registered again.
     *
     * <p><b>Blocks</b> without a time limit until every running call has exited. <b>Interrupt:</b>
     * ends the wait with {@link InterruptedException}, the interrupt status clear; the callbacks
     * not stopped yet keep running until the entrypoint cancels its tasks at close. (The
     * entrypoint itself never interrupts a stop.)
     *
     * @param exception what ended the run, or null; not used here
     * @throws InterruptedException if interrupted while waiting
     */
    @Override
    public void stop(Throwable exception) throws InterruptedException {
        for (Registration registration : registrations()) {
            registration.callback().stop();
        }
        lock.lock();
        try {
            started = false;
        } finally {
            lock.unlock();
        }
        log.info("Cron service {} is stopped", name());
    }

    private List<Registration> registrations() {
        lock.lock();
        try {
            return List.copyOf(registrations);
        } finally {
            lock.unlock();
        }
    }
}
