package io.aiomisc.examples;

import io.aiomisc.examples.grpc.proto.GreeterGrpc;
import io.aiomisc.examples.grpc.proto.HelloReply;
import io.aiomisc.examples.grpc.proto.HelloRequest;
import io.aiomisc.examples.grpc.proto.HellosRequest;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

/**
 * The examples' gRPC Greeter ({@code src/main/protobuf/greeter.proto}, generated in the build):
 * {@code SayHello} answers one greeting, {@code SayHellos} streams {@code count} of them. Served by
 * the example application and by {@code bin/run-example grpc}.
 *
 * <p>Bad input is answered with {@code INVALID_ARGUMENT}, by throwing a {@link
 * io.grpc.StatusRuntimeException}: {@code GrpcService} sends it to the client as it is (grpc-java
 * alone would make it {@code UNKNOWN}). Each call runs on a virtual thread of its own, so a handler
 * could block. Stateless, hence thread-safe.
 */
final class GreeterService extends GreeterGrpc.GreeterImplBase {
    /** The most greetings one {@code SayHellos} call streams. */
    static final int MAX_COUNT = 100;

    @Override
    public void sayHello(HelloRequest request, StreamObserver<HelloReply> responses) {
        responses.onNext(reply(greeting(request.getName())));
        responses.onCompleted();
    }

    @Override
    public void sayHellos(HellosRequest request, StreamObserver<HelloReply> responses) {
        String greeting = greeting(request.getName());
        int count = request.getCount();
        if (count < 1 || count > MAX_COUNT) {
            throw Status.INVALID_ARGUMENT
                    .withDescription("count must be in 1.." + MAX_COUNT + ": " + count)
                    .asRuntimeException();
        }
        ServerCallStreamObserver<HelloReply> call = (ServerCallStreamObserver<HelloReply>) responses;
        // a client that went away (or a stop's shutdownNow) ends the loop; without a handler, onNext
        // would throw CANCELLED instead
        call.setOnCancelHandler(() -> {});
        for (int i = 1; i <= count && !call.isCancelled(); i++) {
            call.onNext(reply(greeting + " (" + i + " of " + count + ")"));
        }
        if (!call.isCancelled()) {
            call.onCompleted();
        }
    }

    private static String greeting(String name) {
        if (name.isBlank()) {
            throw Status.INVALID_ARGUMENT
                    .withDescription("name must not be blank")
                    .asRuntimeException();
        }
        return "Hello, " + name + "!";
    }

    private static HelloReply reply(String message) {
        return HelloReply.newBuilder().setMessage(message).build();
    }
}
