package io.aiomisc.grpc;

import io.aiomisc.grpc.test.CountReply;
import io.aiomisc.grpc.test.CountRequest;
import io.aiomisc.grpc.test.GreeterGrpc;
import io.aiomisc.grpc.test.HelloReply;
import io.aiomisc.grpc.test.HelloRequest;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;

/**
 * The tests' Greeter: {@code SayHello} answers "hello NAME from a virtual thread: true"; the name
 * {@code "fail:CODE:text"} throws a {@link io.grpc.StatusRuntimeException} of that code;
 * {@code CountTo(n)} streams 1..n.
 */
class GtGreeter extends GreeterGrpc.GreeterImplBase {
    @Override
    public void sayHello(HelloRequest request, StreamObserver<HelloReply> replies) {
        String name = request.getName();
        if (name.startsWith("fail:")) {
            String[] parts = name.split(":", 3);
            throw Status.fromCode(Status.Code.valueOf(parts[1]))
                    .withDescription(parts[2])
                    .asRuntimeException();
        }
        replies.onNext(HelloReply.newBuilder()
                .setMessage("hello " + name + " from a virtual thread: "
                        + Thread.currentThread().isVirtual())
                .build());
        replies.onCompleted();
    }

    @Override
    public void countTo(CountRequest request, StreamObserver<CountReply> replies) {
        for (int i = 1; i <= request.getTo(); i++) {
            replies.onNext(CountReply.newBuilder().setValue(i).build());
        }
        replies.onCompleted();
    }
}
