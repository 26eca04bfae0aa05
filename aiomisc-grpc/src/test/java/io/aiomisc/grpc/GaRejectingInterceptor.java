package io.aiomisc.grpc;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

/** A server interceptor that closes every call of one method with a status, without handling it. */
final class GaRejectingInterceptor implements ServerInterceptor {
    private final String fullMethodName;
    private final Status status;

    GaRejectingInterceptor(String fullMethodName, Status status) {
        this.fullMethodName = fullMethodName;
        this.status = status;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        if (!call.getMethodDescriptor().getFullMethodName().equals(fullMethodName)) {
            return next.startCall(call, headers);
        }
        call.close(status, new Metadata());
        return new ServerCall.Listener<>() {};
    }
}
