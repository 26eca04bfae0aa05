package io.aiomisc.resilience;

import io.aiomisc.time.TimeSource;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * aiomisc's {@code @aggregate} and {@code @aggregate_async}: many concurrent single calls,
 * {@code r = f(x)}, become one call of a batch function over all their arguments, collected within
 * a time window. A trade of latency for throughput: fetching 1,000 records per second one by one
 * becomes a hundred batch fetches of ten.
 *
 * <pre>{@code
 * Aggregator<Long, User> users = Aggregate.aggregate(Duration.ofMillis(10), 100,
 *         ids -> database.fetchUsers(ids));          // results in the order of the ids
 * User user = users.call(42L);                        // from many threads at once
 * }</pre>
 *
 * <p>See {@link Aggregator} for the batch semantics.
 */
public final class Aggregate {
    private Aggregate() {}

    /**
     * Batches calls into {@code batch}, which returns one result per argument, in order; windows
     * timed by the system clock, no statistic name.
     *
     * <p>When the result list is shorter than the batch, or null, each caller left without a result
     * gets a {@link ResultNotSetException}; extra results are ignored.
     *
     * @param <A>      the argument type
     * @param <R>      the result type
     * @param leeway   the window, from a batch's first call; positive
     * @param maxCount the most arguments per batch; 0 for no limit
     * @param batch    called once per batch with the batch's arguments in call order, on the thread
     *                 of one of the batch's callers
     * @return a new aggregator; its {@link Aggregator#call} blocks until the caller's result is there
     * @throws IllegalArgumentException if {@code leeway} is not positive or {@code maxCount} negative
     * @throws NullPointerException     if {@code leeway} or {@code batch} is null
     */
    public static <A, R> Aggregator<A, R> aggregate(Duration leeway, int maxCount, Function<List<A>, List<R>> batch) {
        return aggregate(leeway, maxCount, batch, TimeSource.system());
    }

    /**
     * As {@link #aggregate(Duration, int, Function)}, windows timed by {@code time}.
     *
     * @param <A>      the argument type
     * @param <R>      the result type
     * @param leeway   the window, from a batch's first call; positive
     * @param maxCount the most arguments per batch; 0 for no limit
     * @param batch    called once per batch with its arguments, returns their results in order
     * @param time     the clock that times each window (a manual one in tests)
     * @return a new aggregator
     * @throws IllegalArgumentException if {@code leeway} is not positive or {@code maxCount} negative
     * @throws NullPointerException     if {@code leeway}, {@code batch} or {@code time} is null
     */
    public static <A, R> Aggregator<A, R> aggregate(
            Duration leeway, int maxCount, Function<List<A>, List<R>> batch, TimeSource time) {
        return aggregate(leeway, maxCount, batch, time, null);
    }

    /**
     * As {@link #aggregate(Duration, int, Function, TimeSource)}, its {@link Aggregator#statistic()}
     * named {@code statisticName} in {@link io.aiomisc.stats.Statistics} reports (aiomisc's
     * {@code statistic_name}).
     *
     * @param <A>           the argument type
     * @param <R>           the result type
     * @param leeway        the window, from a batch's first call; positive
     * @param maxCount      the most arguments per batch; 0 for no limit
     * @param batch         called once per batch with its arguments, returns their results in order
     * @param time          the clock that times each window
     * @param statisticName the statistic's name; null for none (the default)
     * @return a new aggregator
     * @throws IllegalArgumentException if {@code leeway} is not positive or {@code maxCount} negative
     * @throws NullPointerException     if {@code leeway}, {@code batch} or {@code time} is null
     */
    public static <A, R> Aggregator<A, R> aggregate(
            Duration leeway, int maxCount, Function<List<A>, List<R>> batch, TimeSource time, String statisticName) {
        Objects.requireNonNull(batch, "batch");
        return new Aggregator<>(
                leeway,
                maxCount,
                args -> {
                    List<A> values = args.stream().map(Arg::value).toList();
                    List<R> results = batch.apply(values);
                    if (results == null) {
                        return;
                    }
                    int count = Math.min(args.size(), results.size());
                    for (int i = 0; i < count; i++) {
                        args.get(i).future().complete(results.get(i));
                    }
                },
                time,
                statisticName);
    }

    /**
     * Batches calls into {@code batch}, which completes each {@link Arg#future()} itself; windows
     * timed by the system clock, no statistic name. A future {@code batch} leaves incomplete when it
     * returns fails with {@link ResultNotSetException}, so completing them later from another
     * thread does not work: complete them before returning.
     *
     * @param <A>      the argument type
     * @param <R>      the result type
     * @param leeway   the window, from a batch's first call; positive
     * @param maxCount the most arguments per batch; 0 for no limit
     * @param batch    called once per batch with the batch's arguments in call order, on the thread
     *                 of one of the batch's callers
     * @return a new aggregator
     * @throws IllegalArgumentException if {@code leeway} is not positive or {@code maxCount} negative
     * @throws NullPointerException     if {@code leeway} or {@code batch} is null
     */
    public static <A, R> Aggregator<A, R> aggregateAsync(
            Duration leeway, int maxCount, Consumer<List<Arg<A, R>>> batch) {
        return aggregateAsync(leeway, maxCount, batch, TimeSource.system());
    }

    /**
     * As {@link #aggregateAsync(Duration, int, Consumer)}, windows timed by {@code time}.
     *
     * @param <A>      the argument type
     * @param <R>      the result type
     * @param leeway   the window, from a batch's first call; positive
     * @param maxCount the most arguments per batch; 0 for no limit
     * @param batch    called once per batch; completes each argument's future
     * @param time     the clock that times each window (a manual one in tests)
     * @return a new aggregator
     * @throws IllegalArgumentException if {@code leeway} is not positive or {@code maxCount} negative
     * @throws NullPointerException     if {@code leeway}, {@code batch} or {@code time} is null
     */
    public static <A, R> Aggregator<A, R> aggregateAsync(
            Duration leeway, int maxCount, Consumer<List<Arg<A, R>>> batch, TimeSource time) {
        return aggregateAsync(leeway, maxCount, batch, time, null);
    }

    /**
     * As {@link #aggregateAsync(Duration, int, Consumer, TimeSource)}, its
     * {@link Aggregator#statistic()} named {@code statisticName} (aiomisc's {@code statistic_name}).
     *
     * @param <A>           the argument type
     * @param <R>           the result type
     * @param leeway        the window, from a batch's first call; positive
     * @param maxCount      the most arguments per batch; 0 for no limit
     * @param batch         called once per batch; completes each argument's future
     * @param time          the clock that times each window
     * @param statisticName the statistic's name; null for none (the default)
     * @return a new aggregator
     * @throws IllegalArgumentException if {@code leeway} is not positive or {@code maxCount} negative
     * @throws NullPointerException     if {@code leeway}, {@code batch} or {@code time} is null
     */
    public static <A, R> Aggregator<A, R> aggregateAsync(
            Duration leeway, int maxCount, Consumer<List<Arg<A, R>>> batch, TimeSource time, String statisticName) {
        return new Aggregator<>(leeway, maxCount, batch, time, statisticName);
    }
}
