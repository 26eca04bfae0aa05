package io.aiomisc.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiomisc.Entrypoint;
import io.aiomisc.stats.Metric;
import io.aiomisc.stats.Statistics;
import io.aiomisc.stats.ThreadPoolStatistic;
import io.aiomisc.testing.TestEntrypoints;
import io.aiomisc.thread.Threaded;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.ref.WeakReference;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StatisticsMeterBinderTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    static Stream<Arguments> registries() {
        return Stream.of(
                Arguments.of("simple", (Supplier<MeterRegistry>) SimpleMeterRegistry::new),
                Arguments.of("prometheus", (Supplier<MeterRegistry>)
                        () -> new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)));
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    private static Gauge gauge(MeterRegistry registry, String kind, String metric, String name) {
        return registry.find("aiomisc." + kind + "." + metric).tag("name", name).gauge();
    }

    private static List<Meter> aiomiscMeters(MeterRegistry registry) {
        return registry.getMeters().stream()
                .filter(m -> m.getId().getName().startsWith("aiomisc."))
                .toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("registries")
    void everyMetricOfAThreadPoolStatisticIsAGaugeNamedAfterKindAndMetricWithTheSingleTagName(
            String label, Supplier<MeterRegistry> registries) {
        MeterRegistry registry = registries.get();
        String name = unique("pool");
        ThreadPoolStatistic stat = new ThreadPoolStatistic(name);
        stat.threads.add(2);
        stat.submitted.add(7);
        stat.success.add(5);
        stat.error.add(1);
        stat.sumTime.addNanos(1_500_000_000L);
        try (StatisticsMeterBinder binder = new StatisticsMeterBinder()) {
            binder.bindTo(registry);
            List<Metric> metrics = stat.metrics();
            assertEquals(
                    List.of("threads", "error", "success", "submitted", "sum_time", "done"),
                    metrics.stream().map(Metric::metric).toList());
            for (Metric metric : metrics) {
                Gauge gauge = gauge(registry, "ThreadPoolStatistic", metric.metric(), name);
                assertNotNull(gauge, "no meter aiomisc.ThreadPoolStatistic." + metric.metric() + " name=" + name);
                assertEquals(List.of(Tag.of("name", name)), gauge.getId().getTags());
                assertEquals(Meter.Type.GAUGE, gauge.getId().getType());
                assertEquals(metric.value().doubleValue(), gauge.value(), 1e-9, metric.metric());
            }
            assertEquals(
                    6.0, gauge(registry, "ThreadPoolStatistic", "done", name).value());
            assertEquals(
                    1.5,
                    gauge(registry, "ThreadPoolStatistic", "sum_time", name).value(),
                    1e-9);
            // read when the registry reads, not cached
            stat.submitted.increment();
            assertEquals(
                    8.0,
                    gauge(registry, "ThreadPoolStatistic", "submitted", name).value());
        }
    }

    @Test
    void aStatisticWithoutANameIsTaggedNone() {
        assertEquals("none", StatisticsMeterBinder.NO_NAME);
        MeterRegistry registry = new SimpleMeterRegistry();
        SampleStatistic stat = new SampleStatistic(null);
        try (StatisticsMeterBinder binder = new StatisticsMeterBinder()) {
            binder.bindTo(registry);
            Gauge calls = gauge(registry, "SampleStatistic", "calls", "none");
            assertNotNull(calls);
            assertEquals(List.of(Tag.of("name", "none")), calls.getId().getTags());
            double before = calls.value();
            stat.calls.add(5);
            assertEquals(before + 5, calls.value());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("registries")
    void liveStatisticsOfTheSameKindAndNameAreSummedIntoOneMeter(String label, Supplier<MeterRegistry> registries) {
        MeterRegistry registry = registries.get();
        String name = unique("twins");
        SampleStatistic a = new SampleStatistic(name);
        SampleStatistic b = new SampleStatistic(name);
        a.calls.add(2);
        b.calls.add(3);
        a.level.set(1.5);
        b.level.set(2.25);
        try (StatisticsMeterBinder binder = new StatisticsMeterBinder()) {
            binder.bindTo(registry);
            assertEquals(
                    1,
                    registry.find("aiomisc.SampleStatistic.calls")
                            .tag("name", name)
                            .gauges()
                            .size());
            assertEquals(5.0, gauge(registry, "SampleStatistic", "calls", name).value());
            assertEquals(3.75, gauge(registry, "SampleStatistic", "level", name).value());
            b.calls.increment();
            assertEquals(6.0, gauge(registry, "SampleStatistic", "calls", name).value());
        }
    }

    @Test
    void theEntrypointPoolsMetersMoveByExactlyTheThreadedCallsMade() throws Exception {
        // Other tests' entrypoints left "default" pool statistics that the collector may clear at
        // any time (a live sum would drop): wait until they are gone, so only ours is summed.
        Awaitility.await().atMost(PATIENCE).until(() -> {
            System.gc();
            return Statistics.all(ThreadPoolStatistic.class).stream().noneMatch(m -> "default".equals(m.name()));
        });
        MeterRegistry registry = new SimpleMeterRegistry();
        int calls = 25;
        try (StatisticsMeterBinder binder = new StatisticsMeterBinder();
                Entrypoint ep = TestEntrypoints.builder().build().start()) {
            binder.bindTo(registry);
            ep.runUntilComplete(() -> {
                binder.refresh();
                Gauge submitted = gauge(registry, "ThreadPoolStatistic", "submitted", "default");
                Gauge success = gauge(registry, "ThreadPoolStatistic", "success", "default");
                Gauge done = gauge(registry, "ThreadPoolStatistic", "done", "default");
                Gauge error = gauge(registry, "ThreadPoolStatistic", "error", "default");
                assertNotNull(submitted, "the pool's meters after a refresh");
                double submittedBefore = submitted.value();
                double successBefore = success.value();
                double doneBefore = done.value();
                double errorBefore = error.value();
                for (int i = 0; i < calls; i++) {
                    int n = i;
                    assertEquals(n, Threaded.threaded(() -> n).get());
                }
                assertEquals(submittedBefore + calls, submitted.value());
                Awaitility.await().atMost(PATIENCE).until(() -> done.value() == doneBefore + calls);
                assertEquals(successBefore + calls, success.value());
                assertEquals(errorBefore, error.value());
                assertEquals(submittedBefore + calls, submitted.value());
                return null;
            });
        }
    }

    @Test
    void aStatisticCreatedAfterBindingGetsItsMeterWithinARefreshIntervalOrAtOnceOnRefresh() {
        MeterRegistry registry = new SimpleMeterRegistry();
        try (StatisticsMeterBinder binder = new StatisticsMeterBinder()) {
            binder.bindTo(registry);
            String late = unique("late");
            SampleStatistic stat = new SampleStatistic(late);
            stat.calls.add(3);
            Awaitility.await()
                    .atMost(Duration.ofSeconds(3))
                    .until(() -> gauge(registry, "SampleStatistic", "calls", late) != null);
            assertEquals(3.0, gauge(registry, "SampleStatistic", "calls", late).value());

            String forced = unique("forced");
            SampleStatistic other = new SampleStatistic(forced);
            binder.refresh();
            assertNotNull(gauge(registry, "SampleStatistic", "calls", forced));
            assertNotNull(gauge(registry, "SampleStatistic", "level", forced));
            assertNotNull(gauge(registry, "SampleStatistic", "elapsed", forced));
            assertEquals(
                    0.0, gauge(registry, "SampleStatistic", "calls", forced).value());
            // keep both reachable until here
            assertEquals(late, stat.name());
            assertEquals(forced, other.name());
        }
    }

    @Test
    void aCollectedStatisticStopsCountingAtOnceAndItsMeterGoesAtTheNextRefresh() {
        MeterRegistry registry = new SimpleMeterRegistry();
        String name = unique("gone");
        SampleStatistic stat = new SampleStatistic(name);
        stat.calls.add(4);
        WeakReference<SampleStatistic> ref = new WeakReference<>(stat);
        try (StatisticsMeterBinder binder = new StatisticsMeterBinder()) {
            binder.bindTo(registry);
            Gauge calls = gauge(registry, "SampleStatistic", "calls", name);
            assertEquals(4.0, calls.value());
            stat = null;
            Collect.awaitCollected(ref);
            assertEquals(0.0, calls.value(), "a collected statistic no longer counts");
            binder.refresh();
            assertNull(gauge(registry, "SampleStatistic", "calls", name));
            assertNull(gauge(registry, "SampleStatistic", "level", name));
            assertNull(gauge(registry, "SampleStatistic", "elapsed", name));
        }
    }

    @Test
    void closeRemovesTheMetersAndEndsTheRefresherAndBindingAfterwardsFails() throws Exception {
        MeterRegistry registry = new SimpleMeterRegistry();
        String name = unique("closing");
        SampleStatistic stat = new SampleStatistic(name);
        StatisticsMeterBinder binder = new StatisticsMeterBinder();
        binder.bindTo(registry);
        Thread refresher = refresher(binder);
        assertNotNull(refresher);
        assertEquals("aiomisc-metrics-binder", refresher.getName());
        assertTrue(refresher.isAlive());
        assertFalse(aiomiscMeters(registry).isEmpty());
        assertNotNull(gauge(registry, "SampleStatistic", "calls", name));

        binder.close();
        assertEquals(List.of(), aiomiscMeters(registry));
        assertTrue(refresher.join(PATIENCE), "the refresher thread ends");
        binder.close(); // idempotent
        IllegalStateException closed = assertThrows(IllegalStateException.class, () -> binder.bindTo(registry));
        assertTrue(closed.getMessage().contains("closed"), closed.getMessage());
        IllegalStateException other =
                assertThrows(IllegalStateException.class, () -> binder.bindTo(new SimpleMeterRegistry()));
        assertNotNull(other);
        binder.refresh(); // does nothing once closed
        new SampleStatistic(unique("after-close"));
        assertEquals(List.of(), aiomiscMeters(registry));
        assertEquals(name, stat.name());
    }

    @Test
    void bindingTheSameRegistryTwiceRegistersNothingTwiceAndOtherRegistriesGetTheirOwn() {
        MeterRegistry registry = new SimpleMeterRegistry();
        MeterRegistry second = new SimpleMeterRegistry();
        String name = unique("twice");
        SampleStatistic stat = new SampleStatistic(name);
        stat.calls.add(9);
        List<Meter.Id> added = new ArrayList<>();
        registry.config().onMeterAdded(m -> added.add(m.getId()));
        try (StatisticsMeterBinder binder = new StatisticsMeterBinder()) {
            binder.bindTo(registry);
            int meters = registry.getMeters().size();
            int additions = added.size();
            Map<String, Double> values = values(registry);
            binder.bindTo(registry);
            assertEquals(meters, registry.getMeters().size());
            assertEquals(additions, added.size(), "no meter added again");
            assertEquals(9.0, gauge(registry, "SampleStatistic", "calls", name).value());
            assertEquals(
                    values.get("aiomisc.SampleStatistic.calls" + name),
                    values(registry).get("aiomisc.SampleStatistic.calls" + name));

            binder.bindTo(second);
            assertEquals(9.0, gauge(second, "SampleStatistic", "calls", name).value());
            stat.calls.increment();
            assertEquals(10.0, gauge(registry, "SampleStatistic", "calls", name).value());
            assertEquals(10.0, gauge(second, "SampleStatistic", "calls", name).value());
        }
        assertEquals(List.of(), aiomiscMeters(registry));
        assertEquals(List.of(), aiomiscMeters(second));
    }

    @Test
    void bindingNullIsRefused() {
        try (StatisticsMeterBinder binder = new StatisticsMeterBinder()) {
            NullPointerException e = assertThrows(NullPointerException.class, () -> binder.bindTo(null));
            assertEquals("registry", e.getMessage());
        }
    }

    private static Map<String, Double> values(MeterRegistry registry) {
        Map<String, Double> values = new java.util.HashMap<>();
        for (Meter meter : aiomiscMeters(registry)) {
            if (meter instanceof Gauge g) {
                values.put(meter.getId().getName() + meter.getId().getTag("name"), g.value());
            }
        }
        return values;
    }

    private static Thread refresher(StatisticsMeterBinder binder) throws ReflectiveOperationException {
        Field field = StatisticsMeterBinder.class.getDeclaredField("refresher");
        field.setAccessible(true);
        return (Thread) field.get(binder);
    }
}
