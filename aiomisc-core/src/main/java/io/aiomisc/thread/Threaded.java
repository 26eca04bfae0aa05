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

    /** A function that may throw, for {@link #wrap(ThrowingFunction)}. */
    @FunctionalInterface
    public interface ThrowingFunction<A, R> {
        R apply(A argument) throws Exception;
    }

    /** A generator taking an argument, for {@link #wrapIterable(int, GeneratorFunction)}. */
    @FunctionalInterface
    public interface GeneratorFunction<A, T> {
        void generate(A argument, Emitter<T> emitter) throws Exception;
    }

    /**
     * Runs {@code work} on the thread pool (see the class description) and returns at once.
     *
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

    /** Runs {@code work} on a new platform thread of its own and returns at once. */
    public static <T> Task<T> threadedSeparate(Callable<T> work) {
        Objects.requireNonNull(work, "work");
        return TaskLauncher.startPlatform(TaskLauncher.nextName("aiomisc-separate-"), work);
    }

    /**
     * An iterator over what {@code generator} produces on the thread pool, with a buffer of
     * {@code maxSize} items (0 = unbounded). The generator starts on the first
     * {@code hasNext()}/{@code next()} and holds a pool thread until it returns; close the
     * iterator (try-with-resources) to stop it early.
     *
     * @throws IllegalArgumentException if {@code maxSize} is negative
     */
    public static <T> IteratorWrapper<T> threadedIterable(int maxSize, Generator<T> generator) {
        return new IteratorWrapper<>(maxSize, poolExecutor(), generator);
    }

    /** As {@link #threadedIterable}, with the generator on a new platform thread of its own. */
    public static <T> IteratorWrapper<T> threadedIterableSeparate(int maxSize, Generator<T> generator) {
        return new IteratorWrapper<>(maxSize, separateExecutor(), generator);
    }

    /** {@code work} as a supplier of {@link #threaded} tasks: the decorator style. */
    public static <R> Supplier<Task<R>> wrap(Callable<R> work) {
        Objects.requireNonNull(work, "work");
        return () -> threaded(work);
    }

    /** {@code function} as a function that runs it with {@link #threaded}. */
    public static <A, R> Function<A, Task<R>> wrap(ThrowingFunction<A, R> function) {
        Objects.requireNonNull(function, "function");
        return argument -> threaded(() -> function.apply(argument));
    }

    /** {@code work} as a supplier of {@link #threadedSeparate} tasks. */
    public static <R> Supplier<Task<R>> wrapSeparate(Callable<R> work) {
        Objects.requireNonNull(work, "work");
        return () -> threadedSeparate(work);
    }

    /** {@code function} as a function that runs it with {@link #threadedSeparate}. */
    public static <A, R> Function<A, Task<R>> wrapSeparate(ThrowingFunction<A, R> function) {
        Objects.requireNonNull(function, "function");
        return argument -> threadedSeparate(() -> function.apply(argument));
    }

    /** {@code generator} as a function that returns a {@link #threadedIterable} over its items. */
    public static <A, T> Function<A, IteratorWrapper<T>> wrapIterable(int maxSize, GeneratorFunction<A, T> generator) {
        Objects.requireNonNull(generator, "generator");
        return argument -> threadedIterable(maxSize, emitter -> generator.generate(argument, emitter));
    }

    /** {@code generator} as a function that returns a {@link #threadedIterableSeparate} over its items. */
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
