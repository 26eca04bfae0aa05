package io.aiomisc.resilience;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * One caller's argument in a batch of {@link Aggregate#aggregateAsync}: the batch function
 * completes {@link #future()} with that caller's result (or failure).
 *
 * @param value  the argument the caller passed
 * @param future the caller's result; complete it exactly once
 * @param <A>    the argument type
 * @param <R>    the result type
 */
public record Arg<A, R>(A value, CompletableFuture<R> future) {
    /**
     * Pairs an argument with the future of its caller.
     *
     * @param value  the argument the caller passed; may be null
     * @param future the caller's result
     * @throws NullPointerException if {@code future} is null
     */
    public Arg {
        Objects.requireNonNull(future, "future");
    }
}
