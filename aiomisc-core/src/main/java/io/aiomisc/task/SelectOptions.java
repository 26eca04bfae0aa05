package io.aiomisc.task;

import io.aiomisc.internal.Durations;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Options of {@link Tasks#select(SelectOptions, java.util.concurrent.Future[])}, immutable: each
 * setter returns a new instance.
 *
 * <p>Defaults, as in aiomisc: losers are cancelled ({@code cancel = true}) and waited for
 * ({@code awaitCancelled = true}); a failed winner's exception is thrown
 * ({@code returnExceptions = false}); no timeout.
 */
public final class SelectOptions {
    private static final SelectOptions DEFAULTS = new SelectOptions(true, true, false, null);

    private final boolean cancel;
    private final boolean awaitCancelled;
    private final boolean returnExceptions;
    private final Duration timeout;

    private SelectOptions(boolean cancel, boolean awaitCancelled, boolean returnExceptions, Duration timeout) {
        this.cancel = cancel;
        this.awaitCancelled = awaitCancelled;
        this.returnExceptions = returnExceptions;
        this.timeout = timeout;
    }

    /**
     * The defaults described on the class.
     *
     * @return the shared default options
     */
    public static SelectOptions defaults() {
        return DEFAULTS;
    }

    /**
     * Whether to cancel the futures that did not win (default true).
     *
     * @param cancel true to cancel the losers (interrupting them), false to leave them running
     * @return new options with this setting, the others unchanged
     */
    public SelectOptions cancel(boolean cancel) {
        return new SelectOptions(cancel, awaitCancelled, returnExceptions, timeout);
    }

    /**
     * Whether {@code select} waits until cancelled tasks have finished (default true; aiomisc's
     * {@code wait}). Has no effect with {@link #cancel(boolean) cancel(false)}.
     *
     * @param awaitCancelled true to return only once the cancelled losers' code has unwound
     * @return new options with this setting, the others unchanged
     */
    public SelectOptions awaitCancelled(boolean awaitCancelled) {
        return new SelectOptions(cancel, awaitCancelled, returnExceptions, timeout);
    }

    /**
     * When true, a winner that failed is reported as a result whose value is the exception
     * ({@link SelectResult#isException()}) instead of being thrown (default false).
     *
     * @param returnExceptions true to return a failed winner's exception instead of throwing it
     * @return new options with this setting, the others unchanged
     */
    public SelectOptions returnExceptions(boolean returnExceptions) {
        return new SelectOptions(cancel, awaitCancelled, returnExceptions, timeout);
    }

    /**
     * How long to wait for a winner; when it passes, {@code select} returns an empty result
     * ({@link SelectResult#done()} false) as aiomisc does, after cancelling the futures (unless
     * {@link #cancel(boolean) cancel(false)}).
     *
     * @param timeout the longest wait for a winner; zero or positive
     * @return new options with this setting, the others unchanged
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws NullPointerException     if {@code timeout} is null
     */
    public SelectOptions timeout(Duration timeout) {
        Durations.requireNonNegative("timeout", timeout);
        return new SelectOptions(cancel, awaitCancelled, returnExceptions, timeout);
    }

    /**
     * Whether losers are cancelled.
     *
     * @return the {@link #cancel(boolean)} setting; default true
     */
    public boolean cancel() {
        return cancel;
    }

    /**
     * Whether {@code select} waits for cancelled losers to finish.
     *
     * @return the {@link #awaitCancelled(boolean)} setting; default true
     */
    public boolean awaitCancelled() {
        return awaitCancelled;
    }

    /**
     * Whether a failed winner is returned rather than thrown.
     *
     * @return the {@link #returnExceptions(boolean)} setting; default false
     */
    public boolean returnExceptions() {
        return returnExceptions;
    }

    /**
     * How long {@code select} waits for a winner.
     *
     * @return the {@link #timeout(Duration)} setting; empty (the default) for no limit
     */
    public Optional<Duration> timeout() {
        return Optional.ofNullable(timeout);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SelectOptions other
                && cancel == other.cancel
                && awaitCancelled == other.awaitCancelled
                && returnExceptions == other.returnExceptions
                && Objects.equals(timeout, other.timeout);
    }

    @Override
    public int hashCode() {
        return Objects.hash(cancel, awaitCancelled, returnExceptions, timeout);
    }

    @Override
    public String toString() {
        return "SelectOptions[cancel=" + cancel + ", awaitCancelled=" + awaitCancelled + ", returnExceptions="
                + returnExceptions + ", timeout=" + timeout + "]";
    }
}
