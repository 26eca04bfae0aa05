package io.aiomisc.metrics;

import io.aiomisc.stats.MetricSource;
import io.aiomisc.stats.Statistics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every {@link Statistics} metric as a Micrometer meter: the bridge from aiomisc's counters to
 * whatever registry the program exports (Prometheus, Graphite, OTLP, ...).
 *
 * <pre>{@code
 * MeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
 * new StatisticsMeterBinder().bindTo(registry);
 * // aiomisc.ThreadPoolStatistic.submitted{name="default"} 42
 * }</pre>
 *
 * <p><b>Meters.</b> Each metric is a {@link Gauge} named {@code aiomisc.<kind>.<metric>} with the
 * single tag {@code name} (the statistic's name; {@value #NO_NAME} for a statistic without one),
 * e.g. {@code aiomisc.ThreadPoolStatistic.submitted} tagged {@code name=default}. Live statistics
 * of the same kind and name are summed into one meter. Gauges, not counters, because some of
 * aiomisc's counters go down (a pool's {@code threads}); time counters are in seconds.
 *
 * <p><b>Freshness.</b> A meter reads its statistics when the registry reads it (a scrape, a
 * publication step): values are never cached. Statistics created after {@link #bindTo} get their
 * meters within {@link #REFRESH_INTERVAL} (1 s), from a virtual thread the binder runs while it is
 * bound; a statistic that is garbage collected stops counting at once, and a meter left with no
 * live statistic is removed from the registry at the next refresh. {@link #close()} ends the
 * refreshes and removes the meters; so does the binder becoming unreachable.
 *
 * <p>Thread-safe: bind to any number of registries, from any thread.
 */
public final class StatisticsMeterBinder implements MeterBinder, AutoCloseable {
    /** How often the binder looks for new statistics: 1 s. */
    public static final Duration REFRESH_INTERVAL = Duration.ofSeconds(1);
    /** The {@code name} tag of a statistic made without a name: {@value}. */
    public static final String NO_NAME = "none";

    private static final Logger log = LoggerFactory.getLogger(StatisticsMeterBinder.class);

    private final ReentrantLock lock = new ReentrantLock();
    private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();
    private final Map<Key, Group> groups = new HashMap<>(); // guarded by lock
    private long generation = Long.MIN_VALUE; // guarded by lock
    private Thread refresher; // guarded by lock
    private boolean closed; // guarded by lock

    /** A binder bound to no registry yet. */
    public StatisticsMeterBinder() {}

    /**
     * Registers a meter for every current statistic metric in {@code registry}, and keeps adding
     * the meters of new statistics while bound. Binding the same registry twice does nothing more.
     * Does not block beyond reading the statistics.
     *
     * @param registry where the meters go
     * @throws NullPointerException  if {@code registry} is null
     * @throws IllegalStateException if this binder was closed
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("StatisticsMeterBinder is closed");
            }
            if (registries.contains(registry)) {
                return;
            }
            registries.add(registry);
            for (Group group : groups.values()) {
                group.register(registry);
            }
            refreshLocked();
            if (refresher == null) {
                refresher = Thread.ofVirtual()
                        .name("aiomisc-metrics-binder")
                        .start(new Refresher(new WeakReference<>(this)));
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Looks for new and vanished statistics now instead of at the next periodic refresh. Cheap when
     * nothing changed. Does not block beyond reading the statistics.
     */
    public void refresh() {
        lock.lock();
        try {
            if (!closed) {
                refreshLocked();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops the refreshes and removes this binder's meters from every registry it is bound to.
     * Idempotent; does not wait for the refresher thread, which exits within a refresh interval.
     */
    @Override
    public void close() {
        Thread thread;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            for (Group group : groups.values()) {
                group.removeAll();
            }
            groups.clear();
            registries.clear();
            thread = refresher;
            refresher = null;
        } finally {
            lock.unlock();
        }
        if (thread != null) {
            thread.interrupt();
        }
    }

    private void refreshLocked() {
        long now = Statistics.generation();
        // The collector clears a statistic's reference before the reference is enqueued and the
        // generation moves: a refresh in between must still drop the collected statistic.
        if (now == generation && allLive()) {
            return;
        }
        generation = now;
        Map<Key, List<MetricSource>> current = new LinkedHashMap<>(); // meters in the statistics' order
        for (MetricSource source : Statistics.sources()) {
            Key key = new Key(source.kind(), source.name() == null ? NO_NAME : source.name(), source.metric());
            current.computeIfAbsent(key, k -> new ArrayList<>()).add(source);
        }
        groups.entrySet().removeIf(entry -> {
            if (current.containsKey(entry.getKey())) {
                return false;
            }
            entry.getValue().removeAll();
            return true;
        });
        for (Map.Entry<Key, List<MetricSource>> entry : current.entrySet()) {
            Group group = groups.get(entry.getKey());
            MetricSource[] sources = entry.getValue().toArray(new MetricSource[0]);
            if (group == null) {
                group = new Group(entry.getKey(), sources);
                groups.put(entry.getKey(), group);
                for (MeterRegistry registry : registries) {
                    group.register(registry);
                }
            } else {
                group.sources = sources;
            }
        }
    }

    private boolean allLive() {
        for (Group group : groups.values()) {
            for (MetricSource source : group.sources) {
                if (!source.live()) {
                    return false;
                }
            }
        }
        return true;
    }

    /** A meter's identity: statistics with equal keys are summed. */
    private record Key(String kind, String name, String metric) {
        String meterName() {
            return "aiomisc." + kind + "." + metric;
        }
    }

    /** The statistics behind one meter, and the meter in each registry. */
    private static final class Group {
        private final Key key;
        private final Map<MeterRegistry, Meter> meters = new HashMap<>(); // guarded by the binder's lock
        private volatile MetricSource[] sources;

        Group(Key key, MetricSource[] sources) {
            this.key = key;
            this.sources = sources;
        }

        double sum() {
            double sum = 0;
            for (MetricSource source : sources) {
                sum += source.value();
            }
            return sum;
        }

        void register(MeterRegistry registry) {
            try {
                Gauge gauge = Gauge.builder(key.meterName(), this, Group::sum)
                        .tag("name", key.name())
                        .description("aiomisc " + key.kind() + " " + key.metric())
                        .strongReference(true)
                        .register(registry);
                meters.put(registry, gauge);
            } catch (RuntimeException e) {
                // e.g. a meter of the same name with other tags registered by someone else
                log.warn("Cannot register meter {} name={}: {}", key.meterName(), key.name(), e.toString());
            }
        }

        void removeAll() {
            meters.forEach((registry, meter) -> registry.remove(meter));
            meters.clear();
        }
    }

    /** Refreshes every interval while the binder is reachable and open. */
    private record Refresher(WeakReference<StatisticsMeterBinder> binder) implements Runnable {
        @Override
        public void run() {
            while (true) {
                try {
                    Thread.sleep(REFRESH_INTERVAL);
                } catch (InterruptedException e) {
                    return;
                }
                StatisticsMeterBinder target = binder.get();
                if (target == null) {
                    return;
                }
                if (!target.refreshIfOpen()) {
                    return;
                }
            }
        }
    }

    private boolean refreshIfOpen() {
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            refreshLocked();
            return true;
        } finally {
            lock.unlock();
        }
    }
}
