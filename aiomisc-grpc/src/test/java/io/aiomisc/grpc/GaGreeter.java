package io.aiomisc.grpc;

import io.aiomisc.grpc.test.CountReply;
import io.aiomisc.grpc.test.CountRequest;
import io.aiomisc.grpc.test.GreeterGrpc;
import io.aiomisc.grpc.test.HelloReply;
import io.aiomisc.grpc.test.HelloRequest;
import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The serving tests' Greeter. {@code SayHello} by name:
 *
 * <ul>
 *   <li>{@code block:KEY}: waits (at most 30 s) until the test {@link Gate#release() releases} the
 *       gate KEY or the call is cancelled, then answers "released KEY";
 *   <li>{@code barrier}: waits (at most 30 s) until {@link #barrier(int) n} calls are inside the
 *       handler at once, then answers "met";
 *   <li>{@code fail:CODE:text} throws a {@link io.grpc.StatusRuntimeException} of that code and
 *       description, with {@link #DETAIL} = text in its trailers;
 *   <li>{@code onerror:CODE:text} passes the same as a {@link io.grpc.StatusException} to
 *       {@code onError};
 *   <li>{@code boom} throws an {@link IllegalStateException};
 *   <li>anything else: "hello NAME on THREAD-NAME virtual=true|false".
 * </ul>
 *
 * {@code CountTo(n)} streams 1..n; {@code CountTo(-n)} streams 1..n and then throws
 * {@code ABORTED} "counted to n" with {@link #DETAIL} = "after n" in the trailers.
 */
final class GaGreeter extends GreeterGrpc.GreeterImplBase {
    /** A trailer the failing calls set: the status's own metadata must reach the client. */
    static final Metadata.Key<String> DETAIL = Metadata.Key.of("ga-detail", Metadata.ASCII_STRING_MARSHALLER);

    private static final long PATIENCE_SECONDS = 30;

    private final Map<String, Gate> gates = new ConcurrentHashMap<>();
    private final AtomicInteger calls = new AtomicInteger();
    private volatile CountDownLatch barrier = new CountDownLatch(0);

    /** A gate {@code block:KEY} calls wait at: the test sees them arrive and lets them go. */
    static final class Gate {
        private final CountDownLatch entered = new CountDownLatch(1);
        private final CountDownLatch cancelled = new CountDownLatch(1);
        // opened by release() or by the cancellation: what the waiting handler waits for
        private final CountDownLatch wake = new CountDownLatch(1);

        /** Waits (bounded) until a call has arrived at the gate. */
        void awaitEntered() throws InterruptedException {
            if (!entered.await(PATIENCE_SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError("no call arrived at the gate within " + PATIENCE_SECONDS + " s");
            }
        }

        /** Waits (bounded) until the server has seen the waiting call cancelled. */
        void awaitCancelled() throws InterruptedException {
            if (!cancelled.await(PATIENCE_SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError("the call at the gate was not cancelled within " + PATIENCE_SECONDS + " s");
            }
        }

        /** Lets the waiting call answer. */
        void release() {
            wake.countDown();
        }

        private void cancel() {
            cancelled.countDown();
            wake.countDown();
        }
    }

    /** The gate of {@code block:key} calls. */
    Gate gate(String key) {
        return gates.computeIfAbsent(key, k -> new Gate());
    }

    /** From now on, {@code barrier} calls wait until {@code parties} of them are in the handler. */
    void barrier(int parties) {
        barrier = new CountDownLatch(parties);
    }

    /** How many calls have reached a handler. */
    int calls() {
        return calls.get();
    }

    @Override
    public void sayHello(HelloRequest request, StreamObserver<HelloReply> replies) {
        calls.incrementAndGet();
        String name = request.getName();
        if (name.startsWith("block:")) {
            String key = name.substring("block:".length());
            Gate gate = gate(key);
            // the context is cancelled at once when the client cancels, even while this handler
            // holds the call's serialized executor (onCancel itself waits until we return)
            Context.current().addListener(context -> gate.cancel(), Runnable::run);
            gate.entered.countDown();
            if (!await(gate.wake)) {
                replies.onError(Status.DEADLINE_EXCEEDED
                        .withDescription("the test did not release gate " + key)
                        .asRuntimeException());
                return;
            }
            if (gate.cancelled.getCount() == 0) {
                return; // nobody to answer
            }
            reply(replies, "released " + key);
        } else if (name.equals("barrier")) {
            CountDownLatch met = barrier;
            met.countDown();
            if (!await(met)) {
                replies.onError(Status.DEADLINE_EXCEEDED
                        .withDescription("only " + met.getCount() + " calls short of the barrier")
                        .asRuntimeException());
                return;
            }
            reply(replies, "met");
        } else if (name.startsWith("fail:")) {
            throw status(name).asRuntimeException(detail(name));
        } else if (name.startsWith("onerror:")) {
            replies.onError(status(name).asException(detail(name)));
        } else if (name.equals("boom")) {
            throw new IllegalStateException("boom: not a status");
        } else {
            Thread thread = Thread.currentThread();
            reply(replies, "hello " + name + " on " + thread.getName() + " virtual=" + thread.isVirtual());
        }
    }

    @Override
    public void countTo(CountRequest request, StreamObserver<CountReply> replies) {
        int to = Math.abs(request.getTo());
        for (int i = 1; i <= to; i++) {
            replies.onNext(CountReply.newBuilder().setValue(i).build());
        }
        if (request.getTo() < 0) {
            Metadata trailers = new Metadata();
            trailers.put(DETAIL, "after " + to);
            throw Status.ABORTED.withDescription("counted to " + to).asRuntimeException(trailers);
        }
        replies.onCompleted();
    }

    private static void reply(StreamObserver<HelloReply> replies, String message) {
        replies.onNext(HelloReply.newBuilder().setMessage(message).build());
        replies.onCompleted();
    }

    private static Status status(String name) {
        String[] parts = name.split(":", 3);
        return Status.fromCode(Status.Code.valueOf(parts[1])).withDescription(parts[2]);
    }

    private static Metadata detail(String name) {
        Metadata trailers = new Metadata();
        trailers.put(DETAIL, name.split(":", 3)[2]);
        return trailers;
    }

    /** Waits until {@code latch} opens, at most {@link #PATIENCE_SECONDS}; false if it did not. */
    private static boolean await(CountDownLatch latch) {
        try {
            return latch.await(PATIENCE_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
