package io.aiomisc.thread;

import io.aiomisc.internal.ExecutionContext;
import io.aiomisc.internal.RunnableTask;
import io.aiomisc.internal.TaskLauncher;
import java.time.Duration;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Iterates, on the consumer's thread, over items a {@link Generator} produces on another thread:
 * aiomisc's {@code IteratorWrapper}, what {@code Threaded.threadedIterable} returns.
 *
 * <pre>{@code
 * try (IteratorWrapper<String> lines = Threaded.threadedIterable(64, emitter -> readLines(emitter))) {
 *     for (String line : lines) {
 *         if (line.isEmpty()) break;            // closing stops the producer
 *         handle(line);
 *     }
 * }
 * }</pre>
 *
 * <ul>
 * <li><b>Lazy.</b> The producer starts on the first {@link #hasNext()} or {@link #next()}. It runs
 * with the context (entrypoint, MDC, {@link ContextVar}s) of the thread that created the wrapper.</li>
 * <li><b>Back-pressure.</b> Items pass through a buffer of {@code maxSize} items; the producer's
 * {@code emit} blocks while it is full, so the producer is never more than {@code maxSize} items
 * ahead. {@code maxSize} 0 means unbounded (no back-pressure).</li>
 * <li><b>Failures.</b> An exception thrown by the generator is delivered after the items it
 * emitted before: {@code hasNext()}/{@code next()} throw it if it is unchecked, or a
 * {@link CompletionException} caused by it; every later call throws it again.</li>
 * <li><b>Closing.</b> {@link #close()} (try-with-resources, or {@code stream().close()}) discards
 * buffered items, makes the producer's next or pending {@code emit} throw
 * {@link IteratorClosedException}, interrupts the producer's thread, and waits up to
 * {@link #CLOSE_TIMEOUT} for the generator to return, so its {@code finally} blocks have run when
 * {@code close()} returns. Idempotent. Nothing here polls or spins.</li>
 * </ul>
 *
 * <p>One consumer: {@link #iterator()} returns this object, so it can be iterated once. The
 * consumer's methods may be called from any one thread at a time; {@code close()} from any
 * thread. If the consumer is interrupted while waiting for an item, the wrapper is closed and
 * {@link CancellationException} is thrown, with the interrupt status kept.
 *
 * @param <T> the item type
 */
public final class IteratorWrapper<T> implements Iterator<T>, Iterable<T>, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(IteratorWrapper.class);

    /** How long {@link #close()} waits for the generator to return. */
    public static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final int maxSize;
    private final Executor executor;
    private final Generator<T> generator;
    private final ExecutionContext context;

    private final SpscChannel channel;
    private final ReentrantLock lock = new ReentrantLock(); // start and close bookkeeping
    private boolean started; // guarded by lock
    private RunnableTask<Void> producer; // guarded by lock
    private volatile boolean finished; // the generator returned or threw
    private volatile Throwable failure; // written before finished
    private Object peeked = SpscChannel.EMPTY; // consumer's thread only
    private boolean consumerStarted; // consumer's thread only

    /**
     * A wrapper whose generator runs on {@code executor} once iteration begins.
     *
     * @param maxSize   the buffer size; 0 for unbounded
     * @param executor  where the generator runs (it occupies one of its threads until it returns)
     * @param generator the producer
     * @throws IllegalArgumentException if {@code maxSize} is negative
     */
    public IteratorWrapper(int maxSize, Executor executor, Generator<T> generator) {
        if (maxSize < 0) {
            throw new IllegalArgumentException("maxSize must not be negative (0 = unbounded): " + maxSize);
        }
        this.maxSize = maxSize;
        this.executor = Objects.requireNonNull(executor, "executor");
        this.generator = Objects.requireNonNull(generator, "generator");
        this.context = ExecutionContext.capture();
        this.channel = new SpscChannel(maxSize);
    }

    @Override
    public boolean hasNext() {
        if (peeked != SpscChannel.EMPTY) {
            return !channel.isClosed();
        }
        if (channel.isClosed()) {
            return false;
        }
        if (!consumerStarted) {
            consumerStarted = true;
            startIfNeeded();
        }
        while (true) {
            Object item = channel.poll();
            if (item != SpscChannel.EMPTY) {
                peeked = item;
                return true;
            }
            if (finished) {
                item = channel.poll(); // items published just before the generator returned
                if (item != SpscChannel.EMPTY) {
                    peeked = item;
                    return true;
                }
                Throwable thrown = failure;
                if (thrown != null && !channel.isClosed()) {
                    throw delivered(thrown);
                }
                return false;
            }
            if (channel.isClosed()) {
                return false;
            }
            if (!channel.awaitItem(() -> finished)) {
                close(false);
                throw new CancellationException("interrupted while waiting for the next item");
            }
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException("the generator has no more items");
        }
        Object item = peeked;
        peeked = SpscChannel.EMPTY;
        return (T) item;
    }

    /** This wrapper: it can be iterated once. */
    @Override
    public Iterator<T> iterator() {
        return this;
    }

    /**
     * A sequential stream of the items; closing the stream closes this wrapper.
     *
     * @return a new ordered, sequential stream over this wrapper's remaining items
     */
    public Stream<T> stream() {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(this, Spliterator.ORDERED), false)
                .onClose(this::close);
    }

    /**
     * Whether {@link #close()} has been called.
     *
     * @return true once closed by the consumer
     */
    public boolean isClosed() {
        return channel.isClosed();
    }

    /**
     * Stops the iteration and the producer; see the class description. Idempotent. If the
     * calling thread is interrupted while waiting for the producer, it stops waiting and keeps
     * its interrupt status.
     */
    @Override
    public void close() {
        close(true);
    }

    private void close(boolean await) {
        RunnableTask<Void> running;
        lock.lock();
        try {
            started = true; // a closed wrapper never starts its producer
            running = producer;
        } finally {
            lock.unlock();
        }
        boolean first = !channel.isClosed();
        channel.close();
        if (running == null) {
            return;
        }
        if (first) {
            running.cancel(true);
        }
        if (!await) {
            return;
        }
        try {
            if (!running.awaitFinished(CLOSE_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS)) {
                log.warn("The generator of {} did not return within {} of being closed", this, CLOSE_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void startIfNeeded() {
        lock.lock();
        try {
            if (started) {
                return;
            }
            started = true;
            RunnableTask<Void> task =
                    new RunnableTask<>(TaskLauncher.nextName("aiomisc-generator-"), this::produce, false);
            producer = task;
            try {
                executor.execute(task);
            } catch (RejectedExecutionException e) {
                failure = e;
                finished = true;
                throw e;
            }
        } finally {
            lock.unlock();
        }
    }

    private Void produce() {
        Throwable thrown = null;
        try {
            context.call(() -> {
                generator.generate(channel::put);
                return null;
            });
        } catch (Throwable t) {
            thrown = t;
        }
        if (thrown != null && !channel.isClosed() && !(thrown instanceof IteratorClosedException)) {
            failure = thrown;
        }
        finished = true;
        channel.producerDone();
        return null;
    }

    private static RuntimeException delivered(Throwable failure) {
        if (failure instanceof RuntimeException runtime) {
            return runtime;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        return new CompletionException(failure);
    }

    @Override
    public String toString() {
        return "IteratorWrapper[maxSize=" + maxSize + "]";
    }
}
