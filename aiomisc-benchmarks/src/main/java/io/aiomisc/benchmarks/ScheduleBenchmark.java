package io.aiomisc.benchmarks;

import io.aiomisc.schedule.CronExpression;
import io.aiomisc.schedule.PeriodicCallback;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/**
 * Scheduling figures: {@link CronExpression#next} throughput for typical specs (each call from the
 * previous fire time, so it walks real schedules), and the tick accuracy of a 10 ms
 * {@link PeriodicCallback} over 1,000 ticks, fixed-delay and fixed-rate: lateness of each call
 * against when it was due, and the drift of the last tick from the ideal schedule.
 *
 * <p>Run: {@code FORKS=1 aiomisc-benchmarks/run ScheduleBenchmark}.
 */
public final class ScheduleBenchmark {
    private ScheduleBenchmark() {}

    record Spec(String spec, ZoneId zone) {}

    public static void main(String[] args) throws Exception {
        List<Spec> specs = List.of(
                new Spec("* * * * *", ZoneOffset.UTC),
                new Spec("*/15 * * * *", ZoneOffset.UTC),
                new Spec("0 9 * * MON-FRI", ZoneId.of("Europe/Berlin")),
                new Spec("30 2 * * *", ZoneId.of("America/New_York")),
                new Spec("0 0 1 * *", ZoneOffset.UTC),
                new Spec("0 0 29 2 *", ZoneOffset.UTC),
                new Spec("*/5 * * * * *", ZoneOffset.UTC));
        System.out.println("== CronExpression.next() throughput (median of 5 rounds of 1 s, after 1 s warm-up)");
        for (Spec spec : specs) {
            CronExpression expression = CronExpression.parse(spec.spec());
            ZonedDateTime start = ZonedDateTime.of(2026, 1, 1, 0, 0, 0, 0, spec.zone());
            double[] rates = new double[6];
            for (int round = 0; round < rates.length; round++) {
                ZonedDateTime t = start;
                long calls = 0;
                long begin = System.nanoTime();
                long end = begin + 1_000_000_000L;
                while (System.nanoTime() < end) {
                    for (int i = 0; i < 100; i++) {
                        t = expression.next(t);
                        if (t.getYear() > 2400) {
                            t = start;
                        }
                    }
                    calls += 100;
                }
                rates[round] = calls / ((System.nanoTime() - begin) / 1e9);
            }
            double[] measured = Arrays.copyOfRange(rates, 1, rates.length);
            System.out.printf(
                    Locale.ROOT,
                    "  %-18s %-18s %,12.0f next()/s%n",
                    spec.spec(),
                    spec.zone(),
                    Comparison.median(measured));
        }
        accuracy(false);
        accuracy(true);
    }

    private static void accuracy(boolean fixedRate) throws Exception {
        int ticks = 1000;
        long interval = Duration.ofMillis(10).toNanos();
        long[] calls = new long[ticks + 1];
        long[] ends = new long[ticks + 1];
        CountDownLatch done = new CountDownLatch(1);
        int[] index = {0};
        PeriodicCallback periodic = new PeriodicCallback(() -> {
            int i = index[0]++;
            if (i <= ticks) {
                calls[i] = System.nanoTime();
                ends[i] = System.nanoTime();
                if (i == ticks) {
                    done.countDown();
                }
            }
            return null;
        });
        periodic.start(Duration.ofMillis(1)); // warm the machinery up first
        periodic.stop();
        index[0] = 0;
        long start = System.nanoTime();
        if (fixedRate) {
            periodic.startAtFixedRate(Duration.ofMillis(10), Duration.ZERO);
        } else {
            periodic.start(Duration.ofMillis(10), Duration.ZERO);
        }
        done.await();
        periodic.stop();
        long[] lateness = new long[ticks];
        for (int i = 1; i <= ticks; i++) {
            long due = fixedRate ? start + i * interval : ends[i - 1] + interval;
            lateness[i - 1] = calls[i] - due;
        }
        double mean = Arrays.stream(lateness).average().orElse(0) / 1e6;
        long[] sorted = lateness.clone();
        Arrays.sort(sorted);
        double drift = (calls[ticks] - (start + ticks * interval)) / 1e6;
        System.out.printf(
                Locale.ROOT,
                "== PeriodicCallback %s, 10 ms x %d ticks: lateness mean %.3f ms, p50 %.3f ms, p99 %.3f ms,"
                        + " max %.3f ms; last tick %.1f ms from the ideal schedule (%.1f ms in all)%n",
                fixedRate ? "fixed-rate " : "fixed-delay",
                ticks,
                mean,
                sorted[ticks / 2] / 1e6,
                sorted[ticks * 99 / 100] / 1e6,
                sorted[ticks - 1] / 1e6,
                drift,
                (System.nanoTime() - start) / 1e6);
    }
}
