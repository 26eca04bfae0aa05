package io.aiomisc.benchmarks;

import io.aiomisc.stats.Counter;
import io.aiomisc.stats.Gauge;
import io.aiomisc.stats.Statistic;
import io.aiomisc.stats.TimeCounter;

/**
 * A statistic of the shape exporters meet most: a few counters, a gauge and a time sum per named
 * instance (an HTTP endpoint, a client, a pool). {@link StatisticsScrapeBenchmark} keeps thousands
 * alive, each with its own name. Thread-safe.
 */
final class EndpointStatistic extends Statistic {
    final Counter requests = counter("requests");
    final Counter errors = counter("errors");
    final Gauge inFlight = gauge("in_flight");
    final Counter bytes = counter("bytes");
    final TimeCounter time = timeCounter("time");

    EndpointStatistic(String name) {
        super(name);
    }
}
