package io.aiomisc.thread;

/**
 * How a {@link Generator} hands items to its consumer. Used only by the generator's own thread.
 *
 * @param <T> the item type
 */
public interface Emitter<T> {
    /**
     * Hands {@code item} (may be null) to the consumer: Python's {@code yield item}. Blocks while
     * the buffer is full. <b>Interrupt:</b> ends the wait with {@link InterruptedException}.
     *
     * @param item the next item
     * @throws IteratorClosedException if the consumer has closed the iterator: let it propagate,
     *                                 so that the generator's {@code finally} blocks run
     * @throws InterruptedException    if the producing thread is interrupted (the iterator was
     *                                 closed, or its entrypoint is stopping)
     */
    void emit(T item) throws InterruptedException;
}
