package io.aiomisc.stats;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The registry of every live {@link Statistic}: aiomisc's {@code get_statistics()}.
 *
 * <pre>{@code
 * for (Metric m : Statistics.all()) {
 *     System.out.println(m.kind() + " " + m.name() + " " + m.metric() + " " + m.value());
 * }
 * // ContextStatistic null get 0
 * // ThreadPoolStatistic default submitted 3
 * }</pre>
 *
 * <p>Instances are held weakly and reported in the order they were created. Thread-safe; a
 * report is a snapshot of values read one by one, not an atomic view.
 */
public final class Statistics {
    private static final AtomicLong SEQUENCE = new AtomicLong();
    private static final ConcurrentSkipListMap<Long, Entry> INSTANCES = new ConcurrentSkipListMap<>();
    private static final ReferenceQueue<Statistic> COLLECTED = new ReferenceQueue<>();

    private Statistics() {
    }

    /** Every metric of every live statistic instance. */
    public static List<Metric> all() {
        List<Metric> result = new ArrayList<>();
        for (Statistic statistic : instances()) {
            result.addAll(statistic.metrics());
        }
        return result;
    }

    /** The metrics of live instances of {@code kinds} or their subclasses. */
    @SafeVarargs
    public static List<Metric> all(Class<? extends Statistic>... kinds) {
        Objects.requireNonNull(kinds, "kinds");
        List<Metric> result = new ArrayList<>();
        for (Statistic statistic : instances()) {
            for (Class<? extends Statistic> kind : kinds) {
                if (kind.isInstance(statistic)) {
                    result.addAll(statistic.metrics());
                    break;
                }
            }
        }
        return result;
    }

    /** The live statistic instances, oldest first. */
    public static List<Statistic> instances() {
        purge();
        List<Statistic> result = new ArrayList<>(INSTANCES.size());
        for (Entry entry : INSTANCES.values()) {
            Statistic statistic = entry.get();
            if (statistic != null) {
                result.add(statistic);
            }
        }
        return result;
    }

    static void register(Statistic statistic) {
        purge();
        long id = SEQUENCE.incrementAndGet();
        INSTANCES.put(id, new Entry(id, statistic));
    }

    private static void purge() {
        for (Object ref = COLLECTED.poll(); ref != null; ref = COLLECTED.poll()) {
            INSTANCES.remove(((Entry) ref).id);
        }
    }

    private static final class Entry extends WeakReference<Statistic> {
        final long id;

        Entry(long id, Statistic statistic) {
            super(statistic, COLLECTED);
            this.id = id;
        }
    }
}
