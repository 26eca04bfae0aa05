package io.aiomisc.benchmarks.grpc;

import io.aiomisc.benchmarks.grpc.proto.BenchGreeterGrpc;
import io.aiomisc.benchmarks.grpc.proto.BenchHelloReply;
import io.aiomisc.benchmarks.grpc.proto.BenchHelloRequest;
import io.grpc.stub.StreamObserver;

/**
 * The unary hello handler of the gRPC comparison ({@code aiomisc-benchmarks/grpc-bench}), the same
 * class on every server: answers {@code SayHello(name)} with {@code "hello " + name}.
 */
final class Hello extends BenchGreeterGrpc.BenchGreeterImplBase {
    @Override
    public void sayHello(BenchHelloRequest request, StreamObserver<BenchHelloReply> reply) {
        reply.onNext(BenchHelloReply.newBuilder()
                .setMessage("hello " + request.getName())
                .build());
        reply.onCompleted();
    }

    /**
     * Parses a port argument of the servers.
     *
     * @return the port (0: any free one)
     * @throws IllegalArgumentException naming the value when it is not a number in 0..65535
     */
    static int port(String value) {
        int port;
        try {
            port = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("port must be a number, got '" + value + "'", e);
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be in 0..65535, got " + port);
        }
        return port;
    }
}
