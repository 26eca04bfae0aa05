package io.aiomisc.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import io.aiomisc.internal.Durations;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Buffers records in memory and hands them to a wrapped appender on a writer thread of its own,
 * so that a logging call costs the caller little and never waits for the output (aiomisc's
 * {@code ThreadedHandler} and {@code wrap_logging_handler}).
 *
 * <pre>{@code
 * BufferedAppender buffered = BufferedAppender.builder(fileAppender)
 *         .bufferSize(1024).flushInterval(Duration.ofMillis(200)).build();
 * buffered.setContext(context);
 * buffered.start();
 * rootLogger.addAppender(buffered);
 * ...
 * buffered.stop();   // writes everything still buffered
 * }</pre>
 *
 * <p><b>Writing.</b> The writer thread (a daemon named {@code aiomisc-log-writer-N}) wakes every
 * {@code flushInterval} (default 200 ms), or at once when {@code bufferSize} records (default 1024)
 * are waiting, and writes everything buffered, then flushes the wrapped appender's stream when it is
 * an {@link OutputStreamAppender}. A record therefore reaches the output at most about one flush
 * interval after it was logged. Each thread's records are written in the order it logged them.
 *
 * <p><b>A full buffer.</b> The buffer holds four times {@code bufferSize} records. When the writer
 * falls that far behind, the {@link OverflowPolicy} decides: by default the caller waits for room
 * up to {@code maxWait} (default 200 ms), then drops its record; no logging call ever throws or waits
 * longer. Dropped records are counted and reported by a WARN record once writing resumes.
 *
 * <p><b>Nothing lost at the end.</b> {@link #stop()} writes every accepted record before it
 * returns (giving up after 10 s if the wrapped appender blocks), then stops the wrapped appender;
 * records logged while it stops are written directly, in order. A JVM shutdown hook stops every
 * buffered appender still running, so records logged before {@code System.exit} are written too.
 *
 * <p>Counters: {@link #statistic()}. Thread-safe.
 */
public final class BufferedAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {
    /** Records waiting that wake the writer at once. */
    public static final int DEFAULT_BUFFER_SIZE = 1024;
    /** The longest time a record waits for the writer. */
    public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofMillis(200);
    /** The longest time a logging call waits for room in a full buffer. */
    public static final Duration DEFAULT_MAX_WAIT = Duration.ofMillis(200);

    private static final long STOP_PATIENCE_NANOS = Duration.ofSeconds(10).toNanos();
    private static final int PROGRESS_EVERY = 64;
    private static final AtomicInteger WRITERS = new AtomicInteger();
    private static final Set<BufferedAppender> RUNNING = ConcurrentHashMap.newKeySet();
    private static final AtomicInteger HOOK = new AtomicInteger();

    private final Appender<ILoggingEvent> downstream;
    private final int bufferSize;
    private final long flushIntervalNanos;
    private final OverflowPolicy overflow;
    private final long maxWaitNanos;
    private final boolean callerData;
    private final ReentrantLock directLock = new ReentrantLock();
    private final ConcurrentLinkedQueue<Thread> waiters = new ConcurrentLinkedQueue<>();
    private final AtomicLong unreportedDrops = new AtomicLong();
    private volatile BufferedAppenderStatistic statistic;
    private volatile RecordBuffer<ILoggingEvent> buffer;
    private volatile Thread writer;
    private volatile boolean sleeping;
    private volatile boolean stopped;
    private volatile long progressNanos;
    private volatile long stuckSinceNanos;

    private BufferedAppender(Builder builder) {
        this.downstream = builder.downstream;
        this.bufferSize = builder.bufferSize;
        this.flushIntervalNanos = builder.flushInterval.toNanos();
        this.overflow = builder.overflow;
        this.maxWaitNanos = builder.maxWait.toNanos();
        this.callerData = builder.callerData;
        setName(builder.name != null ? builder.name : "buffered-" + downstream.getName());
    }

    /**
     * A builder wrapping {@code appender}; the buffered appender owns it from then on (starts it if
     * needed, stops it when stopped).
     */
    public static Builder builder(Appender<ILoggingEvent> appender) {
        return new Builder(Objects.requireNonNull(appender, "appender"));
    }

    /** {@code appender} with the default settings: aiomisc's {@code wrap_logging_handler}. */
    public static BufferedAppender wrap(Appender<ILoggingEvent> appender) {
        return builder(appender).build();
    }

    /** The wrapped appender. */
    public Appender<ILoggingEvent> downstream() {
        return downstream;
    }

    /** This appender's counters, registered with {@code io.aiomisc.stats.Statistics} from start. */
    public BufferedAppenderStatistic statistic() {
        BufferedAppenderStatistic current = statistic;
        if (current == null) {
            throw new IllegalStateException(getName() + " was never started");
        }
        return current;
    }

    @Override
    public void start() {
        if (isStarted()) {
            return;
        }
        if (downstream.getContext() == null) {
            downstream.setContext(getContext());
        }
        if (!downstream.isStarted()) {
            downstream.start();
        }
        if (statistic == null) {
            statistic = new BufferedAppenderStatistic(getName());
        }
        buffer = new RecordBuffer<>(Math.multiplyExact(bufferSize, 4));
        stopped = false;
        progressNanos = System.nanoTime();
        stuckSinceNanos = 0;
        Thread thread = Thread.ofPlatform()
                .daemon()
                .name("aiomisc-log-writer-" + WRITERS.incrementAndGet())
                .unstarted(new WriteLoop(this));
        writer = thread;
        super.start();
        thread.start();
        RUNNING.add(this);
        installShutdownHook();
    }

    @Override
    public void doAppend(ILoggingEvent event) {
        if (stopped) {
            appendDirectly(event); // stopping or stopped: written at once, after the buffered ones
            return;
        }
        super.doAppend(event);
    }

    @Override
    protected void append(ILoggingEvent event) {
        RecordBuffer<ILoggingEvent> records = buffer;
        if ((overflow == OverflowPolicy.DROP || isStuck()) && records.isFull()) {
            drop(); // before the costly part: formatting, the MDC copy, the caller's location
            return;
        }
        event.prepareForDeferredProcessing();
        if (callerData) {
            Callers.capture(event);
        }
        long waiting = records.offer(event);
        if (waiting == 0) {
            waiting = waitForRoom(records, event);
            if (waiting == 0) {
                return; // dropped
            }
        }
        if (waiting < 0) {
            appendDirectly(event);
            return;
        }
        statistic.records.increment();
        if (waiting >= bufferSize && sleeping) {
            LockSupport.unpark(writer);
        }
    }

    /** The full-buffer policy: the result of a successful offer, or 0 if the record was dropped. */
    private long waitForRoom(RecordBuffer<ILoggingEvent> records, ILoggingEvent event) {
        if (overflow == OverflowPolicy.DROP || isStuck()) {
            return drop();
        }
        statistic.waits.increment();
        Thread self = Thread.currentThread();
        long deadline = System.nanoTime() + maxWaitNanos;
        waiters.add(self);
        try {
            while (true) {
                LockSupport.unpark(writer);
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    stuckSinceNanos = System.nanoTime();
                    return drop();
                }
                LockSupport.parkNanos(this, Math.min(left, 1_000_000));
                long waiting = records.offer(event);
                if (waiting != 0) {
                    return waiting;
                }
            }
        } finally {
            waiters.remove(self);
        }
    }

    /** True while the writer has made no progress since a caller last waited for it in vain. */
    private boolean isStuck() {
        long stuckSince = stuckSinceNanos;
        return stuckSince != 0 && progressNanos - stuckSince <= 0;
    }

    private long drop() {
        statistic.dropped.increment();
        unreportedDrops.incrementAndGet();
        return 0;
    }

    /** Writes {@code event} on the calling thread (once stopping: nothing may stay in the buffer). */
    private void appendDirectly(ILoggingEvent event) {
        directLock.lock();
        try {
            if (downstream.isStarted()) {
                downstream.doAppend(event);
                flushDownstream();
            } else {
                statistic().dropped.increment();
                addWarn("a record logged after " + getName() + " stopped was dropped");
            }
        } finally {
            directLock.unlock();
        }
    }

    private void writeLoop() {
        RecordBuffer<ILoggingEvent> records = buffer;
        while (true) {
            int written = drain(records);
            if (records.drained()) {
                return;
            }
            if (written > 0) {
                continue; // more may have come in meanwhile
            }
            sleeping = true;
            if (records.size() < bufferSize && !records.isClosed()) {
                LockSupport.parkNanos(this, flushIntervalNanos);
            }
            sleeping = false;
        }
    }

    /** Writes what is buffered; returns how many records were written. */
    private int drain(RecordBuffer<ILoggingEvent> records) {
        int written = 0;
        for (ILoggingEvent event; (event = records.poll()) != null; ) {
            write(event);
            if (++written % PROGRESS_EVERY == 0) {
                progress();
            }
        }
        if (written > 0) {
            reportDrops();
            flushDownstream();
            statistic.flushes.increment();
            progress();
        }
        return written;
    }

    private void write(ILoggingEvent event) {
        try {
            downstream.doAppend(event);
        } catch (RuntimeException e) {
            statistic.errors.increment();
            addError("the appender " + downstream.getName() + " failed to write a record", e);
        }
    }

    /** Marks progress and wakes the callers waiting for room. */
    private void progress() {
        progressNanos = System.nanoTime();
        for (Thread waiter : waiters) {
            LockSupport.unpark(waiter);
        }
    }

    private void reportDrops() {
        long drops = unreportedDrops.getAndSet(0);
        if (drops > 0 && getContext() instanceof LoggerContext context) {
            LoggingEvent warning = new LoggingEvent(
                    BufferedAppender.class.getName(),
                    context.getLogger("io.aiomisc.log"),
                    Level.WARN,
                    "{} log records were dropped: the log buffer of {} was full",
                    null,
                    new Object[] {drops, getName()});
            warning.prepareForDeferredProcessing();
            write(warning);
        }
    }

    private void flushDownstream() {
        if (downstream instanceof OutputStreamAppender<?> stream && stream.getOutputStream() != null) {
            try {
                stream.getOutputStream().flush();
            } catch (IOException e) {
                statistic.errors.increment();
                addError("cannot flush " + downstream.getName(), e);
            }
        }
    }

    /**
     * Writes every record accepted so far, then stops the writer thread and the wrapped appender.
     * Records logged meanwhile are written directly, after the buffered ones. Waits at most 10 s
     * for a wrapped appender that blocks. Idempotent.
     */
    @Override
    public void stop() {
        stop(true);
    }

    /**
     * Like {@link #stop()}, but leaves the wrapped appender started: for a configuration that
     * hands it on to another buffered appender.
     */
    void stopKeepingDownstream() {
        stop(false);
    }

    private void stop(boolean stopDownstream) {
        if (!isStarted()) {
            return;
        }
        unbuffer();
        directLock.lock();
        try {
            if (!isStarted()) {
                return;
            }
            super.stop();
            if (stopDownstream) {
                downstream.stop();
            }
            RUNNING.remove(this);
        } finally {
            directLock.unlock();
        }
    }

    /**
     * Writes every record accepted so far and ends the writer thread; from then on each record is
     * written on the thread that logs it, after the buffered ones, and the wrapped appender stays
     * started (what an entrypoint leaves behind when it closes). Waits at most 10 s for a wrapped
     * appender that blocks. Idempotent.
     */
    void unbuffer() {
        directLock.lock();
        try {
            if (stopped || !isStarted()) {
                return;
            }
            stopped = true;
            RecordBuffer<ILoggingEvent> records = buffer;
            records.close();
            Thread thread = writer;
            LockSupport.unpark(thread);
            long deadline = System.nanoTime() + STOP_PATIENCE_NANOS;
            boolean interrupted = false;
            while (thread.isAlive()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    addError(getName() + ": the writer did not finish within 10 s; " + records.size()
                            + " records could not be written");
                    break;
                }
                try {
                    thread.join(Duration.ofNanos(Math.min(left, 50_000_000)));
                } catch (InterruptedException e) {
                    interrupted = true;
                }
                LockSupport.unpark(thread);
            }
            reportDrops();
            flushDownstream();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        } finally {
            directLock.unlock();
        }
    }

    /** True until {@link #stop()} or {@link #unbuffer()}: records go through the writer thread. */
    public boolean isBuffering() {
        return isStarted() && !stopped;
    }

    private static void installShutdownHook() {
        if (HOOK.compareAndSet(0, 1)) {
            Runtime.getRuntime().addShutdownHook(new Thread(new StopAll(), "aiomisc-log-shutdown"));
        }
    }

    // The two Runnables below are classes, not lambdas, because they run at every program's
    // start: a lambda is a class spun at run time, which costs a cold JVM a millisecond or two.

    /** The writer thread's body. */
    private static final class WriteLoop implements Runnable {
        private final BufferedAppender appender;

        WriteLoop(BufferedAppender appender) {
            this.appender = appender;
        }

        @Override
        public void run() {
            appender.writeLoop();
        }
    }

    /** The shutdown hook: stops every running appender, which writes what it holds. */
    private static final class StopAll implements Runnable {
        @Override
        public void run() {
            for (BufferedAppender appender : RUNNING) {
                appender.stop();
            }
        }
    }

    /** Options of a {@link BufferedAppender}; not thread-safe. */
    public static final class Builder {
        private final Appender<ILoggingEvent> downstream;
        private int bufferSize = DEFAULT_BUFFER_SIZE;
        private Duration flushInterval = DEFAULT_FLUSH_INTERVAL;
        private OverflowPolicy overflow = OverflowPolicy.WAIT;
        private Duration maxWait = DEFAULT_MAX_WAIT;
        private boolean callerData;
        private String name;

        private Builder(Appender<ILoggingEvent> downstream) {
            this.downstream = downstream;
        }

        /**
         * Records waiting that wake the writer before the flush interval is up; the buffer holds four
         * times as many. Default 1024.
         *
         * @throws IllegalArgumentException if not in 1..2^28
         */
        public Builder bufferSize(int bufferSize) {
            this.bufferSize = requireBufferSize("bufferSize", bufferSize);
            return this;
        }

        /**
         * The longest time a record waits before the writer writes it. Default 200 ms.
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder flushInterval(Duration flushInterval) {
            this.flushInterval = Durations.requirePositive("flushInterval", flushInterval);
            return this;
        }

        /** What a logging call does when the buffer is full. Default {@link OverflowPolicy#WAIT}. */
        public Builder overflow(OverflowPolicy overflow) {
            this.overflow = Objects.requireNonNull(overflow, "overflow");
            return this;
        }

        /**
         * With {@link OverflowPolicy#WAIT}, the longest a logging call waits for room. Default 200 ms.
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder maxWait(Duration maxWait) {
            this.maxWait = Durations.requireNonNegative("maxWait", maxWait);
            return this;
        }

        /**
         * Whether to record each call's source location on the calling thread, for wrapped
         * appenders whose output shows it (file and line). Default false.
         */
        public Builder callerData(boolean callerData) {
            this.callerData = callerData;
            return this;
        }

        /** The appender's name (and its statistic's). Default {@code buffered-<wrapped name>}. */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        public BufferedAppender build() {
            return new BufferedAppender(this);
        }
    }

    /**
     * Returns {@code bufferSize}.
     *
     * @throws IllegalArgumentException naming {@code parameter} and the value if not in 1..2^28
     */
    static int requireBufferSize(String parameter, int bufferSize) {
        if (bufferSize < 1 || bufferSize > 1 << 28) {
            throw new IllegalArgumentException(parameter + " must be in 1..268435456: " + bufferSize);
        }
        return bufferSize;
    }
}
