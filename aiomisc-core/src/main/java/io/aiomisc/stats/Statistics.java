package io.aiomisc.stats;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

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
    private static final ReferenceQueue<Table> COLLECTED = new ReferenceQueue<>();
    /** Moves on every registration, declaration and removal of a collected instance. */
    private static final AtomicLong GENERATION = new AtomicLong();

    private Statistics() {}

    /**
     * Every metric of every live statistic instance, oldest instance first. Never blocks.
     *
     * @return a new list of the current values
     */
    public static List<Metric> all() {
        List<Metric> result = new ArrayList<>();
        for (Table table : tables()) {
            result.addAll(table.metrics());
        }
        return result;
    }

    /**
     * The metrics of live instances of {@code kinds} or their subclasses, oldest instance first.
     *
     * @param kinds the statistic classes to report; none gives an empty list
     * @return a new list of the current values
     * @throws NullPointerException if {@code kinds} is null
     */
    @SafeVarargs
    public static List<Metric> all(Class<? extends Statistic>... kinds) {
        Objects.requireNonNull(kinds, "kinds");
        List<Metric> result = new ArrayList<>();
        for (Table table : tables()) {
            for (Class<? extends Statistic> kind : kinds) {
                if (kind.isAssignableFrom(table.type)) {
                    result.addAll(table.metrics());
                    break;
                }
            }
        }
        return result;
    }

    /**
     * A live reader of every metric of every live statistic instance, oldest instance first: for
     * exporters that read values on their own schedule (a Micrometer gauge, a scrape endpoint)
     * without taking a whole report each time. The readers hold their instances weakly. Never
     * blocks.
     *
     * @return a new list, one source per metric of each live instance
     */
    public static List<MetricSource> sources() {
        purge();
        List<MetricSource> result = new ArrayList<>();
        for (Entry entry : INSTANCES.values()) {
            Table table = entry.get();
            if (table != null) {
                for (Cell cell : table.cells) {
                    result.add(new MetricSource(cell, table.kind, table.name));
                }
            }
        }
        return result;
    }

    /**
     * A number that changes whenever the set of live metrics may have changed: a statistic was
     * created, declared a metric, or was found collected. Exporters holding {@link #sources()} call
     * it to learn, cheaply, whether to take them again. Never blocks.
     *
     * @return the current generation; equal values mean no change in between
     */
    public static long generation() {
        purge();
        return GENERATION.get();
    }

    /** The metric tables of the live statistic instances, oldest first. */
    private static List<Table> tables() {
        purge();
        List<Table> result = new ArrayList<>(INSTANCES.size());
        for (Entry entry : INSTANCES.values()) {
            Table table = entry.get();
            if (table != null) {
                result.add(table);
            }
        }
        return result;
    }

    /** Registers the metric table of a statistic under construction; the statistic keeps it alive. */
    static Table register(String name, Class<? extends Statistic> type) {
        Table table = new Table(name, type);
        purge();
        long id = SEQUENCE.incrementAndGet();
        INSTANCES.put(id, new Entry(id, table));
        GENERATION.incrementAndGet();
        return table;
    }

    /**
     * One statistic instance's name, kind and metrics, held strongly by the instance only (its
     * cells may refer back to it), weakly by the registry.
     */
    static final class Table {
        private final String name;
        private final Class<? extends Statistic> type;
        private final String kind;
        private final List<Cell> cells = new CopyOnWriteArrayList<>();

        private Table(String name, Class<? extends Statistic> type) {
            this.name = name;
            this.type = type;
            this.kind = type.getSimpleName();
        }

        String name() {
            return name;
        }

        String kind() {
            return kind;
        }

        void declare(String metric, Supplier<Number> value, DoubleSupplier asDouble) {
            Objects.requireNonNull(metric, "metric");
            for (Cell cell : cells) {
                if (cell.metric().equals(metric)) {
                    throw new IllegalArgumentException("metric declared twice in " + kind + ": " + metric);
                }
            }
            cells.add(new Cell(metric, value, asDouble));
            GENERATION.incrementAndGet();
        }

        List<Metric> metrics() {
            List<Metric> result = new ArrayList<>(cells.size());
            for (Cell cell : cells) {
                result.add(new Metric(kind, name, cell.metric(), cell.value().get()));
            }
            return result;
        }
    }

    private static void purge() {
        for (Object ref = COLLECTED.poll(); ref != null; ref = COLLECTED.poll()) {
            INSTANCES.remove(((Entry) ref).id);
            GENERATION.incrementAndGet();
        }
    }

    private static final class Entry extends WeakReference<Table> {
        final long id;

        Entry(long id, Table table) {
            super(table, COLLECTED);
            this.id = id;
        }
    }

    /**
     * One metric of one instance: its value boxed for reports and unboxed for exporters, which read
     * it without allocating. Held strongly by its table only, so a {@link MetricSource}'s weak
     * reference to it is cleared when the instance is collected.
     */
    record Cell(String metric, Supplier<Number> value, DoubleSupplier asDouble) {}
}
