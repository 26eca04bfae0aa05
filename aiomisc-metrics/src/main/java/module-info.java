/**
 * aiomisc-java's metrics on Micrometer: {@link io.aiomisc.metrics.StatisticsMeterBinder},
 * {@link io.aiomisc.metrics.CarbonSender} and {@link io.aiomisc.metrics.PrometheusService}.
 */
module io.aiomisc.metrics {
    requires transitive io.aiomisc.core;
    requires transitive micrometer.core;
    requires transitive micrometer.registry.prometheus; // PrometheusService.registry() hands out its registry
    requires jdk.httpserver;
    requires org.slf4j;

    exports io.aiomisc.metrics;
}
