package io.aiomisc.grpc;

import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps the calls in flight so that a forced stop can end them itself. grpc-java's
 * {@code shutdownNow()} that follows {@code shutdown()} within moments can leave a connection's
 * streams open (its forceful close overtakes the graceful one and is lost), so a call that never
 * finishes would keep the server from terminating and its client waiting. Thread-safe.
 */
final class OpenCalls implements ServerInterceptor {
    private final Set<ServerCall<?, ?>> open = ConcurrentHashMap.newKeySet();

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        open.add(call);
        try {
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
        } catch (RuntimeException | Error e) {
            open.remove(call);
            throw e;
        }
    }

    /** Closes every call still open with {@code CANCELLED}; a call closed already is left alone. */
    void cancelAll() {
        for (ServerCall<?, ?> call : open) {
            if (open.remove(call)) {
                try {
                    call.close(
                            Status.CANCELLED.withDescription("the server stopped before the call finished"),
                            new Metadata());
                } catch (IllegalStateException closedMeanwhile) {
                    // the handler closed it in the meantime: nothing left to end
                }
            }
        }
    }
}
