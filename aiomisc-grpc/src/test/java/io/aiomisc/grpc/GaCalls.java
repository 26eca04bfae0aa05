package io.aiomisc.grpc;

import io.aiomisc.grpc.test.CountReply;
import io.aiomisc.grpc.test.CountRequest;
import io.aiomisc.grpc.test.GreeterGrpc;
import io.aiomisc.grpc.test.HelloReply;
import io.aiomisc.grpc.test.HelloRequest;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Greeter calls through the async stub, as futures. */
final class GaCalls {
    private GaCalls() {}

    /** A {@code SayHello} request. */
    static HelloRequest hello(String name) {
        return HelloRequest.newBuilder().setName(name).build();
    }

    /** A unary call in flight; {@link #cancel()} cancels it from the client. */
    static final class Unary {
        final CompletableFuture<String> reply = new CompletableFuture<>();
        private final CompletableFuture<ClientCallStreamObserver<HelloRequest>> call = new CompletableFuture<>();

        /** Cancels the call from the client side. */
        void cancel() {
            call.join().cancel("cancelled by the test", null);
        }

        /** The reply, waiting at most 30 s; the call's failure is thrown as it came. */
        String get() throws Exception {
            return GaCalls.get(reply);
        }
    }

    /** Starts {@code SayHello(name)} on the async stub. */
    static Unary sayHello(GreeterGrpc.GreeterStub stub, String name) {
        Unary unary = new Unary();
        stub.sayHello(hello(name), new ClientResponseObserver<HelloRequest, HelloReply>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<HelloRequest> requests) {
                unary.call.complete(requests);
            }

            @Override
            public void onNext(HelloReply value) {
                unary.reply.complete(value.getMessage());
            }

            @Override
            public void onError(Throwable t) {
                unary.reply.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                unary.reply.completeExceptionally(new AssertionError("completed without a reply"));
            }
        });
        return unary;
    }

    /** Starts {@code CountTo(to)} on the async stub: the values, once the stream completes. */
    static CompletableFuture<List<Integer>> countTo(GreeterGrpc.GreeterStub stub, int to) {
        CompletableFuture<List<Integer>> done = new CompletableFuture<>();
        List<Integer> values = new ArrayList<>();
        stub.countTo(CountRequest.newBuilder().setTo(to).build(), new StreamObserver<>() {
            @Override
            public void onNext(CountReply value) {
                values.add(value.getValue());
            }

            @Override
            public void onError(Throwable t) {
                done.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                done.complete(List.copyOf(values));
            }
        });
        return done;
    }

    /** The future's value, waiting at most 30 s; its failure is thrown as it came. */
    static <T> T get(CompletableFuture<T> future) throws Exception {
        try {
            return future.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        } catch (TimeoutException e) {
            throw new AssertionError("no answer within 30 s", e);
        }
    }
}
