package io.aiomisc.resilience;

import io.aiomisc.internal.Durations;
import io.aiomisc.internal.Interruptions;
import io.aiomisc.internal.RunnableTask;
import io.aiomisc.internal.TimedCall;
import io.aiomisc.stats.BackoffStatistic;
import io.aiomisc.stats.RetryStatistic;
import io.aiomisc.time.TimeSource;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Retries a call that fails: aiomisc's {@code asyncbackoff} and {@code asyncretry}.
 *
 * <pre>{@code
 * // @asyncbackoff(attempt_timeout=0.5, deadline=1, pause=0.1, exceptions=[IOException])
 * Backoff backoff = Backoff.asyncbackoff(Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(100),
 *         IOException.class);
 * String page = backoff.call(() -> fetch(url));
 *
 * // @asyncretry(5): five tries, any Exception retried
 * byte[] file = Backoff.asyncretry(5).call(() -> download(url));
 * }</pre>
 *
 * <p>The rules, all at once, as in aiomisc:
 * <ul>
 * <li>each attempt may take at most {@code attemptTimeout} (it is interrupted then); a timed-out
 * attempt, and any {@link TimeoutException}, is always retried;</li>
 * <li>other failures are retried when they are instances of {@code exceptions} (none by default
 * for {@code asyncbackoff}; {@code Exception} for {@code asyncretry}), else thrown at once;</li>
 * <li>{@code maxTries} counts the first call; the last failure is thrown when they are used up;</li>
 * <li>{@code giveup}, when it returns true for a failure, throws that failure at once;</li>
 * <li>between attempts the backoff pauses for {@code pause} (not after the last attempt);</li>
 * <li>the whole call may take at most {@code deadline}: it interrupts the running attempt or the
 * pause, and then the <em>last attempt's failure</em> is thrown — a {@link TimeoutException} only if
 * no attempt had failed yet;</li>
 * <li>interruption is cancellation and is never retried: an interrupted call ends with the
 * {@link InterruptedException} (or {@link java.util.concurrent.CancellationException}).</li>
 * </ul>
 * Optional, beyond aiomisc: exponential growth of the pause ({@code multiplier}, capped at
 * {@code maxPause}) and {@code jitter}.
 *
 * <p>A {@code Backoff} is immutable and thread-safe; each call has its own attempts. Counters go to
 * a {@link BackoffStatistic} ({@link RetryStatistic} for {@code asyncretry}).
 */
public final class Backoff {
    private final Duration attemptTimeout;
    private final Duration deadline;
    private final Duration pause;
    private final int maxTries;
    private final ExceptionTypes exceptions;
    private final Predicate<Throwable> giveup;
    private final double multiplier;
    private final Duration maxPause;
    private final double jitter;
    private final TimeSource time;
    private final RandomGenerator random;
    private final BackoffStatistic statistic;
    private final boolean timing;

    private Backoff(Builder builder) {
        this.attemptTimeout = builder.attemptTimeout;
        this.deadline = builder.deadline;
        this.pause = builder.pause;
        this.maxTries = builder.maxTries;
        this.exceptions = builder.exceptions;
        this.giveup = builder.giveup;
        this.multiplier = builder.multiplier;
        this.maxPause = builder.maxPause;
        this.jitter = builder.jitter;
        this.time = builder.time;
        this.random = builder.random;
        this.timing = builder.timing;
        this.statistic = builder.retryStatistic
                ? new RetryStatistic(builder.statisticName)
                : new BackoffStatistic(builder.statisticName);
    }

    /**
     * A builder; every setting left unset means "no limit" (pause: none).
     *
     * @return a new builder: no time limits, no pause, unlimited tries, no exception retried
     *         besides timeouts
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * aiomisc's {@code asyncbackoff(attempt_timeout, deadline, pause, *exceptions)}.
     *
     * @param attemptTimeout the limit of one attempt; null for none
     * @param deadline       the limit of the whole call; null for none
     * @param pause          the pause between attempts; null for none
     * @param exceptions     failures to retry besides timeouts; none means only timeouts are retried
     * @return a new backoff with unlimited tries
     * @throws IllegalArgumentException if a duration is negative
     * @throws NullPointerException     if {@code exceptions} or one of its elements is null
     */
    @SafeVarargs
    public static Backoff asyncbackoff(
            Duration attemptTimeout, Duration deadline, Duration pause, Class<? extends Throwable>... exceptions) {
        Builder builder = builder().exceptions(exceptions);
        if (attemptTimeout != null) {
            builder.attemptTimeout(attemptTimeout);
        }
        if (deadline != null) {
            builder.deadline(deadline);
        }
        if (pause != null) {
            builder.pause(pause);
        }
        return builder.build();
    }

    /**
     * aiomisc's {@code asyncretry(max_tries, exceptions)}: at most {@code maxTries} calls, no pause,
     * no time limits.
     *
     * @param maxTries   the most calls, the first included; at least 1
     * @param exceptions failures to retry; none means every {@link Exception}
     * @return a new backoff counting into a {@link RetryStatistic}
     * @throws IllegalArgumentException if {@code maxTries < 1}
     * @throws NullPointerException     if {@code exceptions} or one of its elements is null
     */
    @SafeVarargs
    public static Backoff asyncretry(int maxTries, Class<? extends Throwable>... exceptions) {
        Objects.requireNonNull(exceptions, "exceptions");
        Builder builder = builder().maxTries(maxTries);
        if (exceptions.length == 0) {
            builder.exceptions(Exception.class);
        } else {
            builder.exceptions(exceptions);
        }
        builder.retryStatistic = true;
        return builder.build();
    }

    /**
     * Calls {@code callable} on the calling thread, retrying as the class description says.
     * Blocks for the attempts and the pauses.
     *
     * <p><b>Interrupt:</b> during a pause, ends the call with {@link InterruptedException}, the
     * interrupt status clear; during an attempt, it is the callable's business, and whatever the
     * callable throws for it ({@code InterruptedException}, a cancellation) ends the call, never
     * retried. An attempt timeout or the deadline interrupts the attempt itself; that interrupt is
     * consumed by the backoff and does not leak to the caller.
     *
     * @param <T>      the call's result type
     * @param callable one attempt; called on the calling thread, once per attempt
     * @return the first successful result
     * @throws TimeoutException     if the deadline passed before any attempt failed, or the last
     *                              attempt timed out
     * @throws InterruptedException if the calling thread was interrupted (never retried)
     * @throws NullPointerException if {@code callable} is null
     * @throws Exception            the last attempt's failure, as is
     */
    public <T> T call(Callable<T> callable) throws Exception {
        Objects.requireNonNull(callable, "callable");
        long started = timing || deadline != null ? time.nanoTime() : 0;
        long deadlineAt =
                deadline == null ? Long.MAX_VALUE : Durations.saturatedAdd(started, Durations.toNanos(deadline));
        Throwable last = null;
        try {
            for (int attempt = 1; ; attempt++) {
                if (attempt > 1) {
                    statistic.retries.increment();
                }
                long remaining = deadlineAt == Long.MAX_VALUE ? Long.MAX_VALUE : deadlineAt - time.nanoTime();
                if (remaining <= 0) {
                    throw deadlineReached(last);
                }
                Duration limit = limit(remaining);
                try {
                    return limit == null
                            ? callable.call()
                            : TimedCall.run((delay, action) -> time.schedule(delay, action)::cancel, limit, callable);
                } catch (TimedCall.Expired expired) {
                    if (time.nanoTime() >= deadlineAt) {
                        throw deadlineReached(last != null ? last : expired);
                    }
                    last = expired;
                    statistic.errors.increment();
                } catch (Throwable failure) {
                    if (Interruptions.isCancellation(failure)) {
                        statistic.cancels.increment();
                        throw failure;
                    }
                    if (!isRetriable(failure)) {
                        throw failure;
                    }
                    last = failure;
                    statistic.errors.increment();
                }
                if (exhausted(attempt, last)) {
                    throw last;
                }
                Duration wait = pauseAfter(attempt);
                long left = deadlineAt == Long.MAX_VALUE ? Long.MAX_VALUE : deadlineAt - time.nanoTime();
                try {
                    if (Durations.toNanos(wait) >= left) {
                        time.sleep(Duration.ofNanos(left));
                        throw deadlineReached(last);
                    }
                    time.sleep(wait);
                } catch (InterruptedException e) {
                    statistic.cancels.increment();
                    throw e;
                }
            }
        } catch (Throwable thrown) {
            throw RunnableTask.rethrowable(thrown);
        } finally {
            statistic.done.increment();
            if (timing) {
                statistic.sumTime.addNanos(time.nanoTime() - started);
            }
        }
    }

    /**
     * {@code callable} with this backoff applied to every call: the decorator style. Each call of
     * the returned callable is a {@link #call(Callable)} and blocks as it does.
     *
     * @param <T>      the call's result type
     * @param callable one attempt
     * @return a callable that retries {@code callable}
     * @throws NullPointerException if {@code callable} is null
     */
    public <T> Callable<T> wrap(Callable<T> callable) {
        Objects.requireNonNull(callable, "callable");
        return () -> call(callable);
    }

    /**
     * Retries an asynchronous call without blocking a thread: {@code supplier} starts an attempt
     * and returns its stage; the result completes with the first success or as {@link #call}
     * would throw. Attempt timeouts and the deadline cancel the attempt's future (when it is a
     * {@link CompletableFuture}); pauses use the time source's timer. Cancelling the result stops
     * the retries. Attempts after the first start on a new virtual thread.
     *
     * @param <T>      the call's result type
     * @param supplier starts one attempt and returns its stage; the first call is on the caller's
     *                 thread
     * @return a future completed with the first success, or failed as {@link #call} would throw
     * @throws NullPointerException if {@code supplier} is null
     */
    public <T> CompletableFuture<T> callAsync(Supplier<? extends CompletionStage<T>> supplier) {
        Objects.requireNonNull(supplier, "supplier");
        return new AsyncBackoff<>(this, supplier).start();
    }

    /**
     * This backoff's counters: calls done, retries, errors, cancels and the total time.
     *
     * @return the statistic (a {@link RetryStatistic} for {@code asyncretry}), the same instance on
     *         every call
     */
    public BackoffStatistic statistic() {
        return statistic;
    }

    /**
     * The pause after failed attempt number {@code attempt} (1 = the first): {@code pause} ×
     * {@code multiplier}^(attempt-1), with {@code jitter} applied, capped at {@code maxPause}.
     * With jitter, each call draws a new random factor.
     *
     * @param attempt the number of the attempt that failed; 1 for the first (not checked)
     * @return the pause; zero without a pause, at most {@code Long.MAX_VALUE} nanoseconds
     */
    public Duration pauseAfter(int attempt) {
        double nanos = Durations.toNanos(pause);
        if (multiplier != 1.0) {
            nanos *= Math.pow(multiplier, attempt - 1);
        }
        if (jitter > 0) {
            nanos *= 1 + jitter * (2 * random.nextDouble() - 1);
        }
        if (maxPause != null) {
            nanos = Math.min(nanos, Durations.toNanos(maxPause));
        }
        return nanos >= Long.MAX_VALUE ? Duration.ofNanos(Long.MAX_VALUE) : Duration.ofNanos((long) nanos);
    }

    boolean isRetriable(Throwable failure) {
        return failure instanceof TimeoutException || exceptions.matches(failure);
    }

    /** Whether no attempt follows attempt number {@code attempt}, which failed with {@code failure} (retriable). */
    boolean exhausted(int attempt, Throwable failure) {
        return (maxTries > 0 && attempt >= maxTries) || (giveup != null && giveup.test(failure));
    }

    Duration attemptTimeout() {
        return attemptTimeout;
    }

    Duration deadline() {
        return deadline;
    }

    TimeSource time() {
        return time;
    }

    /** The limit of the next attempt: the attempt timeout or what is left of the deadline. */
    private Duration limit(long remainingNanos) {
        if (attemptTimeout == null) {
            return remainingNanos == Long.MAX_VALUE ? null : Duration.ofNanos(remainingNanos);
        }
        long attemptNanos = Durations.toNanos(attemptTimeout);
        return Duration.ofNanos(Math.min(attemptNanos, remainingNanos));
    }

    static Exception deadlineReached(Throwable last) {
        if (last != null && !(last instanceof TimedCall.Expired)) {
            return RunnableTask.rethrowable(last);
        }
        TimeoutException timeout = new TimeoutException("the backoff's deadline passed");
        if (last != null) {
            timeout.initCause(last);
        }
        return timeout;
    }

    @Override
    public String toString() {
        return "Backoff[attemptTimeout=" + attemptTimeout + ", deadline=" + deadline + ", pause=" + pause
                + ", maxTries=" + (maxTries == 0 ? "unlimited" : maxTries) + ", exceptions=" + exceptions + "]";
    }

    /**
     * Settings of a {@link Backoff}. Each setter validates its argument at once. Not thread-safe;
     * {@link #build()} does not change the builder.
     */
    public static final class Builder {
        private Duration attemptTimeout;
        private Duration deadline;
        private Duration pause = Duration.ZERO;
        private int maxTries;
        private ExceptionTypes exceptions = ExceptionTypes.of("exceptions");
        private Predicate<Throwable> giveup;
        private double multiplier = 1.0;
        private Duration maxPause;
        private double jitter;
        private TimeSource time = TimeSource.system();
        private RandomGenerator random = RandomGenerator.getDefault();
        private String statisticName;
        private boolean retryStatistic;
        private boolean timing = true;

        private Builder() {}

        /**
         * The limit of one attempt; zero makes every attempt time out at once. Default: none. An
         * attempt over the limit is interrupted and counts as a retriable timeout.
         *
         * @param attemptTimeout the limit; zero or positive
         * @return this builder
         * @throws IllegalArgumentException if {@code attemptTimeout} is negative
         * @throws NullPointerException     if {@code attemptTimeout} is null
         */
        public Builder attemptTimeout(Duration attemptTimeout) {
            this.attemptTimeout = Durations.requireNonNegative("attemptTimeout", attemptTimeout);
            return this;
        }

        /**
         * The limit of the whole call, attempts and pauses included. Default: none.
         *
         * @param deadline the limit, from the start of the call; zero or positive
         * @return this builder
         * @throws IllegalArgumentException if {@code deadline} is negative
         * @throws NullPointerException     if {@code deadline} is null
         */
        public Builder deadline(Duration deadline) {
            this.deadline = Durations.requireNonNegative("deadline", deadline);
            return this;
        }

        /**
         * The pause between attempts (the first one, when a {@link #multiplier} grows it). Default:
         * zero.
         *
         * @param pause the pause; zero or positive
         * @return this builder
         * @throws IllegalArgumentException if {@code pause} is negative
         * @throws NullPointerException     if {@code pause} is null
         */
        public Builder pause(Duration pause) {
            this.pause = Durations.requireNonNegative("pause", pause);
            return this;
        }

        /**
         * The most attempts, the first call included; at least 1. Default: unlimited.
         *
         * @param maxTries the most attempts
         * @return this builder
         * @throws IllegalArgumentException if {@code maxTries < 1}
         */
        public Builder maxTries(int maxTries) {
            if (maxTries < 1) {
                throw new IllegalArgumentException("maxTries must be at least 1: " + maxTries);
            }
            this.maxTries = maxTries;
            return this;
        }

        /**
         * The failures to retry besides timeouts (replaces earlier ones). Default: none.
         *
         * @param exceptions the exception types retried (a failure is retried when it is an instance
         *                   of one); none for timeouts only
         * @return this builder
         * @throws NullPointerException if {@code exceptions} or one of its elements is null
         */
        @SafeVarargs
        public final Builder exceptions(Class<? extends Throwable>... exceptions) {
            this.exceptions = ExceptionTypes.of("exceptions", exceptions);
            return this;
        }

        /**
         * A failure for which this returns true is thrown at once instead of retried. Default: none.
         * Asked only about retriable failures (timeouts and {@code exceptions}), on the calling
         * thread.
         *
         * @param giveup decides, per failure, whether to stop retrying
         * @return this builder
         * @throws NullPointerException if {@code giveup} is null
         */
        public Builder giveup(Predicate<Throwable> giveup) {
            this.giveup = Objects.requireNonNull(giveup, "giveup");
            return this;
        }

        /**
         * Exponential growth: the pause after attempt n is {@code pause × multiplier^(n-1)}.
         * At least 1 (default 1: a constant pause).
         *
         * @param multiplier the growth factor per attempt; finite and at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code multiplier} is below 1, infinite or NaN
         */
        public Builder multiplier(double multiplier) {
            if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
                throw new IllegalArgumentException("multiplier must be a finite number >= 1: " + multiplier);
            }
            this.multiplier = multiplier;
            return this;
        }

        /**
         * The cap of a growing (or jittered) pause. Default: none.
         *
         * @param maxPause the longest pause; zero or positive
         * @return this builder
         * @throws IllegalArgumentException if {@code maxPause} is negative
         * @throws NullPointerException     if {@code maxPause} is null
         */
        public Builder maxPause(Duration maxPause) {
            this.maxPause = Durations.requireNonNegative("maxPause", maxPause);
            return this;
        }

        /**
         * Randomizes each pause uniformly within {@code ±jitter} of itself: 0.5 gives
         * [pause/2, pause×1.5]. Between 0 (default) and 1.
         *
         * @param jitter the relative spread of each pause, in [0, 1]
         * @return this builder
         * @throws IllegalArgumentException if {@code jitter} is outside [0, 1] or NaN
         */
        public Builder jitter(double jitter) {
            if (!(jitter >= 0 && jitter <= 1)) {
                throw new IllegalArgumentException("jitter must be between 0 and 1: " + jitter);
            }
            this.jitter = jitter;
            return this;
        }

        /**
         * Where time comes from: attempt timeouts, the deadline and the pauses. Default:
         * {@link TimeSource#system()}.
         *
         * @param time the clock (a manual one in tests)
         * @return this builder
         * @throws NullPointerException if {@code time} is null
         */
        public Builder timeSource(TimeSource time) {
            this.time = Objects.requireNonNull(time, "timeSource");
            return this;
        }

        /**
         * The random source of the jitter. Default: {@link RandomGenerator#getDefault()}.
         *
         * @param random draws each pause's jitter (a seeded one in tests)
         * @return this builder
         * @throws NullPointerException if {@code random} is null
         */
        public Builder random(RandomGenerator random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /**
         * The name of this backoff's statistic in {@link io.aiomisc.stats.Statistics} reports
         * (aiomisc's {@code statistic_name}). Default: none.
         *
         * @param statisticName the name
         * @return this builder
         * @throws NullPointerException if {@code statisticName} is null
         */
        public Builder statisticName(String statisticName) {
            this.statisticName = Objects.requireNonNull(statisticName, "statisticName");
            return this;
        }

        /**
         * Whether calls are timed for the {@code sum_time} statistic (default true). Timing reads
         * the clock twice per call, which is most of a successful call's overhead (about 60 ns);
         * turn it off for very hot, very cheap calls.
         *
         * @param timing false to leave {@code sum_time} at zero
         * @return this builder
         */
        public Builder timing(boolean timing) {
            this.timing = timing;
            return this;
        }

        /**
         * A backoff with these settings. Does not change the builder, so it can build more.
         *
         * @return a new, immutable backoff
         */
        public Backoff build() {
            return new Backoff(this);
        }
    }
}
