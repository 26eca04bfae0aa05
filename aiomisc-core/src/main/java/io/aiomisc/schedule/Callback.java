package io.aiomisc.schedule;

/**
 * A scheduled callback that returns nothing and may throw: what {@link RecurringCallback},
 * {@link PeriodicCallback}, {@link CronCallback} and {@code CronService.register} accept besides a
 * {@link java.util.concurrent.Callable}, so that a void method compiles as a callback:
 *
 * <pre>{@code
 * new PeriodicCallback(this::refresh);        // void refresh() throws IOException
 * new PeriodicCallback(() -> refresh());
 * }</pre>
 *
 * <p>A lambda or method reference that returns a value still picks the {@code Callable} overload
 * (Java prefers the non-void functional interface, as for {@code ExecutorService.submit}); both
 * behave the same, the value is ignored.
 */
@FunctionalInterface
public interface Callback {
    /**
     * Does the scheduled work. An exception is logged and counted by the callback that runs it;
     * the recurrence goes on.
     *
     * @throws Exception any failure
     */
    void call() throws Exception;
}
