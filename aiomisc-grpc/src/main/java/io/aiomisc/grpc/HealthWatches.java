package io.aiomisc.grpc;

import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.health.v1.HealthGrpc;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps the open {@code grpc.health.v1.Health/Watch} streams so that a stop can end them: a watch
 * lasts as long as its client wants, and an open one would hold a graceful stop for its whole
 * grace time. {@link #closeAll()} runs after the health service has sent every watcher
 * {@code NOT_SERVING}; a watch that starts afterwards is refused with {@code UNAVAILABLE}.
 * Thread-safe.
 */
final class HealthWatches implements ServerInterceptor {
    private static final String WATCH = HealthGrpc.getWatchMethod().getFullMethodName();

    private final Set<ServerCall<?, ?>> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closing;

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        if (!call.getMethodDescriptor().getFullMethodName().equals(WATCH)) {
            return next.startCall(call, headers);
        }
        open.add(call);
        if (closing) {
            close(call);
            return new ServerCall.Listener<>() {};
        }
        return new SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
            @Override
            public void onComplete() {
                open.remove(call);
                super.onComplete();
            }

            @Override
            public void onCancel() {
                open.remove(call);
                super.onCancel();
            }
        };
    }

    /** Closes every open watch with {@code UNAVAILABLE}, and every one that starts from now on. */
    void closeAll() {
        closing = true;
        for (ServerCall<?, ?> call : open) {
            close(call);
        }
    }

    private void close(ServerCall<?, ?> call) {
        if (open.remove(call)) { // once per call, whoever gets here first
            call.close(Status.UNAVAILABLE.withDescription("the server is stopping"), new Metadata());
        }
    }
}
