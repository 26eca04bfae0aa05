package io.aiomisc.benchmarks;

import io.aiomisc.resilience.Backoff;
import io.aiomisc.resilience.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Success-path overhead of a guarded call, in the same JMH run: our {@link CircuitBreaker#call}
 * against resilience4j's {@code CircuitBreaker.decorateCallable}, our {@link Backoff#call} against
 * resilience4j's {@code Retry.decorateCallable}, and the bare call. DESIGN.md §11 target: ours ≥
 * 1.0 × resilience4j in throughput. The guarded work is trivial (an increment), so what is measured
 * is the guard itself.
 *
 * <p>Run: {@code FORKS=1 aiomisc-benchmarks/run ResilienceBenchmark} (JMH forks on its own: 3 forks,
 * 5 × 1 s warm-up and 5 × 1 s measurement per benchmark), which prints the ratios at the end.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
@Threads(1)
public class ResilienceBenchmark {
    private long counter;
    private Callable<Long> work;
    private CircuitBreaker ourBreaker;
    private Callable<Long> theirBreaker;
    private Backoff ourBackoff;
    private Backoff ourUntimedBackoff;
    private Callable<Long> theirRetry;

    @Setup
    public void setUp() {
        work = () -> ++counter;
        ourBreaker = CircuitBreaker.builder()
                .errorRatio(0.5)
                .responseTime(Duration.ofSeconds(10))
                .build();
        theirBreaker = io.github.resilience4j.circuitbreaker.CircuitBreaker.of(
                        "bench",
                        CircuitBreakerConfig.custom().failureRateThreshold(50).build())
                .decorateCallable(work);
        ourBackoff = Backoff.builder()
                .maxTries(3)
                .pause(Duration.ofMillis(500))
                .exceptions(Exception.class)
                .build();
        ourUntimedBackoff = Backoff.builder()
                .maxTries(3)
                .pause(Duration.ofMillis(500))
                .exceptions(Exception.class)
                .timing(false)
                .build();
        theirRetry = Retry.decorateCallable(
                Retry.of(
                        "bench",
                        RetryConfig.custom()
                                .maxAttempts(3)
                                .waitDuration(Duration.ofMillis(500))
                                .build()),
                work);
    }

    @Benchmark
    public long bare() throws Exception {
        return work.call();
    }

    @Benchmark
    public long aiomiscCircuitBreaker() throws Exception {
        return ourBreaker.call(work);
    }

    @Benchmark
    public long resilience4jCircuitBreaker() throws Exception {
        return theirBreaker.call();
    }

    @Benchmark
    public long aiomiscBackoff() throws Exception {
        return ourBackoff.call(work);
    }

    @Benchmark
    public long aiomiscBackoffUntimed() throws Exception {
        return ourUntimedBackoff.call(work);
    }

    @Benchmark
    public long resilience4jRetry() throws Exception {
        return theirRetry.call();
    }

    public static void main(String[] args) throws Exception {
        Options options = new OptionsBuilder()
                .include(ResilienceBenchmark.class.getName() + "\\.")
                .jvmArgsAppend("-Xms512m", "-Xmx512m")
                .build();
        Collection<RunResult> results = new Runner(options).run();
        Map<String, Double> scores = new HashMap<>();
        Map<String, Double> errors = new HashMap<>();
        for (RunResult result : results) {
            String name = result.getParams().getBenchmark().replaceAll(".*\\.", "");
            scores.put(name, result.getPrimaryResult().getScore());
            errors.put(name, result.getPrimaryResult().getScoreError());
        }
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "%-28s %12s", "benchmark", "ops/us"));
        for (String name : List.of(
                "bare",
                "aiomiscCircuitBreaker",
                "resilience4jCircuitBreaker",
                "aiomiscBackoff",
                "aiomiscBackoffUntimed",
                "resilience4jRetry")) {
            lines.add(String.format(Locale.ROOT, "%-28s %12.2f ± %.2f", name, scores.get(name), errors.get(name)));
        }
        System.out.println();
        lines.forEach(System.out::println);
        System.out.printf(
                Locale.ROOT,
                "%nSUMMARY circuit breaker: %.2f x resilience4j; backoff: %.2f x resilience4j retry"
                        + " (%.2f x with timing(false), which skips the sum_time clock reads)%n",
                scores.get("aiomiscCircuitBreaker") / scores.get("resilience4jCircuitBreaker"),
                scores.get("aiomiscBackoff") / scores.get("resilience4jRetry"),
                scores.get("aiomiscBackoffUntimed") / scores.get("resilience4jRetry"));
    }
}
