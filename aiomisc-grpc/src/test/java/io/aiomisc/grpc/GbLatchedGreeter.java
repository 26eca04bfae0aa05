package io.aiomisc.grpc;

import io.aiomisc.grpc.test.CountReply;
import io.aiomisc.grpc.test.CountRequest;
import io.aiomisc.grpc.test.GreeterGrpc;
import io.aiomisc.grpc.test.HelloReply;
import io.aiomisc.grpc.test.HelloRequest;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A Greeter whose {@code SayHello} blocks until the test releases it, so that a call is in flight
 * for as long as a test needs: {@link #entered} opens when the handler runs, {@link #release} lets
 * it answer "released NAME", {@link #interrupted} opens if its thread is interrupted while it waits
 * (the call then ends unanswered). The name {@code "quick"} answers "quick" at once, for probes
 * while a blocked call runs.
 */
final class GbLatchedGreeter extends GreeterGrpc.GreeterImplBase {
    /** Opens when a blocking {@code SayHello} has started. */
    final CountDownLatch entered = new CountDownLatch(1);
    /** Lets blocked calls answer. */
    final CountDownLatch release = new CountDownLatch(1);
    /** Opens when a blocked handler's thread was interrupted. */
    final CountDownLatch interrupted = new CountDownLatch(1);

    @Override
    public void sayHello(HelloRequest request, StreamObserver<HelloReply> replies) {
        if (request.getName().equals("quick")) {
            replies.onNext(HelloReply.newBuilder().setMessage("quick").build());
            replies.onCompleted();
            return;
        }
        entered.countDown();
        try {
            // bounded so that a broken test cannot leave the thread behind for long
            if (!release.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never released the call");
            }
        } catch (InterruptedException e) {
            interrupted.countDown();
            Thread.currentThread().interrupt();
            return; // the call was cancelled: there is nobody to answer
        }
        replies.onNext(HelloReply.newBuilder()
                .setMessage("released " + request.getName())
                .build());
        replies.onCompleted();
    }

    @Override
    public void countTo(CountRequest request, StreamObserver<CountReply> replies) {
        replies.onCompleted();
    }
}
