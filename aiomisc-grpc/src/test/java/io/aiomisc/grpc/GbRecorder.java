package io.aiomisc.grpc;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A client-side {@link StreamObserver} that queues what arrives, so that a test can take the
 * messages of a stream one by one and then its end, each wait bounded.
 */
final class GbRecorder<T> implements StreamObserver<T> {
    /** How a stream ended: its status ({@code OK} for {@code onCompleted}). */
    record End(Status status) {}

    private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();

    @Override
    public void onNext(T value) {
        events.add(value);
    }

    @Override
    public void onError(Throwable t) {
        events.add(new End(Status.fromThrowable(t)));
    }

    @Override
    public void onCompleted() {
        events.add(new End(Status.OK));
    }

    /** The next message or end, waiting at most 30 s; an {@link AssertionError} when none comes. */
    Object next() throws InterruptedException {
        Object event = events.poll(30, TimeUnit.SECONDS);
        if (event == null) {
            throw new AssertionError("nothing arrived on the stream within 30 s");
        }
        return event;
    }

    /** The next event, which must be a message. */
    @SuppressWarnings("unchecked")
    T nextMessage() throws InterruptedException {
        Object event = next();
        if (event instanceof End end) {
            throw new AssertionError("the stream ended (" + end.status() + ") where a message was expected");
        }
        return (T) event;
    }

    /** The next event, which must be the end of the stream. */
    Status nextEnd() throws InterruptedException {
        Object event = next();
        if (event instanceof End end) {
            return end.status();
        }
        throw new AssertionError("a message arrived where the end of the stream was expected: " + event);
    }
}
