package io.aiomisc.benchmarks;

import io.aiomisc.metrics.StatisticsMeterBinder;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;

/**
 * The cost of exporting many statistics through {@link StatisticsMeterBinder}: the time of one
 * {@code PrometheusMeterRegistry.scrape()} with 10,000 live statistics bound (issue 16: report),
 * against the same number of plain Micrometer gauges registered directly on a
 * {@link PrometheusMeterRegistry} — what a program would otherwise write by hand.
 *
 * <p><b>Ours.</b> 10,000 {@link EndpointStatistic}s ({@code endpoint-00000} …, 5 metrics each:
 * {@code requests}, {@code errors}, {@code in_flight}, {@code bytes}, {@code time}) bound by one
 * binder to a registry: 50,000 gauges {@code aiomisc.EndpointStatistic.<metric>{name=...}}, each
 * reading its statistic through {@code Statistics.sources()} at the scrape.
 *
 * <p><b>Baseline.</b> Another registry with 50,000 {@link Gauge}s of the same names, tags and values,
 * each reading an {@link AtomicLong} (the time as nanoseconds / 1e9). The two scrapes' texts have
 * the same number of lines; their sizes are printed to show it.
 *
 * <p><b>Per round</b> (Comparison: the sides alternate, warm-up 5 s, window 5 s; before the first
 * round each side scrapes for 5 s, not measured, so that the first side does not warm the shared
 * code up for the second): scrapes per
 * second and CPU µs per scrape of each side, and the ratio ours / baseline of scrapes per second
 * (above 1: ours scrapes faster). The summary gives ms per scrape. Then, on our binder: the time of
 * {@link StatisticsMeterBinder#refresh()} when nothing changed (the statistics' generation is
 * unchanged: a lock and a read; the binder's own refresher does this every second), and when one
 * statistic was added just before (the refresh reads every source again and registers the new
 * statistic's 5 gauges; 20 refreshes a round, each after one new statistic, which stays alive, so
 * the count grows by 20 a round), each next to the baseline's cost of registering the new
 * statistic's 5 gauges by hand; and the time of the first {@code bindTo} (every meter registered)
 * next to the baseline's registration of all its gauges.
 *
 * <p>Run: {@code aiomisc-benchmarks/run StatisticsScrapeBenchmark [rounds [statistics]]}
 * (defaults 5, 10000).
 */
public final class StatisticsScrapeBenchmark {
    private static final int ADDED_PER_ROUND = 20;
    private static final String[] METRICS = {"requests", "errors", "in_flight", "bytes", "time"};

    private StatisticsScrapeBenchmark() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        if (rounds < 1 || count < 1) {
            throw new IllegalArgumentException(
                    "rounds and statistics must be positive: rounds=" + rounds + ", statistics=" + count);
        }
        List<EndpointStatistic> statistics = new ArrayList<>(count);
        List<AtomicLong[]> plainValues = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            EndpointStatistic statistic = new EndpointStatistic(String.format(Locale.ROOT, "endpoint-%05d", i));
            long[] values = {1_000L + i, i % 17, i % 5, 123_456L * (i + 1), 2_345_678L * (i + 1)};
            statistic.requests.add(values[0]);
            statistic.errors.add(values[1]);
            statistic.inFlight.set(values[2]);
            statistic.bytes.add(values[3]);
            statistic.time.addNanos(values[4]);
            statistics.add(statistic);
            AtomicLong[] plain = new AtomicLong[values.length];
            for (int v = 0; v < values.length; v++) {
                plain[v] = new AtomicLong(values[v]);
            }
            plainValues.add(plain);
        }

        PrometheusMeterRegistry ours = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        long bindStart = System.nanoTime();
        StatisticsMeterBinder binder = new StatisticsMeterBinder();
        binder.bindTo(ours);
        double bindMillis = (System.nanoTime() - bindStart) / 1e6;

        PrometheusMeterRegistry plain = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        long plainStart = System.nanoTime();
        for (int i = 0; i < count; i++) {
            registerPlain(plain, statistics.get(i).name(), plainValues.get(i));
        }
        double plainMillis = (System.nanoTime() - plainStart) / 1e6;

        String oursText = ours.scrape();
        String plainText = plain.scrape();
        System.out.printf(
                Locale.ROOT,
                "%,d statistics x %d metrics; bindTo %.1f ms, the plain gauges' registration %.1f ms;"
                        + " scrape text: ours %,d lines %,d bytes, plain gauges %,d lines %,d bytes%n",
                count,
                METRICS.length,
                bindMillis,
                plainMillis,
                oursText.lines().count(),
                oursText.length(),
                plainText.lines().count(),
                plainText.length());

        Comparison comparison = new Comparison(
                String.format(Locale.ROOT, "PrometheusMeterRegistry.scrape() of %,d statistics", count),
                Duration.ofSeconds(5),
                Duration.ofSeconds(5),
                rounds);
        Comparison.Side oursSide = new Comparison.Side("StatisticsMeterBinder", ours::scrape, 1, "scrapes");
        Comparison.Side plainSide =
                new Comparison.Side("plain Micrometer Gauges on AtomicLongs", plain::scrape, 1, "scrapes");
        comparison.warmUpFirst(oursSide, plainSide);
        Comparison.Result result = comparison.runAll(oursSide, plainSide);

        double[] unchanged = new double[rounds];
        double[] added = new double[rounds * ADDED_PER_ROUND];
        double[] plainAdded = new double[rounds * ADDED_PER_ROUND];
        List<EndpointStatistic> addedStatistics = new ArrayList<>();
        System.out.printf(Locale.ROOT, "%n== StatisticsMeterBinder.refresh() (%d rounds)%n", rounds);
        for (int round = 0; round < rounds; round++) {
            unchanged[round] = unchangedRefreshNanos(binder);
            double[] mine = new double[ADDED_PER_ROUND];
            for (int i = 0; i < ADDED_PER_ROUND; i++) {
                addedStatistics.add(new EndpointStatistic("added-" + addedStatistics.size()));
                long start = System.nanoTime();
                binder.refresh();
                mine[i] = (System.nanoTime() - start) / 1e6;
                added[round * ADDED_PER_ROUND + i] = mine[i];
                AtomicLong[] values = {
                    new AtomicLong(), new AtomicLong(), new AtomicLong(), new AtomicLong(), new AtomicLong()
                };
                long registerStart = System.nanoTime();
                registerPlain(plain, "added-" + (addedStatistics.size() - 1), values);
                plainAdded[round * ADDED_PER_ROUND + i] = (System.nanoTime() - registerStart) / 1e6;
            }
            double[] theirs = Arrays.copyOfRange(plainAdded, round * ADDED_PER_ROUND, (round + 1) * ADDED_PER_ROUND);
            System.out.printf(
                    Locale.ROOT,
                    "  round %d  nothing changed %8.1f ns/refresh   1 statistic added %8.2f ms/refresh (median of %d; min %.2f, max %.2f);"
                            + " plain: registering 5 gauges %.3f ms%n",
                    round + 1,
                    unchanged[round],
                    Comparison.median(mine),
                    ADDED_PER_ROUND,
                    Arrays.stream(mine).min().orElseThrow(),
                    Arrays.stream(mine).max().orElseThrow(),
                    Comparison.median(theirs));
        }
        int registered = ours.getMeters().size();
        binder.close();

        System.out.printf(
                Locale.ROOT,
                "%nSUMMARY scrape of %,d statistics (%,d gauges): StatisticsMeterBinder %.2f ms/scrape (%.0f cpu-us),"
                        + " plain Micrometer Gauges %.2f ms/scrape (%.0f cpu-us); ours / baseline (scrapes/s) = %.2f%n",
                count,
                count * METRICS.length,
                1e3 / result.opsPerSecond()[0],
                result.cpuMicrosPerOp()[0],
                1e3 / result.opsPerSecond()[1],
                result.cpuMicrosPerOp()[1],
                result.ratios()[0]);
        System.out.printf(
                Locale.ROOT,
                "SUMMARY refresh: nothing changed %.1f ns (median of %d rounds); 1 statistic added %.2f ms"
                        + " (median of %d; min %.2f, max %.2f), plain: registering its 5 gauges %.3f ms;"
                        + " first bindTo %.1f ms, plain: registering every gauge %.1f ms; %,d meters at the end%n",
                Comparison.median(unchanged),
                rounds,
                Comparison.median(added),
                added.length,
                Arrays.stream(added).min().orElseThrow(),
                Arrays.stream(added).max().orElseThrow(),
                Comparison.median(plainAdded),
                bindMillis,
                plainMillis,
                registered);
        // the statistics must stay alive (and counted) until here
        System.out.printf(Locale.ROOT, "(%,d statistics alive)%n", statistics.size() + addedStatistics.size());
    }

    /** The baseline's 5 gauges of one statistic, reading {@code values}. */
    private static void registerPlain(PrometheusMeterRegistry registry, String name, AtomicLong[] values) {
        for (int v = 0; v < METRICS.length; v++) {
            ToDoubleFunction<AtomicLong> read = v == 4 ? a -> a.get() / 1e9 : AtomicLong::get;
            Gauge.builder("aiomisc.EndpointStatistic." + METRICS[v], values[v], read)
                    .tag("name", name)
                    .description("aiomisc EndpointStatistic " + METRICS[v])
                    .strongReference(true) // as the binder's: the gauge keeps its AtomicLong
                    .register(registry);
        }
    }

    /** Nanoseconds per {@link StatisticsMeterBinder#refresh()} when no statistic changed, over 1 s. */
    private static double unchangedRefreshNanos(StatisticsMeterBinder binder) {
        binder.refresh(); // whatever changed before is picked up here, not timed
        long calls = 0;
        long start = System.nanoTime();
        long end = start + 1_000_000_000L;
        long now;
        do {
            for (int i = 0; i < 1000; i++) {
                binder.refresh();
            }
            calls += 1000;
            now = System.nanoTime();
        } while (now < end);
        return (double) (now - start) / calls;
    }
}
