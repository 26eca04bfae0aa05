package io.aiomisc.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class StatisticsTest {
    static final class SampleStatistic extends Statistic {
        final Counter calls = counter("calls");
        final Gauge ratio = gauge("ratio");
        final Gauge limit = gauge("limit");
        final TimeCounter sumTime = timeCounter("sum_time");

        SampleStatistic(String name) {
            super(name);
        }
    }

    private static List<Metric> metricsNamed(String name) {
        return Statistics.all(SampleStatistic.class).stream()
                .filter(m -> name.equals(m.name()))
                .toList();
    }

    @Test
    void countersAndGaugesReportTheirValues() {
        String name = UUID.randomUUID().toString();
        SampleStatistic stat = new SampleStatistic(name);
        stat.calls.increment();
        stat.calls.add(2);
        stat.ratio.set(0.25);
        stat.limit.set(100);
        stat.sumTime.add(Duration.ofMillis(1500));
        assertEquals(
                List.of(
                        new Metric("SampleStatistic", name, "calls", 3L),
                        new Metric("SampleStatistic", name, "ratio", 0.25),
                        new Metric("SampleStatistic", name, "limit", 100L),
                        new Metric("SampleStatistic", name, "sum_time", 1.5)),
                metricsNamed(name));
        stat.ratio.set(0.5);
        assertEquals(0.5, metricsNamed(name).get(1).value());
    }

    @Test
    void instancesAreHeldWeakly() {
        String name = UUID.randomUUID().toString();
        SampleStatistic stat = new SampleStatistic(name);
        WeakReference<SampleStatistic> ref = new WeakReference<>(stat);
        assertEquals(4, metricsNamed(name).size());
        stat = null;
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
            System.gc();
            return ref.get() == null && metricsNamed(name).isEmpty();
        });
    }

    @Test
    void allReportsEveryKindAndFiltersBySubclass() {
        String name = UUID.randomUUID().toString();
        SampleStatistic stat = new SampleStatistic(name);
        ContextStatistic context = new ContextStatistic(name);
        context.get.increment();
        assertTrue(Statistics.all().containsAll(stat.metrics()));
        assertTrue(Statistics.all().contains(new Metric("ContextStatistic", name, "get", 1L)));
        assertTrue(Statistics.all(SampleStatistic.class).stream()
                .noneMatch(m -> m.kind().equals("ContextStatistic")));
    }

    @Test
    void aMetricDeclaredTwiceIsAnIllegalArgument() {
        class Twice extends Statistic {
            final Counter a = counter("a");
            final Counter b = counter("a");

            Twice() {
                super(null);
            }
        }
        assertThrows(IllegalArgumentException.class, Twice::new);
    }

    private static List<MetricSource> sourcesNamed(String name) {
        return Statistics.sources().stream().filter(s -> name.equals(s.name())).toList();
    }

    @Test
    void sourcesReadTheCurrentValueEachTime() {
        String name = UUID.randomUUID().toString();
        SampleStatistic stat = new SampleStatistic(name);
        List<MetricSource> sources = sourcesNamed(name);
        assertEquals(
                List.of("calls", "ratio", "limit", "sum_time"),
                sources.stream().map(MetricSource::metric).toList());
        assertEquals("SampleStatistic", sources.get(0).kind());
        assertEquals(0.0, sources.get(0).value());
        stat.calls.add(5);
        stat.sumTime.add(Duration.ofMillis(250));
        assertEquals(5.0, sources.get(0).value());
        assertEquals(5L, sources.get(0).number());
        assertEquals(0.25, sources.get(3).value());
        assertTrue(sources.get(0).live());
    }

    @Test
    void generationMovesWhenAnInstanceIsCreatedOrCollected() {
        long before = Statistics.generation();
        SampleStatistic stat = new SampleStatistic(UUID.randomUUID().toString());
        long created = Statistics.generation();
        assertTrue(created > before, "a new instance moves the generation");
        MetricSource source = sourcesNamed(stat.name()).get(0);
        stat = null;
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
            System.gc();
            return !source.live() && Statistics.generation() > created;
        });
        assertEquals(0.0, source.value());
        assertEquals(null, source.number());
    }
}
