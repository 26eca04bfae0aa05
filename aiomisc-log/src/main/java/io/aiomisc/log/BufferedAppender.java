package io.aiomisc.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import io.aiomisc.internal.Durations;
import io.aiomisc.plugin.LogSettings;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
 * <p><b>Writing.</b> The writer thread (a daemon named {@code aiomisc-log-writer-N}) waits
 * {@code flushInterval} (default 200 ms), or less when {@code bufferSize} records (default 1024)
 * are waiting, and writes everything buffered, then flushes the wrapped appender's stream when it is
 * an {@link OutputStreamAppender}; then it waits again. It never writes before one of the two
 * (or a stop) has happened, also when it starts late on a busy machine. A record therefore reaches
 * the output at most about one flush interval after it was logged. Each thread's records are
 * written in the order it logged them.
 *
 * <p><b>A full buffer.</b> The buffer holds four times {@code bufferSize} records. When the writer
 * falls that far behind, the {@link OverflowPolicy} decides: by default the caller waits for room
 * up to {@code maxWait} (default 200 ms), then drops its record; no logging call ever throws or waits
 * longer. Dropped records are counted and reported by a WARN record once writing resumes.
 *
 * <p><b>Nothing lost at the end.</b> {@link #stop()} writes every accepted record before it
 * returns, then stops the wrapped appender; records logged while it stops are written directly, in
 * order. A JVM shutdown hook stops every buffered appender still running, so records logged before
 * {@code System.exit} are written too.
 *
 * <p><b>A stuck or dead output.</b> Stopping (and {@code unbuffer}, what an entrypoint's
 * {@code close()} does) waits at most 10 s for the writer: when the output blocks for good (a
 * stderr pipe nobody reads), it gives up, counts the records still buffered as {@code dropped}, and
 * leaves the stuck writer behind. Until that writer gets out of its write, records logged are
 * dropped and counted instead of written (writing them would block on the same output), and the
 * wrapped appender is not stopped (that too would block). A dead output (standard error closed, its
 * pipe's reader gone: a {@link PrintStream} swallows those errors) is detected after each batch and
 * its records are counted as {@code errors}. Either trouble is said once, on the other standard
 * stream (standard output when the output is standard error, standard error otherwise), from a
 * daemon thread so that nothing waits for it, and in Logback's status.
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
    private final ThreadFactory threads;
    private final AtomicBoolean told = new AtomicBoolean();
    private final ReentrantLock directLock = new ReentrantLock();
    private final ConcurrentLinkedQueue<Thread> waiters = new ConcurrentLinkedQueue<>();
    private final AtomicLong unreportedDrops = new AtomicLong();
    private volatile BufferedAppenderStatistic statistic;
    private volatile RecordBuffer<ILoggingEvent> buffer;
    private volatile Thread writer;
    private volatile boolean sleeping;
    private volatile boolean stopped;
    private volatile boolean abandoned; // a stop gave up on the writer: what it still holds is counted as dropped
    private volatile long progressNanos;
    private volatile long stuckSinceNanos;

    private BufferedAppender(Builder builder) {
        this.downstream = builder.downstream;
        this.bufferSize = builder.bufferSize;
        this.flushIntervalNanos = builder.flushInterval.toNanos();
        this.overflow = builder.overflow;
        this.maxWaitNanos = builder.maxWait.toNanos();
        this.callerData = builder.callerData;
        this.threads = builder.threads;
        setName(builder.name != null ? builder.name : "buffered-" + downstream.getName());
    }

    /**
     * A builder wrapping {@code appender}; the buffered appender owns it from then on (starts it if
     * needed, stops it when stopped).
     *
     * @param appender the appender the writer thread hands records to
     * @return a new builder with the defaults, for one thread
     * @throws NullPointerException if {@code appender} is null
     */
    public static Builder builder(Appender<ILoggingEvent> appender) {
        return new Builder(Objects.requireNonNull(appender, "appender"));
    }

    /**
     * {@code appender} with the default settings: aiomisc's {@code wrap_logging_handler}. The
     * result is not started.
     *
     * @param appender the appender to wrap; owned by the result from then on
     * @return a new, unstarted buffered appender
     * @throws NullPointerException if {@code appender} is null
     */
    public static BufferedAppender wrap(Appender<ILoggingEvent> appender) {
        return builder(appender).build();
    }

    /**
     * The wrapped appender.
     *
     * @return the appender given to {@link #builder(Appender)}
     */
    public Appender<ILoggingEvent> downstream() {
        return downstream;
    }

    /**
     * This appender's counters, registered with {@code io.aiomisc.stats.Statistics} from start.
     * The same instance across restarts.
     *
     * @return the counters
     * @throws IllegalStateException if this appender was never started
     */
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
        abandoned = false;
        progressNanos = System.nanoTime();
        stuckSinceNanos = 0;
        Thread thread = threads != null
                ? threads.newThread(new WriteLoop(this))
                : Thread.ofPlatform()
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
            if (writer.isAlive()) {
                drop(); // a stop gave up on a writer stuck in the output: writing would block as well
            } else if (downstream.isStarted()) {
                downstream.doAppend(event);
                flushDownstream(1);
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
            awaitWork(records);
            drain(records);
            if (records.drained()) {
                // The last words on this thread, not on the stopping one: a stop waits for this
                // thread at most 10 s and must never wait for the output itself.
                if (reportDrops()) {
                    flushDownstream(1);
                }
                return;
            }
        }
    }

    /**
     * Waits until the flush interval is up, {@code bufferSize} records wait, a caller waits for
     * room or the buffer is closed, whichever comes first. Checks before each park, so a wake-up
     * (a producer's unpark, a spurious one) never makes the writer write early.
     */
    private void awaitWork(RecordBuffer<ILoggingEvent> records) {
        long due = System.nanoTime() + flushIntervalNanos;
        sleeping = true; // before the size check: a producer that misses it sees this and unparks
        try {
            while (records.size() < bufferSize && !records.isClosed() && waiters.isEmpty()) {
                long left = due - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                LockSupport.parkNanos(this, left);
            }
        } finally {
            sleeping = false;
        }
    }

    /** Writes what is buffered; returns how many records were written. */
    private int drain(RecordBuffer<ILoggingEvent> records) {
        int written = 0;
        for (ILoggingEvent event; (event = records.poll()) != null; ) {
            if (abandoned) {
                continue; // already counted as dropped when the stop gave up: not written late, out of order
            }
            write(event);
            if (++written % PROGRESS_EVERY == 0) {
                progress();
            }
        }
        if (written > 0) {
            if (reportDrops()) {
                written++;
            }
            flushDownstream(written);
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

    /** Writes a WARN record about the records dropped since the last one; true if it wrote one. */
    private boolean reportDrops() {
        long drops = unreportedDrops.getAndSet(0);
        if (drops > 0 && getContext() instanceof LoggerContext context) {
            LoggingEvent warning = new LoggingEvent(
                    BufferedAppender.class.getName(),
                    context.getLogger("io.aiomisc.log"),
                    Level.WARN,
                    "{} log records were dropped: the log buffer of {} was full or its output blocked",
                    null,
                    new Object[] {drops, getName()});
            warning.prepareForDeferredProcessing();
            write(warning);
            return true;
        }
        return false;
    }

    /**
     * Flushes the wrapped appender's stream after {@code written} records; if the stream is dead,
     * counts them as errors and says so once.
     */
    private void flushDownstream(int written) {
        if (!(downstream instanceof OutputStreamAppender<?> stream)) {
            return;
        }
        OutputStream out = stream.getOutputStream();
        if (out == null) {
            return;
        }
        try {
            out.flush();
        } catch (IOException e) {
            statistic.errors.add(written);
            addError("cannot flush " + downstream.getName(), e);
            return;
        }
        if (out instanceof LogOutput output && output.failed()) {
            statistic.errors.add(written);
            if (told.compareAndSet(false, true)) {
                String message = "aiomisc-log: cannot write to " + output.name() + " (closed, or its reader is gone): "
                        + "log records are lost; " + getName() + " counts them as errors";
                addError(message);
                tell(output.fallback(), message);
            }
        }
    }

    /**
     * Prints {@code message} on {@code stream} from a daemon thread of its own: the stream may block
     * too, and whoever says it must not wait.
     */
    private static void tell(PrintStream stream, String message) {
        if (stream != null) {
            Thread.ofPlatform().daemon().name("aiomisc-log-notice").start(new Tell(stream, message));
        }
    }

    /**
     * Writes every record accepted so far, then stops the writer thread and the wrapped appender.
     * Records logged meanwhile are written directly, after the buffered ones. Idempotent.
     *
     * <p><b>Blocks</b> until the writer has written everything, at most 10 s: a writer stuck in
     * its output is then given up (the records it still holds are counted as {@code dropped}, and
     * the wrapped appender is left started, since stopping it would block on the same output).
     * <b>Interrupt:</b> does not cut the wait short; the interrupt status is set again on return.
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
        if (!lockDirect()) {
            return;
        }
        try {
            if (!isStarted()) {
                return;
            }
            super.stop();
            if (stopDownstream && !writer.isAlive()) { // a stuck writer holds the output's lock
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
     * started (what an entrypoint leaves behind when it closes). Idempotent.
     *
     * <p><b>Blocks</b> until the writer has written and flushed everything, at most 10 s; then
     * gives up on a writer stuck in its output: the records still buffered are counted as
     * {@code dropped}, said once (Logback's status and the other standard stream), and records
     * logged while that writer stays stuck are dropped and counted too. The calling thread itself
     * never writes to the output here, so it cannot block on it. <b>Interrupt:</b> does not cut the
     * wait short; the interrupt status is set again on return.
     */
    void unbuffer() {
        if (!lockDirect()) {
            return;
        }
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
                    giveUp(records.size());
                    break;
                }
                try {
                    thread.join(Duration.ofNanos(Math.min(left, 50_000_000)));
                } catch (InterruptedException e) {
                    interrupted = true;
                }
                LockSupport.unpark(thread);
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        } finally {
            directLock.unlock();
        }
    }

    /**
     * Takes the lock of direct writing for a stop, waiting at most 10 s: a thread that writes a
     * record directly to an output that has become stuck holds it for good. False (reported) if
     * it could not; an interrupt does not cut the wait short and is set again.
     */
    private boolean lockDirect() {
        long deadline = System.nanoTime() + STOP_PATIENCE_NANOS;
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    if (directLock.tryLock(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                        return true;
                    }
                    addError(getName() + ": a record written directly has blocked the output for 10 s; not stopping");
                    return false;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The writer did not finish within the stop's patience: counts and says what is left behind. */
    private void giveUp(int unwritten) {
        abandoned = true;
        statistic.dropped.add(unwritten);
        unreportedDrops.addAndGet(unwritten); // reported by the writer if its output ever takes writes again
        String message = "aiomisc-log: " + getName() + " could not write to "
                + (downstream instanceof OutputStreamAppender<?> stream
                                && stream.getOutputStream() instanceof LogOutput output
                        ? output.name()
                        : downstream.getName())
                + " for 10 s (blocked): " + unwritten + " buffered records are given up, and records are dropped "
                + "(counted in its statistic) until the output takes writes again";
        addError(message);
        if (told.compareAndSet(false, true)) {
            tell(
                    downstream instanceof OutputStreamAppender<?> stream
                                    && stream.getOutputStream() instanceof LogOutput output
                            ? output.fallback()
                            : System.err,
                    message);
        }
    }

    /**
     * True until {@link #stop()} or {@link #unbuffer()}: records go through the writer thread.
     *
     * @return whether records are buffered now
     */
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

    /** Prints a notice (see {@link #tell}). */
    private static final class Tell implements Runnable {
        private final PrintStream stream;
        private final String message;

        Tell(PrintStream stream, String message) {
            this.stream = stream;
            this.message = message;
        }

        @Override
        public void run() {
            stream.println(message);
            stream.flush();
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
        private ThreadFactory threads;

        private Builder(Appender<ILoggingEvent> downstream) {
            this.downstream = downstream;
        }

        /**
         * Records waiting that wake the writer before the flush interval is up; the buffer holds four
         * times as many. Default 1024.
         *
         * @param bufferSize the number of records
         * @return this builder
         * @throws IllegalArgumentException if not in 1..{@link LogSettings#MAX_BUFFER_SIZE} (1,048,576)
         */
        public Builder bufferSize(int bufferSize) {
            this.bufferSize = LogSettings.requireBufferSize("bufferSize", bufferSize);
            return this;
        }

        /**
         * The longest time a record waits before the writer writes it. Default 200 ms.
         *
         * @param flushInterval the interval
         * @return this builder
         * @throws NullPointerException     if {@code flushInterval} is null
         * @throws IllegalArgumentException if not positive
         */
        public Builder flushInterval(Duration flushInterval) {
            this.flushInterval = Durations.requirePositive("flushInterval", flushInterval);
            return this;
        }

        /**
         * What a logging call does when the buffer is full. Default {@link OverflowPolicy#WAIT}.
         *
         * @param overflow the policy
         * @return this builder
         * @throws NullPointerException if {@code overflow} is null
         */
        public Builder overflow(OverflowPolicy overflow) {
            this.overflow = Objects.requireNonNull(overflow, "overflow");
            return this;
        }

        /**
         * With {@link OverflowPolicy#WAIT}, the longest a logging call waits for room. Default 200 ms.
         *
         * @param maxWait the wait; zero drops at once
         * @return this builder
         * @throws NullPointerException     if {@code maxWait} is null
         * @throws IllegalArgumentException if negative
         */
        public Builder maxWait(Duration maxWait) {
            this.maxWait = Durations.requireNonNegative("maxWait", maxWait);
            return this;
        }

        /**
         * Whether to record each call's source location on the calling thread, for wrapped
         * appenders whose output shows it (file and line). Default false.
         *
         * @param callerData true to capture the caller's location
         * @return this builder
         */
        public Builder callerData(boolean callerData) {
            this.callerData = callerData;
            return this;
        }

        /**
         * The appender's name (and its statistic's). Default {@code buffered-<wrapped name>}.
         *
         * @param name the name
         * @return this builder
         * @throws NullPointerException if {@code name} is null
         */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /** Tests: makes the writer thread (not started); default a daemon platform thread. */
        Builder threadFactory(ThreadFactory threads) {
            this.threads = Objects.requireNonNull(threads, "threads");
            return this;
        }

        /**
         * Builds the appender; it still needs a context and {@link BufferedAppender#start()}, which
         * starts the writer thread.
         *
         * @return a new, unstarted buffered appender
         */
        public BufferedAppender build() {
            return new BufferedAppender(this);
        }
    }
}
