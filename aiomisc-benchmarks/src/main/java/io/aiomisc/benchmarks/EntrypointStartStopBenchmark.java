package io.aiomisc.benchmarks;

import com.google.common.util.concurrent.AbstractIdleService;
import com.google.common.util.concurrent.AbstractService;
import com.google.common.util.concurrent.ServiceManager;
import io.aiomisc.Entrypoint;
import io.aiomisc.Service;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Start + stop of a set of trivial services: an aiomisc-java {@link Entrypoint} (each service's
 * blocking {@code start()} on its own virtual thread, concurrent stops, thread pool, signals)
 * against Guava's {@link ServiceManager} with the same number of services, for 1, 100 and 1,000
 * services. DESIGN.md §11 target: ours ≥ 1.0 × Guava at 1,000 services.
 *
 * <p>Two Guava baselines: {@link AbstractIdleService} (blocking {@code startUp}/{@code shutDown},
 * the like-for-like of our {@code Service}) and an {@link AbstractService} that calls
 * {@code notifyStarted()} inline (Guava's cheapest service, no thread at all).
 *
 * <p>Run: {@code aiomisc-benchmarks/run EntrypointStartStopBenchmark} (after {@code bin/run-tests}
 * or {@code ./mvnw install -DskipTests}).
 */
public final class EntrypointStartStopBenchmark {
    private EntrypointStartStopBenchmark() {}

    static final class Trivial extends Service {
        @Override
        public void start() {}
    }

    static final class GuavaIdle extends AbstractIdleService {
        @Override
        protected void startUp() {}

        @Override
        protected void shutDown() {}
    }

    static final class GuavaInline extends AbstractService {
        @Override
        protected void doStart() {
            notifyStarted();
        }

        @Override
        protected void doStop() {
            notifyStopped();
        }
    }

    static void ours(int services) throws Exception {
        List<Service> list = new ArrayList<>(services);
        for (int i = 0; i < services; i++) {
            list.add(new Trivial());
        }
        Entrypoint.builder()
                .services(list)
                .logConfig(false)
                .catchSignals(false)
                .start()
                .close();
    }

    static void guava(int services, boolean idle) {
        List<com.google.common.util.concurrent.Service> list = new ArrayList<>(services);
        for (int i = 0; i < services; i++) {
            list.add(idle ? new GuavaIdle() : new GuavaInline());
        }
        ServiceManager manager = new ServiceManager(list);
        manager.startAsync().awaitHealthy();
        manager.stopAsync().awaitStopped();
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        StringBuilder summary = new StringBuilder();
        for (int n : new int[] {1, 100, 1000}) {
            Duration window = Duration.ofMillis(n == 1000 ? 2000 : 1000);
            double[] ratios = new Comparison(
                            "entrypoint start+stop, " + n + " trivial services", Duration.ofMillis(500), window, rounds)
                    .run(
                            new Comparison.Side("aiomisc Entrypoint", () -> ours(n)),
                            new Comparison.Side("Guava ServiceManager (AbstractIdleService)", () -> guava(n, true)),
                            new Comparison.Side(
                                    "Guava ServiceManager (inline AbstractService)", () -> guava(n, false)));
            summary.append(String.format(
                    Locale.ROOT,
                    "  %5d services: %.2f x Guava idle services, %.2f x Guava inline services%n",
                    n,
                    ratios[0],
                    ratios[1]));
        }
        System.out.println(
                "\nSUMMARY (median ratio of start+stop cycles per second, ours / Guava; >= 1.0 means we are faster)");
        System.out.print(summary);
    }
}
