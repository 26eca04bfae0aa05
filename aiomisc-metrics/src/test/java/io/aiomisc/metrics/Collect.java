package io.aiomisc.metrics;

import java.lang.ref.WeakReference;
import java.time.Duration;
import org.awaitility.Awaitility;

/** Waits, bounded, for the garbage collector to clear a reference (as core's StatisticsTest does). */
final class Collect {
    private Collect() {}

    static void awaitCollected(WeakReference<?> ref) {
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
            System.gc();
            return ref.get() == null;
        });
    }
}
