package io.aiomisc.thread;

import io.aiomisc.internal.Current;
import io.aiomisc.internal.TaskLauncher;
import io.aiomisc.internal.TaskScope;
import io.aiomisc.internal.Threads;
import io.aiomisc.task.Task;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs blocking code off the caller's thread: aiomisc's {@code @threaded},
 * {@code @threaded_separate}, {@code @threaded_iterable} and {@code @threaded_iterable_separate}.
 *
 * <pre>{@code
 * byte[] random = Threaded.threaded(() -> readUrandom(100)).await();   // on the pool
 * String hash = Threaded.threadedSeparate(() -> mineCoin()).await();   // on a thread of its own
 *
 * Function<Path, Task<byte[]>> read = Threaded.wrap(Files::readAllBytes);  // decorator style
 * byte[] data = read.apply(path).await();
 * }</pre>
 *
 * <p><b>Where the work runs.</b> {@link #threaded} runs on the current entrypoint's
 * {@link io.aiomisc.Entrypoint#threadPool()} (so its {@code poolSize} bounds it, or, with
 * {@code Builder.threadPool(executor)}, on that executor), or, outside an entrypoint,
 * on a JVM-wide pool of {@link ThreadPool#DEFAULT_SIZE} daemon threads created on first use.
 * {@link #threadedSeparate} starts a new platform thread per call; inside an entrypoint that
 * thread is one of its tasks, cancelled when it closes. All of them carry the caller's context:
 * current entrypoint, SLF4J MDC and {@link ContextVar}s.
 *
 * <p><b>Results.</b> The returned {@link Task}'s {@code await()} rethrows the work's own exception;
 * {@code cancel(true)} interrupts the thread running it. All methods are thread-safe.
 */
public final class Threaded {
    private Threaded() {}

    /**
     * A function that may throw, for {@link #wrap(ThrowingFunction)}.
     *
     * @param <A> the argument type
     * @param <R> the result type
     */
    @FunctionalInterface
    public interface ThrowingFunction<A, R> {
        /**
         * Applies the function; runs on the thread the wrapper chose.
         *
         * @param argument the argument the wrapped function was called with
         * @return the result, which the task's {@code await()} returns
         * @throws Exception any failure, rethrown as is by the task's {@code await()}
         */
        R apply(A argument) throws Exception;
    }

    /**
     * A generator taking an argument, for {@link #wrapIterable(int, GeneratorFunction)}.
     *
     * @param <A> the argument type
     * @param <T> the item type
     */
    @FunctionalInterface
    public interface GeneratorFunction<A, T> {
        /**
         * Produces the items for {@code argument}, as {@link Generator#generate} does.
         *
         * @param argument the argument the wrapped function was called with
         * @param emitter  hands each item to the consumer
         * @throws Exception ends the iteration; the consumer gets it after the items emitted before
         */
        void generate(A argument, Emitter<T> emitter) throws Exception;
    }

    /**
     * Runs {@code work} on the thread pool (see the class description) and returns at once. The
     * pool is chosen from the calling thread's current entrypoint at this call.
     *
     * @param <T>  the result type
     * @param work the blocking code
     * @return the running task; {@code await()} returns the work's result
     * @throws NullPointerException                            if {@code work} is null
     * @throws java.util.concurrent.RejectedExecutionException if the entrypoint's pool is closed
     */
    public static <T> Task<T> threaded(Callable<T> work) {
        Objects.requireNonNull(work, "work");
        TaskScope scope = Current.scope();
        if (scope != null) {
            TaskScope.Pool pool = scope.pool();
            if (pool != null) {
                return pool.submitFromScope(work);
            }
        }
        return ThreadPool.shared().submit(work);
    }

    /**
     * Runs {@code work} on a new platform thread of its own and returns at once.
     *
     * @param <T>  the result type
     * @param work the blocking code
     * @return the running task; inside an entrypoint, one of its tasks (cancelled when it closes)
     * @throws NullPointerException if {@code work} is null
     */
    public static <T> Task<T> threadedSeparate(Callable<T> work) {
        Objects.requireNonNull(work, "work");
        return TaskLauncher.startPlatform(TaskLauncher.nextName("aiomisc-separate-"), work);
    }

    /**
     * An iterator over what {@code generator} produces on the thread pool, with a buffer of
     * {@code maxSize} items (0 = unbounded). The generator starts on the first
     * {@code hasNext()}/{@code next()} and holds a pool thread until it returns; close the
     * iterator (try-with-resources) to stop it early. The pool is chosen at this call.
     *
     * @param <T>       the item type
     * @param maxSize   the buffer size; 0 for unbounded
     * @param generator the producer
     * @return a new iterator, not yet started
     * @throws IllegalArgumentException if {@code maxSize} is negative
     * @throws NullPointerException     if {@code generator} is null
     */
    public static <T> IteratorWrapper<T> threadedIterable(int maxSize, Generator<T> generator) {
        return new IteratorWrapper<>(maxSize, poolExecutor(), generator);
    }

    /**
     * As {@link #threadedIterable}, with the generator on a new platform thread of its own (inside
     * an entrypoint, one of its tasks).
     *
     * @param <T>       the item type
     * @param maxSize   the buffer size; 0 for unbounded
     * @param generator the producer
     * @return a new iterator, not yet started
     * @throws IllegalArgumentException if {@code maxSize} is negative
     * @throws NullPointerException     if {@code generator} is null
     */
    public static <T> IteratorWrapper<T> threadedIterableSeparate(int maxSize, Generator<T> generator) {
        return new IteratorWrapper<>(maxSize, separateExecutor(), generator);
    }

    /**
     * {@code work} as a supplier of {@link #threaded} tasks: the decorator style. Each
     * {@code get()} starts a new task, on the pool of the entrypoint current at that {@code get()}.
     *
     * @param <R>  the result type
     * @param work the blocking code
     * @return a supplier that starts {@code work} on each call
     * @throws NullPointerException if {@code work} is null
     */
    public static <R> Supplier<Task<R>> wrap(Callable<R> work) {
        Objects.requireNonNull(work, "work");
        return () -> threaded(work);
    }

    /**
     * {@code function} as a function that runs it with {@link #threaded}.
     *
     * @param <A>      the argument type
     * @param <R>      the result type
     * @param function the blocking code
     * @return a function that starts a task per call
     * @throws NullPointerException if {@code function} is null
     */
    public static <A, R> Function<A, Task<R>> wrap(ThrowingFunction<A, R> function) {
        Objects.requireNonNull(function, "function");
        return argument -> threaded(() -> function.apply(argument));
    }

    /**
     * {@code work} as a supplier of {@link #threadedSeparate} tasks.
     *
     * @param <R>  the result type
     * @param work the blocking code
     * @return a supplier that starts {@code work} on a new platform thread on each call
     * @throws NullPointerException if {@code work} is null
     */
    public static <R> Supplier<Task<R>> wrapSeparate(Callable<R> work) {
        Objects.requireNonNull(work, "work");
        return () -> threadedSeparate(work);
    }

    /**
     * {@code function} as a function that runs it with {@link #threadedSeparate}.
     *
     * @param <A>      the argument type
     * @param <R>      the result type
     * @param function the blocking code
     * @return a function that starts a new platform thread per call
     * @throws NullPointerException if {@code function} is null
     */
    public static <A, R> Function<A, Task<R>> wrapSeparate(ThrowingFunction<A, R> function) {
        Objects.requireNonNull(function, "function");
        return argument -> threadedSeparate(() -> function.apply(argument));
    }

    /**
     * {@code generator} as a function that returns a {@link #threadedIterable} over its items.
     * {@code maxSize} is checked when the function is applied, not here.
     *
     * @param <A>       the argument type
     * @param <T>       the item type
     * @param maxSize   the buffer size of each iterator; 0 for unbounded
     * @param generator the producer
     * @return a function that returns a new iterator per call
     * @throws NullPointerException if {@code generator} is null
     */
    public static <A, T> Function<A, IteratorWrapper<T>> wrapIterable(int maxSize, GeneratorFunction<A, T> generator) {
        Objects.requireNonNull(generator, "generator");
        return argument -> threadedIterable(maxSize, emitter -> generator.generate(argument, emitter));
    }

    /**
     * {@code generator} as a function that returns a {@link #threadedIterableSeparate} over its
     * items. {@code maxSize} is checked when the function is applied, not here.
     *
     * @param <A>       the argument type
     * @param <T>       the item type
     * @param maxSize   the buffer size of each iterator; 0 for unbounded
     * @param generator the producer
     * @return a function that returns a new iterator per call
     * @throws NullPointerException if {@code generator} is null
     */
    public static <A, T> Function<A, IteratorWrapper<T>> wrapIterableSeparate(
            int maxSize, GeneratorFunction<A, T> generator) {
        Objects.requireNonNull(generator, "generator");
        return argument -> threadedIterableSeparate(maxSize, emitter -> generator.generate(argument, emitter));
    }

    /** The pool {@link #threaded} uses for the caller, as an executor. */
    private static Executor poolExecutor() {
        TaskScope scope = Current.scope();
        TaskScope.Pool pool = scope == null ? null : scope.pool();
        if (pool == null) {
            return ThreadPool.shared();
        }
        return pool; // execute() installs the scope, also when the generator starts from outside it
    }

    /** A thread per generator, a task of the caller's scope (captured now, not when the generator starts) if any. */
    private static Executor separateExecutor() {
        TaskScope scope = Current.scope();
        if (scope == null) {
            return task -> Threads.startPlatform(TaskLauncher.nextName("aiomisc-generator-"), true, task);
        }
        return task -> scope.start(TaskLauncher.nextName("aiomisc-generator-"), Executors.callable(task), true);
    }
}
