package io.aiomisc.resilience;

import io.aiomisc.internal.Durations;
import io.aiomisc.internal.Futures;
import io.aiomisc.internal.RunnableTask;
import io.aiomisc.stats.CircuitBreakerStatistic;
import io.aiomisc.time.TimeSource;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops calling something that keeps failing, and tries it again gradually: aiomisc's
 * {@code CircuitBreaker}, with its state machine exactly.
 *
 * <pre>{@code
 * // When 20 % of the time slices of 20 s are bad, break for 5 s
 * CircuitBreaker breaker = CircuitBreaker.builder()
 *         .errorRatio(0.2).responseTime(Duration.ofSeconds(20)).brokenTime(Duration.ofSeconds(5))
 *         .exceptions(IOException.class)
 *         .build();
 * String gists = breaker.call(() -> fetch("https://api.github.com/gists/public"));
 * }</pre>
 *
 * <h2>How it decides</h2>
 * Time is cut into slices ("buckets") of {@code responseTime / 10}; the breaker keeps the last 10
 * buckets that saw calls, each with its calls, failures and total. A bucket is <em>bad</em> when it
 * has calls and {@code failures / total >= errorRatio}. The {@linkplain #recoveryRatio() ratio}
 * is the share of bad buckets among the buckets of the last {@code responseTime} (a share of time
 * slices, not of calls). Before each call:
 * <ul>
 * <li><b>PASSING</b>: once 10 buckets of history exist and <em>every</em> bucket of the window is
 * bad (ratio ≥ 1), it breaks: BROKEN for {@code brokenTime}, history cleared.</li>
 * <li><b>BROKEN</b>: calls throw {@link CircuitBroken} (carrying the last failure) without being
 * made; after {@code brokenTime} it goes RECOVERING.</li>
 * <li><b>RECOVERING</b>: a call is admitted with probability {@code 2^(t/recoveryTime) − 1}, t being
 * the time since recovery began (0 at first, ~41 % halfway, all after {@code recoveryTime}); the
 * others throw {@link CircuitBroken}. If the ratio reaches {@code 0.5 × errorRatio} it breaks again;
 * after {@code recoveryTime} it goes PASSING and stays so for at least {@code passingTime}.</li>
 * </ul>
 * A failure counts when it is an instance of {@code exceptions} (default: {@link Exception}) and
 * the {@code exceptionInspector}, if any, returns true for it; other exceptions pass through
 * uncounted as failures (but count as calls). {@code CircuitBroken} from this breaker is never
 * counted. {@code passingTime}, {@code brokenTime} and {@code recoveryTime} default to
 * {@code responseTime}.
 *
 * <p><i>Differences from aiomisc:</i> {@code errorRatio} must be in (0, 1] and every duration
 * positive (aiomisc checks neither); buckets are exactly {@code responseTime / 10} wide (aiomisc's
 * integer truncation makes them 0.1 s for response times under a second); every statistic reports
 * its true value.
 *
 * <p>Thread-safe: the state is one immutable snapshot in one volatile field, read once per call
 * and replaced under a lock that never runs user code; the success path of a call takes no lock
 * and allocates nothing. The breaker never blocks on its own: see {@link #call} and
 * {@link #callAsync}.
 */
public final class CircuitBreaker {
    private static final Logger log = LoggerFactory.getLogger(CircuitBreaker.class);

    static final int BUCKET_COUNT = 10;
    static final double PASSING_BROKEN_THRESHOLD = 1;
    static final double RECOVER_BROKEN_THRESHOLD = 0.5;

    private final double errorRatio;
    private final long responseNanos;
    private final long bucketNanos;
    private final long passingNanos;
    private final long brokenNanos;
    private final long recoveryNanos;
    private final ExceptionTypes exceptions;
    private final Predicate<Throwable> inspector;
    private final TimeSource time;
    private final RandomGenerator random;
    private final CircuitBreakerStatistic statistic;

    private final ReentrantLock lock = new ReentrantLock(); // serialises transitions and bucket creation
    /**
     * Everything a call decides on, read once per call. Replaced (never mutated) under the lock;
     * a call that read an older snapshot either acts on it consistently or, when a transition
     * seems due, re-reads under the lock.
     */
    private volatile Snapshot snapshot;

    private volatile Throwable lastFailure;

    /**
     * The breaker's state: {@code until} is the time before which the state holds without being
     * re-examined ({@link Long#MIN_VALUE} = not held), {@code recoveryAt} when RECOVERING began
     * (meaningful in RECOVERING only), {@code history} the buckets this state counts into. A break
     * starts a new history instead of clearing the old one, so a call that read the snapshot before
     * the break never sees the post-break (empty) history with the pre-break state.
     */
    private record Snapshot(CircuitBreakerState state, long until, long recoveryAt, History history) {
        Snapshot {
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(history, "history");
        }
    }

    /** The counts of one time slice. */
    static final class Bucket {
        final long id;
        final LongAdder failures = new LongAdder();
        final LongAdder total = new LongAdder();

        Bucket(long id) {
            this.id = id;
        }

        boolean isBad(double errorRatio) {
            long calls = total.sum();
            return calls > 0 && (double) failures.sum() / calls >= errorRatio;
        }
    }

    /** The last {@link #BUCKET_COUNT} buckets that saw calls; a ring, newest at {@code newest}. */
    private static final class History {
        final Bucket[] buckets = new Bucket[BUCKET_COUNT]; // guarded by the breaker's lock
        int newest = -1; // guarded by the breaker's lock
        volatile int size; // written under the breaker's lock
        volatile Bucket current; // the newest bucket, read without the lock
    }

    private CircuitBreaker(Builder builder) {
        this.errorRatio = builder.errorRatio;
        this.responseNanos = Durations.toNanos(builder.responseTime);
        this.bucketNanos = Math.max(1, responseNanos / BUCKET_COUNT);
        this.passingNanos = Durations.toNanos(builder.passingTime != null ? builder.passingTime : builder.responseTime);
        this.brokenNanos = Durations.toNanos(builder.brokenTime != null ? builder.brokenTime : builder.responseTime);
        this.recoveryNanos =
                Durations.toNanos(builder.recoveryTime != null ? builder.recoveryTime : builder.responseTime);
        this.exceptions = builder.exceptions;
        this.inspector = builder.inspector;
        this.time = builder.time;
        this.random = builder.random;
        this.snapshot = new Snapshot(CircuitBreakerState.PASSING, Long.MIN_VALUE, 0, new History());
        this.statistic = new CircuitBreakerStatistic(builder.statisticName, this::recoveryRatio);
        this.statistic.errorRatioThreshold.set(errorRatio);
    }

    /**
     * A builder; {@code errorRatio} and {@code responseTime} are required.
     *
     * @return a new builder with every optional setting at its default
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Makes the call, or rejects it, as the class description says. This is the Java form of
     * aiomisc's {@code with cb.context(): ...} block: the breaker must see the block's outcome, and a
     * try-with-resources guard cannot (its {@code close()} is not told about the exception), so the
     * guarded code is passed in as a {@link Callable}.
     *
     * <p>Blocks for as long as {@code callable} does and no longer: the breaker itself never
     * waits. Interruption is the callable's business; an {@link InterruptedException} it throws is
     * rethrown as is (and counted as a failure when it matches {@code exceptions}).
     *
     * @param <T>      the call's result type
     * @param callable the guarded call
     * @return what {@code callable} returned
     * @throws CircuitBroken        if the breaker rejects the call ({@code callable} is then not called)
     * @throws NullPointerException if {@code callable} is null
     * @throws Exception            the call's own exception, as is
     */
    public <T> T call(Callable<T> callable) throws Exception {
        Objects.requireNonNull(callable, "callable");
        Bucket bucket = admit();
        try {
            T result = callable.call();
            if (lastFailure != null) {
                lastFailure = null;
            }
            return result;
        } catch (Throwable failure) {
            recordFailure(bucket, failure);
            throw RunnableTask.rethrowable(failure);
        } finally {
            bucket.total.increment();
        }
    }

    /**
     * Makes an asynchronous call, or rejects it, without blocking: {@code supplier} starts the call
     * and returns its stage, whose outcome the breaker counts when it completes (as
     * {@link #call} counts the callable's). The asynchronous twin of {@link #call}, as
     * {@link Backoff#callAsync} is of {@link Backoff#call}.
     *
     * <p>Never throws for a rejection or a failure: a rejected call returns a future failed with
     * {@link CircuitBroken} (the supplier is then not called); a supplier that throws returns a
     * future failed with that exception (counted). Cancelling the returned future cancels the
     * stage when it is a {@link java.util.concurrent.Future}; that cancellation is not counted as a
     * failure. Dependent actions of the returned future run on the thread that completes the stage.
     *
     * @param <T>      the call's result type
     * @param supplier starts the call and returns its stage; called on the caller's thread, at most
     *                 once; must not return null (that is counted as a failure)
     * @return a future completed with the stage's value or failure (unwrapped from
     *         {@link java.util.concurrent.CompletionException})
     * @throws NullPointerException if {@code supplier} is null
     * @throws Error                an {@link Error} the supplier throws, rethrown after counting it
     */
    public <T> CompletableFuture<T> callAsync(Supplier<? extends CompletionStage<T>> supplier) {
        Objects.requireNonNull(supplier, "supplier");
        Bucket bucket;
        try {
            bucket = admit();
        } catch (CircuitBroken rejected) {
            return CompletableFuture.failedFuture(rejected);
        }
        CompletionStage<T> stage;
        try {
            stage = Objects.requireNonNull(supplier.get(), "the supplier returned null");
        } catch (Throwable failure) {
            recordFailure(bucket, failure);
            bucket.total.increment();
            if (failure instanceof Error error) {
                throw error;
            }
            return CompletableFuture.failedFuture(failure);
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        stage.whenComplete((value, thrown) -> {
            try {
                if (thrown == null) {
                    if (lastFailure != null) {
                        lastFailure = null;
                    }
                } else if (!result.isCancelled()) {
                    recordFailure(bucket, Futures.unwrapCompletion(thrown));
                }
            } finally {
                bucket.total.increment();
            }
            if (thrown == null) {
                result.complete(value);
            } else {
                result.completeExceptionally(Futures.unwrapCompletion(thrown));
            }
        });
        if (stage instanceof java.util.concurrent.Future<?> future) {
            result.whenComplete((value, thrown) -> {
                if (result.isCancelled()) {
                    future.cancel(true);
                }
            });
        }
        return result;
    }

    /**
     * {@code callable} guarded by this breaker: the decorator style. Each call of the returned
     * callable is a {@link #call(Callable)}.
     *
     * @param <T>      the call's result type
     * @param callable the call to guard
     * @return a callable that calls {@code callable} through this breaker
     * @throws NullPointerException if {@code callable} is null
     */
    public <T> Callable<T> wrap(Callable<T> callable) {
        Objects.requireNonNull(callable, "callable");
        return () -> call(callable);
    }

    /**
     * The state now (computing a due transition first, as a call would). Does not block on user code.
     *
     * @return PASSING, BROKEN or RECOVERING
     */
    public CircuitBreakerState state() {
        Snapshot observed = snapshot;
        long now = time.nanoTime();
        return settle(observed, now, bucket(observed.history, now)).state;
    }

    /**
     * The share of bad time slices among those of the last {@code responseTime}, between 0 and 1;
     * 0 without history. Takes the breaker's lock briefly; never runs user code under it.
     *
     * @return the share of bad time slices, in [0, 1]
     */
    public double recoveryRatio() {
        History history = snapshot.history;
        long now = time.nanoTime(); // read outside the lock: a time source is user code
        lock.lock();
        try {
            return ratio(history, Math.floorDiv(now, bucketNanos));
        } finally {
            lock.unlock();
        }
    }

    /**
     * How long the current state is held at least (aiomisc's {@code get_state_delay}).
     *
     * @return the time left until the state is examined again; {@link Duration#ZERO} if it is not held
     */
    public Duration stateDelay() {
        Snapshot observed = snapshot;
        long now = time.nanoTime();
        return observed.until <= now ? Duration.ZERO : Duration.ofNanos(observed.until - now);
    }

    /**
     * The last counted failure; a successful call clears it.
     *
     * @return that failure, or null if none was counted since the last success
     */
    public Throwable lastFailure() {
        return lastFailure;
    }

    /**
     * The share of failed calls that makes a time slice bad, as configured.
     *
     * @return the error ratio, in (0, 1]
     */
    public double errorRatio() {
        return errorRatio;
    }

    /**
     * The window the ratio is measured over, as configured.
     *
     * @return the response time; positive
     */
    public Duration responseTime() {
        return Duration.ofNanos(responseNanos);
    }

    /**
     * This breaker's counters: calls per state, the recovery ratio, the error-ratio threshold.
     *
     * @return the statistic, the same instance on every call
     */
    public CircuitBreakerStatistic statistic() {
        return statistic;
    }

    /**
     * Decides on one call: reads the snapshot once (then the time: a snapshot is never newer than
     * the time it is judged at), applies a due transition, counts the call in the statistic.
     *
     * @return the bucket to count the admitted call in
     * @throws CircuitBroken if the call is rejected
     */
    private Bucket admit() {
        Snapshot observed = snapshot;
        long now = time.nanoTime();
        Bucket bucket = bucket(observed.history, now);
        Snapshot decided = settle(observed, now, bucket);
        switch (decided.state) {
            case PASSING -> statistic.callPassing.increment();
            case BROKEN -> {
                statistic.callBroken.increment();
                throw new CircuitBroken(lastFailure);
            }
            case RECOVERING -> {
                statistic.callRecovering.increment();
                double elapsed = (double) Math.max(0, now - decided.recoveryAt) / recoveryNanos;
                if (!(random.nextDouble() + 1 < Math.pow(2, elapsed))) {
                    statistic.callRecoveringFailed.increment();
                    throw new CircuitBroken(lastFailure);
                }
                statistic.callRecoveringOk.increment();
            }
        }
        return decided.history == observed.history ? bucket : bucket(decided.history, now);
    }

    private void recordFailure(Bucket bucket, Throwable failure) {
        if (exceptions.matches(failure)) {
            lastFailure = failure;
            if (inspect(failure)) {
                bucket.failures.increment();
            }
        }
    }

    private Bucket bucket(History history, long now) {
        long id = Math.floorDiv(now, bucketNanos);
        Bucket bucket = history.current;
        if (bucket != null && bucket.id == id) {
            return bucket;
        }
        lock.lock();
        try {
            bucket = history.current;
            if (bucket != null && bucket.id >= id) {
                return bucket;
            }
            bucket = new Bucket(id);
            history.newest = (history.newest + 1) % BUCKET_COUNT;
            history.buckets[history.newest] = bucket;
            if (history.size < BUCKET_COUNT) {
                history.size++;
            }
            history.current = bucket;
            return bucket;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The snapshot a call at {@code now} acts on: {@code observed} itself when no transition can be
     * due (the lock-free path of every passing call), otherwise the one left by the transitions
     * made under the lock.
     */
    private Snapshot settle(Snapshot observed, long now, Bucket bucket) {
        if (now < observed.until) {
            return observed;
        }
        if (observed.state == CircuitBreakerState.PASSING
                && (observed.history.size < BUCKET_COUNT || !bucket.isBad(errorRatio))) {
            // with the current slice not bad, not every slice of the window is bad
            return observed;
        }
        lock.lock();
        try {
            Snapshot current = snapshot;
            if (now < current.until) {
                return current;
            }
            History history = current.history;
            long currentId = Math.floorDiv(now, bucketNanos);
            Snapshot next =
                    switch (current.state) {
                        case BROKEN -> new Snapshot(CircuitBreakerState.RECOVERING, Long.MIN_VALUE, now, history);
                        case PASSING ->
                            history.size >= BUCKET_COUNT && ratio(history, currentId) >= PASSING_BROKEN_THRESHOLD
                                    ? broken(now)
                                    : current;
                        case RECOVERING -> {
                            if (ratio(history, currentId) >= RECOVER_BROKEN_THRESHOLD * errorRatio) {
                                yield broken(now);
                            }
                            yield now - current.recoveryAt >= recoveryNanos
                                    ? new Snapshot(CircuitBreakerState.PASSING, now + passingNanos, 0, history)
                                    : current;
                        }
                    };
            if (next != current) {
                snapshot = next;
            }
            return next;
        } finally {
            lock.unlock();
        }
    }

    /** Share of bad buckets among the buckets of {@code history} in the window ending at {@code currentId}; under the lock. */
    private double ratio(History history, long currentId) {
        int inWindow = 0;
        int bad = 0;
        for (int i = 0; i < history.size; i++) {
            Bucket bucket = history.buckets[Math.floorMod(history.newest - i, BUCKET_COUNT)];
            if (bucket.id < currentId - BUCKET_COUNT) {
                break; // older buckets are older still
            }
            inWindow++;
            if (bucket.isBad(errorRatio)) {
                bad++;
            }
        }
        return inWindow == 0 ? 0 : (double) bad / inWindow;
    }

    private Snapshot broken(long now) {
        return new Snapshot(CircuitBreakerState.BROKEN, now + brokenNanos, 0, new History());
    }

    private boolean inspect(Throwable failure) {
        if (inspector == null) {
            return true;
        }
        try {
            return inspector.test(failure);
        } catch (RuntimeException e) {
            log.error("Unhandled exception in the exception inspector of {}", this, e);
            return true;
        }
    }

    @Override
    public String toString() {
        return "CircuitBreaker[state=" + snapshot.state + ", errorRatio=" + errorRatio + ", responseTime="
                + Duration.ofNanos(responseNanos) + "]";
    }

    /**
     * Settings of a {@link CircuitBreaker}. Each setter validates its argument at once;
     * {@link #build()} checks that the required ones are set. Not thread-safe.
     */
    public static final class Builder {
        private double errorRatio = Double.NaN;
        private Duration responseTime;
        private Duration recoveryTime;
        private Duration brokenTime;
        private Duration passingTime;
        private ExceptionTypes exceptions = ExceptionTypes.of("exceptions", Exception.class);
        private Predicate<Throwable> inspector;
        private TimeSource time = TimeSource.system();
        private RandomGenerator random = RandomGenerator.getDefault();
        private String statisticName;

        private Builder() {}

        /**
         * The share of failed calls that makes a time slice bad; in (0, 1]. Required.
         *
         * @param errorRatio failures / calls at or above which a slice is bad
         * @return this builder
         * @throws IllegalArgumentException if {@code errorRatio} is not in (0, 1] (or is NaN)
         */
        public Builder errorRatio(double errorRatio) {
            if (!(errorRatio > 0 && errorRatio <= 1)) {
                throw new IllegalArgumentException("errorRatio must be in (0, 1]: " + errorRatio);
            }
            this.errorRatio = errorRatio;
            return this;
        }

        /**
         * The window the ratio is measured over (10 slices); positive. Required.
         *
         * @param responseTime the window; each slice is a tenth of it
         * @return this builder
         * @throws IllegalArgumentException if {@code responseTime} is zero or negative
         * @throws NullPointerException     if {@code responseTime} is null
         */
        public Builder responseTime(Duration responseTime) {
            this.responseTime = Durations.requirePositive("responseTime", responseTime);
            return this;
        }

        /**
         * How long RECOVERING lasts at most; positive. Default: {@code responseTime}.
         *
         * @param recoveryTime the time over which admission rises from none to all
         * @return this builder
         * @throws IllegalArgumentException if {@code recoveryTime} is zero or negative
         * @throws NullPointerException     if {@code recoveryTime} is null
         */
        public Builder recoveryTime(Duration recoveryTime) {
            this.recoveryTime = Durations.requirePositive("recoveryTime", recoveryTime);
            return this;
        }

        /**
         * How long BROKEN lasts; positive. Default: {@code responseTime}.
         *
         * @param brokenTime the time every call is rejected after a break
         * @return this builder
         * @throws IllegalArgumentException if {@code brokenTime} is zero or negative
         * @throws NullPointerException     if {@code brokenTime} is null
         */
        public Builder brokenTime(Duration brokenTime) {
            this.brokenTime = Durations.requirePositive("brokenTime", brokenTime);
            return this;
        }

        /**
         * How long PASSING lasts at least after a recovery; positive. Default: {@code responseTime}.
         *
         * @param passingTime the time the breaker cannot break again after recovering
         * @return this builder
         * @throws IllegalArgumentException if {@code passingTime} is zero or negative
         * @throws NullPointerException     if {@code passingTime} is null
         */
        public Builder passingTime(Duration passingTime) {
            this.passingTime = Durations.requirePositive("passingTime", passingTime);
            return this;
        }

        /**
         * The failures that count; none given means every {@link Exception}. Default: {@code Exception}.
         * Replaces the types set before.
         *
         * @param exceptions the exception types counted (a failure counts when it is an instance of one)
         * @return this builder
         * @throws NullPointerException if {@code exceptions} or one of its elements is null
         */
        @SafeVarargs
        public final Builder exceptions(Class<? extends Throwable>... exceptions) {
            ExceptionTypes types = ExceptionTypes.of("exceptions", exceptions);
            this.exceptions = types.isEmpty() ? ExceptionTypes.of("exceptions", Exception.class) : types;
            return this;
        }

        /**
         * Decides whether a matching failure counts; false ignores it. Default: all count.
         *
         * @param inspector called with each failure that matches {@code exceptions}, on the
         *                  thread that sees the failure (the caller's for {@code call}, the
         *                  completing one for {@code callAsync}); a {@link RuntimeException} it
         *                  throws is logged and the failure counts
         * @return this builder
         * @throws NullPointerException if {@code inspector} is null
         */
        public Builder exceptionInspector(Predicate<Throwable> inspector) {
            this.inspector = Objects.requireNonNull(inspector, "exceptionInspector");
            return this;
        }

        /**
         * Where time comes from. Default: {@link TimeSource#system()}.
         *
         * @param time the clock for slices and state durations (a manual one in tests)
         * @return this builder
         * @throws NullPointerException if {@code time} is null
         */
        public Builder timeSource(TimeSource time) {
            this.time = Objects.requireNonNull(time, "timeSource");
            return this;
        }

        /**
         * The random source of recovery admission. Default: {@link RandomGenerator#getDefault()}.
         *
         * @param random draws the admission of each call while RECOVERING (a seeded one in tests)
         * @return this builder
         * @throws NullPointerException if {@code random} is null
         */
        public Builder random(RandomGenerator random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /**
         * The name of this breaker's statistic in {@link io.aiomisc.stats.Statistics} reports
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
         * A breaker with these settings, PASSING, without history. Does not change the builder, so
         * it can build more.
         *
         * @return a new breaker
         * @throws IllegalStateException if {@code errorRatio} or {@code responseTime} is not set
         */
        public CircuitBreaker build() {
            if (Double.isNaN(errorRatio)) {
                throw new IllegalStateException("errorRatio is required");
            }
            if (responseTime == null) {
                throw new IllegalStateException("responseTime is required");
            }
            return new CircuitBreaker(this);
        }
    }
}
