package io.aiomisc.thread;

/**
 * Blocking code that produces items: the Java form of a Python generator function run by
 * {@code threaded_iterable}. {@code emitter.emit(x)} is {@code yield x}.
 *
 * <pre>{@code
 * IteratorWrapper<byte[]> chunks = Threaded.threadedIterable(8, emitter -> {
 *     try (InputStream in = Files.newInputStream(path)) {
 *         byte[] buffer;
 *         while ((buffer = in.readNBytes(8192)).length > 0) {
 *             emitter.emit(buffer);          // blocks while the consumer is 8 chunks behind
 *         }
 *     }                                      // runs even when the consumer stops early
 * });
 * }</pre>
 *
 * @param <T> the item type
 */
@FunctionalInterface
public interface Generator<T> {
    /**
     * Produces the items. Returning ends the iteration; throwing ends it with that exception,
     * delivered to the consumer after the items already emitted. Runs on a thread of its own
     * (a pool thread or a new platform thread), never the consumer's.
     *
     * @param emitter hands each item to the consumer; use it on this thread only
     * @throws Exception ends the iteration; the consumer's {@code hasNext()}/{@code next()} throw it
     *                   (a checked one wrapped in a {@link java.util.concurrent.CompletionException});
     *                   an {@link IteratorClosedException} from {@code emit} is not reported
     */
    void generate(Emitter<T> emitter) throws Exception;
}
