package io.aiomisc.grpc;

import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link GrpcService#maxConcurrentCalls}: at most {@code max} calls at once; one more fails at once
 * with {@code RESOURCE_EXHAUSTED}. A call counts from its start until it completes or is
 * cancelled. Thread-safe.
 */
final class CallLimit implements ServerInterceptor {
    private final int max;
    private final AtomicInteger running = new AtomicInteger();

    CallLimit(int max) {
        this.max = max;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        if (running.incrementAndGet() > max) {
            running.decrementAndGet();
            call.close(
                    Status.RESOURCE_EXHAUSTED.withDescription(
                            "the server runs its limit of " + max + " concurrent calls (maxConcurrentCalls)"),
                    new Metadata());
            return new ServerCall.Listener<>() {};
        }
        AtomicBoolean released = new AtomicBoolean();
        Runnable release = () -> {
            if (released.compareAndSet(false, true)) {
                running.decrementAndGet();
            }
        };
        ServerCall.Listener<Q> listener;
        try {
            listener = next.startCall(call, headers);
        } catch (RuntimeException | Error e) {
            release.run();
            throw e;
        }
        return new SimpleForwardingServerCallListener<>(listener) {
            @Override
            public void onComplete() {
                try {
                    super.onComplete();
                } finally {
                    release.run();
                }
            }

            @Override
            public void onCancel() {
                try {
                    super.onCancel();
                } finally {
                    release.run();
                }
            }
        };
    }

    /** The calls running now. */
    int running() {
        return running.get();
    }
}
