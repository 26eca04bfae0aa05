package io.aiomisc.resilience;

import io.aiomisc.internal.Durations;
import io.aiomisc.internal.RunnableTask;
import io.aiomisc.stats.CircuitBreakerStatistic;
import io.aiomisc.time.TimeSource;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
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
 * <p>Thread-safe: the success path of a call takes no lock.
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

    private final ReentrantLock lock = new ReentrantLock();
    private final Bucket[] history = new Bucket[BUCKET_COUNT]; // guarded by lock; ring, newest at `newest`
    private int newest = -1; // guarded by lock
    private volatile int historySize; // written under lock
    private volatile Bucket current; // the newest bucket, read without the lock
    private volatile CircuitBreakerState state = CircuitBreakerState.PASSING; // written under lock
    private volatile long stuckUntil = Long.MIN_VALUE; // written under lock
    private volatile long recoveryAt; // written under lock
    private volatile Throwable lastFailure;

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

    private CircuitBreaker(Builder builder) {
        this.errorRatio = builder.errorRatio;
        this.responseNanos = Durations.toNanos(builder.responseTime);
        this.bucketNanos = Math.max(1, responseNanos / BUCKET_COUNT);
        this.passingNanos = Durations.toNanos(builder.passingTime != null ? builder.passingTime : builder.responseTime);
        this.brokenNanos = Durations.toNanos(builder.brokenTime != null ? builder.brokenTime : builder.responseTime);
        this.recoveryNanos = Durations.toNanos(builder.recoveryTime != null ? builder.recoveryTime : builder.responseTime);
        this.exceptions = builder.exceptions;
        this.inspector = builder.inspector;
        this.time = builder.time;
        this.random = builder.random;
        this.statistic = new CircuitBreakerStatistic(builder.statisticName, this::recoveryRatio);
        this.statistic.errorRatioThreshold.set(errorRatio);
    }

    /** A builder; {@code errorRatio} and {@code responseTime} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Makes the call, or rejects it, as the class description says.
     *
     * @throws CircuitBroken if the breaker rejects the call
     * @throws Exception     the call's own exception, as is
     */
    public <T> T call(Callable<T> callable) throws Exception {
        Objects.requireNonNull(callable, "callable");
        long now = time.nanoTime();
        Bucket bucket = bucket(now);
        switch (computeState(now, bucket)) {
            case PASSING -> statistic.callPassing.increment();
            case BROKEN -> {
                statistic.callBroken.increment();
                throw new CircuitBroken(lastFailure);
            }
            case RECOVERING -> {
                statistic.callRecovering.increment();
                double elapsed = (double) (now - recoveryAt) / recoveryNanos;
                if (!(random.nextDouble() + 1 < Math.pow(2, elapsed))) {
                    statistic.callRecoveringFailed.increment();
                    throw new CircuitBroken(lastFailure);
                }
                statistic.callRecoveringOk.increment();
            }
        }
        try {
            T result = callable.call();
            if (lastFailure != null) {
                lastFailure = null;
            }
            return result;
        } catch (Throwable failure) {
            if (exceptions.matches(failure)) {
                lastFailure = failure;
                if (inspect(failure)) {
                    bucket.failures.increment();
                }
            }
            throw RunnableTask.rethrowable(failure);
        } finally {
            bucket.total.increment();
        }
    }

    /** {@code callable} guarded by this breaker: the decorator style. */
    public <T> Callable<T> wrap(Callable<T> callable) {
        Objects.requireNonNull(callable, "callable");
        return () -> call(callable);
    }

    /** The state now (computing a due transition first, as a call would). */
    public CircuitBreakerState state() {
        long now = time.nanoTime();
        return computeState(now, bucket(now));
    }

    /**
     * The share of bad time slices among those of the last {@code responseTime}, between 0 and 1;
     * 0 without history.
     */
    public double recoveryRatio() {
        lock.lock();
        try {
            return ratio(Math.floorDiv(time.nanoTime(), bucketNanos));
        } finally {
            lock.unlock();
        }
    }

    /** How long the current state is held at least (aiomisc's {@code get_state_delay}); zero if not. */
    public Duration stateDelay() {
        return Duration.ofNanos(Math.max(0, stuckUntil - time.nanoTime()));
    }

    /** The last counted failure, or null after a success. */
    public Throwable lastFailure() {
        return lastFailure;
    }

    public double errorRatio() {
        return errorRatio;
    }

    public Duration responseTime() {
        return Duration.ofNanos(responseNanos);
    }

    /** This breaker's counters. */
    public CircuitBreakerStatistic statistic() {
        return statistic;
    }

    private Bucket bucket(long now) {
        long id = Math.floorDiv(now, bucketNanos);
        Bucket bucket = current;
        if (bucket != null && bucket.id == id) {
            return bucket;
        }
        lock.lock();
        try {
            bucket = current;
            if (bucket != null && bucket.id >= id) {
                return bucket;
            }
            bucket = new Bucket(id);
            newest = (newest + 1) % BUCKET_COUNT;
            history[newest] = bucket;
            if (historySize < BUCKET_COUNT) {
                historySize++;
            }
            current = bucket;
            return bucket;
        } finally {
            lock.unlock();
        }
    }

    private CircuitBreakerState computeState(long now, Bucket bucket) {
        CircuitBreakerState observed = state;
        if (now < stuckUntil) {
            return observed;
        }
        if (observed == CircuitBreakerState.PASSING
                && (historySize < BUCKET_COUNT || !bucket.isBad(errorRatio))) {
            // with the current slice not bad, not every slice of the window is bad
            return observed;
        }
        lock.lock();
        try {
            if (now < stuckUntil) {
                return state;
            }
            switch (state) {
                case BROKEN -> {
                    state = CircuitBreakerState.RECOVERING;
                    recoveryAt = now;
                }
                case PASSING -> {
                    if (historySize >= BUCKET_COUNT && ratio(bucket.id) >= PASSING_BROKEN_THRESHOLD) {
                        breakCircuit(now);
                    }
                }
                case RECOVERING -> {
                    if (ratio(bucket.id) >= RECOVER_BROKEN_THRESHOLD * errorRatio) {
                        breakCircuit(now);
                    } else if (now - recoveryAt >= recoveryNanos) {
                        state = CircuitBreakerState.PASSING;
                        stuckUntil = now + passingNanos;
                    }
                }
            }
            return state;
        } finally {
            lock.unlock();
        }
    }

    /** Share of bad buckets among the history buckets of the window ending at {@code currentId}; under the lock. */
    private double ratio(long currentId) {
        int inWindow = 0;
        int bad = 0;
        for (int i = 0; i < historySize; i++) {
            Bucket bucket = history[Math.floorMod(newest - i, BUCKET_COUNT)];
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

    private void breakCircuit(long now) {
        state = CircuitBreakerState.BROKEN;
        stuckUntil = now + brokenNanos;
        java.util.Arrays.fill(history, null);
        historySize = 0;
        newest = -1;
        current = null;
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
        return "CircuitBreaker[state=" + state + ", errorRatio=" + errorRatio + ", responseTime="
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

        private Builder() {
        }

        /** The share of failed calls that makes a time slice bad; in (0, 1]. Required. */
        public Builder errorRatio(double errorRatio) {
            if (!(errorRatio > 0 && errorRatio <= 1)) {
                throw new IllegalArgumentException("errorRatio must be in (0, 1]: " + errorRatio);
            }
            this.errorRatio = errorRatio;
            return this;
        }

        /** The window the ratio is measured over (10 slices); positive. Required. */
        public Builder responseTime(Duration responseTime) {
            this.responseTime = Durations.requirePositive("responseTime", responseTime);
            return this;
        }

        /** How long RECOVERING lasts at most; positive. Default: {@code responseTime}. */
        public Builder recoveryTime(Duration recoveryTime) {
            this.recoveryTime = Durations.requirePositive("recoveryTime", recoveryTime);
            return this;
        }

        /** How long BROKEN lasts; positive. Default: {@code responseTime}. */
        public Builder brokenTime(Duration brokenTime) {
            this.brokenTime = Durations.requirePositive("brokenTime", brokenTime);
            return this;
        }

        /** How long PASSING lasts at least after a recovery; positive. Default: {@code responseTime}. */
        public Builder passingTime(Duration passingTime) {
            this.passingTime = Durations.requirePositive("passingTime", passingTime);
            return this;
        }

        /** The failures that count; none given means every {@link Exception}. Default: {@code Exception}. */
        @SafeVarargs
        public final Builder exceptions(Class<? extends Throwable>... exceptions) {
            ExceptionTypes types = ExceptionTypes.of("exceptions", exceptions);
            this.exceptions = types.isEmpty() ? ExceptionTypes.of("exceptions", Exception.class) : types;
            return this;
        }

        /** Decides whether a matching failure counts; false ignores it. Default: all count. */
        public Builder exceptionInspector(Predicate<Throwable> inspector) {
            this.inspector = Objects.requireNonNull(inspector, "exceptionInspector");
            return this;
        }

        /** Where time comes from. Default: {@link TimeSource#system()}. */
        public Builder timeSource(TimeSource time) {
            this.time = Objects.requireNonNull(time, "timeSource");
            return this;
        }

        /** The random source of recovery admission. */
        public Builder random(RandomGenerator random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /** The name of this breaker's statistic. Default: none. */
        public Builder statisticName(String statisticName) {
            this.statisticName = Objects.requireNonNull(statisticName, "statisticName");
            return this;
        }

        /**
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
