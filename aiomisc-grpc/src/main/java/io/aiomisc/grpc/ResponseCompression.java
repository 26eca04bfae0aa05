package io.aiomisc.grpc;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/**
 * {@link GrpcService#compression}: asks grpc-java to compress each call's responses with one
 * encoding; grpc-java does so only when the client's {@code grpc-accept-encoding} lists it.
 */
final class ResponseCompression implements ServerInterceptor {
    private final String encoding;

    ResponseCompression(String encoding) {
        this.encoding = encoding;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        call.setCompression(encoding);
        return next.startCall(call, headers);
    }
}
