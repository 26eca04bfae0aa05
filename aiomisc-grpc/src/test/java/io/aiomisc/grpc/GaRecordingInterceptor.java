package io.aiomisc.grpc;

import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.util.List;

/**
 * A server interceptor that writes what it sees into a shared list: {@code "NAME start METHOD"}
 * when a call reaches it, and {@code "NAME complete METHOD"} / {@code "NAME cancel METHOD"} once
 * the interceptors and the handler inside it have seen the call end (so the call limit has
 * released its slot by then).
 */
final class GaRecordingInterceptor implements ServerInterceptor {
    private final String name;
    private final List<String> events;

    /** @param events where to record; thread-safe (e.g. a {@code CopyOnWriteArrayList}) */
    GaRecordingInterceptor(String name, List<String> events) {
        this.name = name;
        this.events = events;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        String method = call.getMethodDescriptor().getFullMethodName();
        events.add(name + " start " + method);
        return new SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
            @Override
            public void onComplete() {
                super.onComplete();
                events.add(name + " complete " + method);
            }

            @Override
            public void onCancel() {
                super.onCancel();
                events.add(name + " cancel " + method);
            }
        };
    }
}
