package io.aiomisc.metrics;

import io.aiomisc.stats.Statistic;

/** A statistic with many metrics of long names: makes a send big enough to fill socket buffers. */
final class WideStatistic extends Statistic {
    WideStatistic(String name, int metrics, int nameLength) {
        super(name);
        String pad = "m".repeat(Math.max(0, nameLength - 8));
        for (int i = 0; i < metrics; i++) {
            counter(pad + String.format("%08d", i));
        }
    }
}
