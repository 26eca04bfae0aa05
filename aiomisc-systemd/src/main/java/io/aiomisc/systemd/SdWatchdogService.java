package io.aiomisc.systemd;

import io.aiomisc.Service;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps systemd's watchdog fed: aiomisc's {@code SDWatchdogService}. While the service runs it sends
 * {@code WATCHDOG=1} to {@code NOTIFY_SOCKET} every {@code interval / 2}, the first at once. A unit
 * with {@code WatchdogSec=} then knows the process is alive; one that hangs is restarted.
 *
 * <pre>{@code
 * // [Service] Type=notify  WatchdogSec=10  (systemd exports NOTIFY_SOCKET and WATCHDOG_USEC)
 * try (Entrypoint entrypoint = Entrypoint.builder().services(new SdWatchdogService(), myServer).start()) {
 *     entrypoint.runForever(); // until systemd's SIGTERM
 * }
 * }</pre>
 *
 * <p>The interval is {@code WATCHDOG_USEC} (what {@code WatchdogSec=} becomes), or the one given to
 * {@link #SdWatchdogService(Duration)}; a given interval that differs from {@code WATCHDOG_USEC}
 * (or given without it) is first announced to systemd with {@code WATCHDOG_USEC=<micros>}, which
 * changes the unit's watchdog timeout. With the {@code systemd_watchdog} plugin (on the class path
 * with this module) the entrypoint also reports {@code STATUS=...}, {@code READY=1} and
 * {@code STOPPING=1}; see {@link SystemdWatchdogPlugin}.
 *
 * <p>Without {@code NOTIFY_SOCKET}, or without an interval, the service starts and does nothing.
 * A malformed {@code NOTIFY_SOCKET} or {@code WATCHDOG_USEC} is logged as a warning naming the
 * variable and its value, and the service does nothing. When the socket goes away while it runs,
 * each outage is logged once as a warning and the pings go on at their interval (no busy loop),
 * connecting anew each time, so a socket re-created at the same address receives them again (an
 * info message says so); the service never fails for it.
 *
 * <p>The variables are read at construction. Thread-safety: the entrypoint calls {@code start}
 * and {@code stop}; {@link #interval()} may be called from any thread.
 */
public class SdWatchdogService extends Service {
    /** The environment variable with the watchdog timeout in microseconds. */
    public static final String WATCHDOG_USEC = "WATCHDOG_USEC";

    private static final Logger log = LoggerFactory.getLogger(SdWatchdogService.class);

    private final Map<String, String> environment;
    private final Duration interval; // null: no pings
    private final boolean announce;

    /** A watchdog with the interval systemd exports in {@code WATCHDOG_USEC}; none → no pings. */
    public SdWatchdogService() {
        this(System.getenv(), null);
    }

    /**
     * A watchdog pinging every {@code interval / 2}, announced to systemd first when it differs
     * from {@code WATCHDOG_USEC}.
     *
     * @param interval the watchdog timeout; positive, at least 2 µs
     * @throws IllegalArgumentException naming the value if it is not positive or below 2 µs
     * @throws NullPointerException     if {@code interval} is null
     */
    public SdWatchdogService(Duration interval) {
        this(System.getenv(), requireInterval(interval));
    }

    /** For tests: the variables from {@code environment}; {@code interval} null → from it. */
    SdWatchdogService(Map<String, String> environment, Duration interval) {
        this.environment = Map.copyOf(environment);
        Duration exported = exportedInterval(this.environment);
        this.interval = interval != null ? interval : exported;
        this.announce = interval != null && !interval.equals(exported);
    }

    private static Duration requireInterval(Duration interval) {
        Objects.requireNonNull(interval, "interval");
        if (interval.isNegative() || interval.compareTo(Duration.ofNanos(2000)) < 0) {
            throw new IllegalArgumentException("interval must be at least 2 µs: " + interval);
        }
        return interval;
    }

    /** {@code WATCHDOG_USEC} as a duration; null, with a warning when malformed, if unusable. */
    private static Duration exportedInterval(Map<String, String> environment) {
        String value = environment.get(WATCHDOG_USEC);
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            long micros = Long.parseLong(value.trim());
            if (micros > 0) {
                return Duration.ofNanos(Math.multiplyExact(micros, 1000L));
            }
        } catch (NumberFormatException | ArithmeticException e) {
            // falls through to the warning
        }
        log.warn("{}={}: not a positive number of microseconds; the watchdog will not ping", WATCHDOG_USEC, value);
        return null;
    }

    /**
     * The watchdog timeout: pings go out every half of it.
     *
     * @return the interval, or empty when there is none (no pings)
     */
    public Optional<Duration> interval() {
        return Optional.ofNullable(interval);
    }

    /**
     * Connects to {@code NOTIFY_SOCKET}, announces a changed interval, sends the first ping, tells
     * the entrypoint the service has started, and goes on pinging every {@code interval / 2} on
     * this thread until the entrypoint interrupts it after {@link #stop}. Without a socket or an
     * interval it returns at once.
     *
     * @throws InterruptedException never thrown out: an interrupt ends the pings and the method
     *                              returns normally
     */
    @Override
    public void start() throws InterruptedException {
        if (interval == null) {
            log.debug("{}: no watchdog interval ({} not set): no pings", name(), WATCHDOG_USEC);
            return;
        }
        Optional<SdNotify> connection = SdNotify.fromEnvironment(environment);
        if (connection.isEmpty()) {
            log.debug("{}: {} not exported: no pings", name(), SdNotify.NOTIFY_SOCKET);
            return;
        }
        Pinger pinger = new Pinger(connection.get());
        try {
            if (announce) {
                pinger.send(WATCHDOG_USEC + "=" + micros(interval));
            }
            pinger.send("WATCHDOG=1");
            ready();
            long period = Math.max(1, interval.toNanos() / 2);
            long next = System.nanoTime() + period;
            while (!Thread.currentThread().isInterrupted()) {
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    try {
                        java.util.concurrent.TimeUnit.NANOSECONDS.sleep(wait);
                    } catch (InterruptedException e) {
                        return; // the entrypoint stops us
                    }
                }
                pinger.send("WATCHDOG=1");
                next += period;
                if (next - System.nanoTime() < 0) {
                    next = System.nanoTime() + period; // fell behind (a stalled machine): no burst
                }
            }
        } finally {
            pinger.close();
        }
    }

    private static long micros(Duration duration) {
        return duration.toNanos() / 1000;
    }

    @Override
    public String toString() {
        return name() + "[interval=" + (interval == null ? "none" : interval) + "]";
    }

    /**
     * Sends, logging each outage of the socket once and its end. Reconnecting to a socket
     * re-created at the same address (systemd restarted) is {@link SdNotify#send}'s. Used by the
     * service's start thread only.
     */
    private final class Pinger {
        private final SdNotify notify;
        private boolean failing;

        Pinger(SdNotify notify) {
            this.notify = notify;
        }

        void send(String line) {
            try {
                notify.send(line);
                if (failing) {
                    failing = false;
                    log.info("{}: the notify socket {} answers again", name(), notify.address());
                }
            } catch (IOException e) {
                if (!failing) {
                    failing = true;
                    log.warn("SystemD notify socket communication problem: {}", e.getMessage());
                }
            }
        }

        void close() {
            notify.close();
        }
    }
}
