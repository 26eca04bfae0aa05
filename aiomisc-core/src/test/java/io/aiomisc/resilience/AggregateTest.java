package io.aiomisc.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiomisc.internal.TaskLauncher;
import io.aiomisc.task.Task;
import io.aiomisc.time.ManualTimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Ports of aiomisc's aggregate scenarios, under a manual clock. */
class AggregateTest {
    private static final Duration LEEWAY = Duration.ofMillis(10);

    private final ManualTimeSource time = new ManualTimeSource();
    private final List<List<Integer>> batches = new CopyOnWriteArrayList<>();

    private final Function<List<Integer>, List<Integer>> square = args -> {
        batches.add(args);
        return args.stream().map(x -> x * x).toList();
    };

    private static <A, R> List<Task<R>> callConcurrently(Aggregator<A, R> aggregator, List<A> args) {
        List<Task<R>> calls = new ArrayList<>();
        for (A arg : args) {
            calls.add(TaskLauncher.startDetached(() -> aggregator.call(arg)));
        }
        return calls;
    }

    private static void awaitPending(Aggregator<?, ?> aggregator, int count) {
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> aggregator.pending() == count);
    }

    private static <R> List<R> results(List<Task<R>> calls) throws Exception {
        List<R> results = new ArrayList<>();
        for (Task<R> call : calls) {
            results.add(call.await(Duration.ofSeconds(10)));
        }
        return results;
    }

    @Test
    void concurrentCallsWithinTheWindowRunAsOneBatch() throws Exception {
        Aggregator<Integer, Integer> aggregator = Aggregate.aggregate(LEEWAY, 0, square, time);
        List<Task<Integer>> calls = callConcurrently(aggregator, List.of(1, 2, 3, 4, 5));
        awaitPending(aggregator, 5);
        time.advance(LEEWAY);
        assertEquals(List.of(1, 4, 9, 16, 25), results(calls));
        assertEquals(1, batches.size());
        assertEquals(List.of(1, 2, 3, 4, 5), batches.get(0).stream().sorted().toList());
    }

    @Test
    void theWindowIsMeasuredFromTheFirstCall() throws Exception {
        Aggregator<Integer, Integer> aggregator = Aggregate.aggregate(LEEWAY, 0, square, time);
        List<Task<Integer>> first = callConcurrently(aggregator, List.of(1));
        awaitPending(aggregator, 1);
        time.advance(Duration.ofMillis(6));
        List<Task<Integer>> second = callConcurrently(aggregator, List.of(2));
        awaitPending(aggregator, 2);
        time.advance(Duration.ofMillis(4)); // 10 ms after the first call, only 4 after the second
        assertEquals(List.of(1), results(first));
        assertEquals(List.of(4), results(second));
        assertEquals(1, batches.size());
        List<Task<Integer>> later = callConcurrently(aggregator, List.of(3));
        awaitPending(aggregator, 1);
        time.advance(LEEWAY);
        assertEquals(List.of(9), results(later));
        assertEquals(2, batches.size());
    }

    @Test
    void maxCountFlushesEarly() throws Exception {
        Aggregator<Integer, Integer> aggregator = Aggregate.aggregate(Duration.ofHours(1), 2, square, time);
        List<Task<Integer>> calls = callConcurrently(aggregator, List.of(1, 2, 3, 4));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> batches.size() == 2);
        assertEquals(List.of(1, 4, 9, 16), results(calls).stream().sorted().toList());
        for (List<Integer> batch : batches) {
            assertEquals(2, batch.size());
        }
        List<Task<Integer>> fifth = callConcurrently(aggregator, List.of(5));
        awaitPending(aggregator, 1);
        time.advance(Duration.ofHours(1));
        assertEquals(List.of(25), results(fifth));
        assertEquals(List.of(2, 2, 1), batches.stream().map(List::size).toList());
    }

    @Test
    void aFailedBatchFailsEveryCallerWithTheSameException() throws Exception {
        IllegalStateException failure = new IllegalStateException("batch failed");
        Aggregator<Integer, Integer> aggregator = Aggregate.aggregate(
                LEEWAY,
                0,
                args -> {
                    throw failure;
                },
                time);
        List<Task<Integer>> calls = callConcurrently(aggregator, List.of(1, 2, 3));
        awaitPending(aggregator, 3);
        time.advance(LEEWAY);
        for (Task<Integer> call : calls) {
            assertSame(failure, assertThrows(IllegalStateException.class, call::await));
        }
        assertEquals(1, aggregator.statistic().error.value());
        assertEquals(1, aggregator.statistic().done.value());
    }

    @Test
    void fewerResultsThanArgumentsLeaveResultNotSet() throws Exception {
        Aggregator<Integer, Integer> aggregator =
                Aggregate.aggregate(LEEWAY, 3, args -> List.of(args.get(0) * 10), time);
        List<Task<Integer>> calls = callConcurrently(aggregator, List.of(1, 2, 3));
        int ok = 0;
        int missing = 0;
        for (Task<Integer> call : calls) {
            try {
                call.await(Duration.ofSeconds(10));
                ok++;
            } catch (ResultNotSetException e) {
                missing++;
            }
        }
        assertEquals(1, ok);
        assertEquals(2, missing);
        assertEquals(1, aggregator.statistic().success.value());
    }

    @Test
    void extraResultsAreIgnored() throws Exception {
        Aggregator<Integer, Integer> aggregator = Aggregate.aggregate(LEEWAY, 1, args -> List.of(7, 8, 9), time);
        assertEquals(7, aggregator.call(1));
    }

    @Test
    void anInterruptedBatchRunsAgainForTheOthers() throws Exception {
        CountDownLatch firstRunStarted = new CountDownLatch(1);
        AtomicReference<Thread> firstRunner = new AtomicReference<>();
        List<Integer> executions = new CopyOnWriteArrayList<>();
        Aggregator<Integer, Integer> aggregator = Aggregate.aggregate(
                LEEWAY,
                0,
                args -> {
                    executions.add(args.size());
                    if (executions.size() == 1) {
                        firstRunner.set(Thread.currentThread());
                        firstRunStarted.countDown();
                        try {
                            new CountDownLatch(1).await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new CancellationException("interrupted mid-batch");
                        }
                    }
                    return args.stream().map(x -> x + 100).toList();
                },
                time);
        List<Task<Integer>> calls = callConcurrently(aggregator, List.of(1, 2, 3));
        awaitPending(aggregator, 3);
        time.advance(LEEWAY);
        firstRunStarted.await();
        firstRunner.get().interrupt();
        int delivered = 0;
        int interrupted = 0;
        for (Task<Integer> call : calls) {
            try {
                assertTrue(call.await(Duration.ofSeconds(10)) > 100);
                delivered++;
            } catch (CancellationException e) {
                interrupted++;
            }
        }
        assertEquals(List.of(3, 3), executions, "the batch, the interrupted caller's argument included, ran twice");
        assertEquals(2, delivered);
        assertEquals(1, interrupted);
    }

    @Test
    void aggregateAsyncLetsTheBatchCompleteEachFuture() throws Exception {
        Aggregator<Integer, String> aggregator = Aggregate.aggregateAsync(
                LEEWAY,
                0,
                args -> {
                    for (Arg<Integer, String> arg : args) {
                        if (arg.value() % 2 == 0) {
                            arg.future().complete("even " + arg.value());
                        } else if (arg.value() == 3) {
                            arg.future().completeExceptionally(new IllegalArgumentException("three"));
                        }
                    }
                },
                time);
        List<Integer> args = List.of(1, 2, 3, 4);
        List<Task<String>> calls = callConcurrently(aggregator, args);
        awaitPending(aggregator, 4);
        time.advance(LEEWAY);
        Map<Integer, String> outcome = new java.util.TreeMap<>();
        for (int i = 0; i < args.size(); i++) {
            try {
                outcome.put(args.get(i), calls.get(i).await(Duration.ofSeconds(10)));
            } catch (Exception e) {
                outcome.put(args.get(i), e.getClass().getSimpleName());
            }
        }
        assertEquals(
                Map.of(1, "ResultNotSetException", 2, "even 2", 3, "IllegalArgumentException", 4, "even 4"), outcome);
    }

    @Test
    void aggregateAsyncFailureFailsTheRemainingFutures() throws Exception {
        IllegalStateException failure = new IllegalStateException("async batch failed");
        Aggregator<Integer, Integer> aggregator = Aggregate.aggregateAsync(
                LEEWAY,
                2,
                args -> {
                    args.get(0).future().complete(1);
                    throw failure;
                },
                time);
        List<Task<Integer>> calls = callConcurrently(aggregator, List.of(10, 20));
        List<String> outcomes = new ArrayList<>();
        for (Task<Integer> call : calls) {
            try {
                outcomes.add(String.valueOf(call.await(Duration.ofSeconds(10))));
            } catch (IllegalStateException e) {
                assertSame(failure, e);
                outcomes.add("failed");
            }
        }
        assertEquals(List.of("1", "failed"), outcomes.stream().sorted().toList());
    }

    @Test
    void statisticsDescribeTheAggregator() throws Exception {
        Aggregator<Integer, Integer> aggregator = Aggregate.aggregate(Duration.ofMillis(25), 7, square, time);
        Map<String, Number> metrics =
                aggregator.statistic().metrics().stream().collect(Collectors.toMap(m -> m.metric(), m -> m.value()));
        assertEquals(25.0, metrics.get("leeway_ms"));
        assertEquals(7L, metrics.get("max_count"));
        assertEquals(
                "AggregateStatistic", aggregator.statistic().metrics().get(0).kind());
    }

    @Test
    void aStatisticNameNamesTheAggregateStatistic() {
        Aggregator<Integer, Integer> named = Aggregate.aggregate(LEEWAY, 0, square, time, "squares");
        Aggregator<Integer, Integer> namedAsync = Aggregate.aggregateAsync(
                LEEWAY, 0, args -> args.forEach(arg -> arg.future().complete(arg.value())), time, "identity");
        assertEquals("squares", named.statistic().name());
        assertEquals("identity", namedAsync.statistic().name());
        assertTrue(named.statistic().metrics().stream().allMatch(m -> "squares".equals(m.name())));
        List<String> reported = io.aiomisc.stats.Statistics.all(io.aiomisc.stats.AggregateStatistic.class).stream()
                .map(io.aiomisc.stats.Metric::name)
                .distinct()
                .toList();
        assertTrue(reported.containsAll(List.of("squares", "identity")), reported.toString());
        java.lang.ref.Reference.reachabilityFence(named); // statistics are held weakly
        java.lang.ref.Reference.reachabilityFence(namedAsync);
        assertEquals(
                null, Aggregate.aggregate(LEEWAY, 0, square, time).statistic().name(), "unnamed by default");
    }

    @Test
    void aCallerInterruptedWhileWaitingLeavesItsArgumentInTheBatch() throws Exception {
        Aggregator<Integer, Integer> aggregator = Aggregate.aggregate(LEEWAY, 0, square, time);
        List<Task<Integer>> calls = callConcurrently(aggregator, List.of(1, 2));
        awaitPending(aggregator, 2);
        calls.get(0).cancel(true);
        time.advance(LEEWAY);
        assertEquals(4, calls.get(1).await(Duration.ofSeconds(10)));
        assertEquals(List.of(1, 2), batches.get(0).stream().sorted().toList());
    }

    @Test
    void badSettingsAreRejectedAtOnce() {
        assertThrows(IllegalArgumentException.class, () -> Aggregate.aggregate(Duration.ZERO, 0, square));
        assertThrows(IllegalArgumentException.class, () -> Aggregate.aggregate(Duration.ofMillis(-1), 0, square));
        assertThrows(IllegalArgumentException.class, () -> Aggregate.aggregate(LEEWAY, -1, square));
        assertThrows(NullPointerException.class, () -> Aggregate.aggregate(LEEWAY, 0, null));
        assertThrows(NullPointerException.class, () -> Aggregate.<Integer, Integer>aggregateAsync(LEEWAY, 0, null));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Aggregate.aggregate(LEEWAY, -3, square))
                .getMessage()
                .contains("-3"));
    }

    @Test
    void realTimeWindowWorksToo() throws Exception {
        Aggregator<Integer, Integer> aggregator = Aggregate.aggregate(Duration.ofMillis(20), 0, square);
        assertEquals(
                List.of(4, 9),
                results(callConcurrently(aggregator, List.of(2, 3))).stream()
                        .sorted()
                        .toList());
    }
}
