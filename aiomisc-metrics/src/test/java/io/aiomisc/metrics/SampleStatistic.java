package io.aiomisc.metrics;

import io.aiomisc.stats.Counter;
import io.aiomisc.stats.Gauge;
import io.aiomisc.stats.Statistic;
import io.aiomisc.stats.TimeCounter;

/** A statistic kind of the tests' own, so that no other component's statistics move its values. */
final class SampleStatistic extends Statistic {
    final Counter calls = counter("calls");
    final Gauge level = gauge("level");
    final TimeCounter elapsed = timeCounter("elapsed");

    SampleStatistic(String name) {
        super(name);
    }
}
