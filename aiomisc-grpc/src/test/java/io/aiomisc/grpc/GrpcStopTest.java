package io.aiomisc.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.util.concurrent.ListenableFuture;
import io.aiomisc.grpc.test.GreeterGrpc;
import io.aiomisc.grpc.test.HelloReply;
import io.aiomisc.grpc.test.HelloRequest;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The graceful stop: calls in flight finish, new calls are refused, calls beyond the graceful
 * stop time are cancelled and their threads interrupted, an interrupt ends the wait early; the port
 * is free afterwards (and the leak check sees no aiomisc thread left).
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class GrpcStopTest {
    @Test
    void aCallInFlightFinishesDuringTheGracefulStopWhichWaitsForItAndRefusesNewCalls() throws Exception {
        GbLatchedGreeter greeter = new GbLatchedGreeter();
        GrpcService service = new GrpcService("127.0.0.1", 0).addService(greeter);
        service.start();
        int port = service.localAddress().getPort();
        ManagedChannel channel = GtChannels.plaintext(service);
        CompletableFuture<Void> stop = null;
        try {
            ListenableFuture<HelloReply> inFlight = sayHello(channel, "in flight");
            assertTrue(greeter.entered.await(30, TimeUnit.SECONDS), "the call did not start");

            stop = GrpcHealthTest.stopInBackground(service);
            awaitNewCallsRefused(port);
            assertFalse(stop.isDone(), "stop() returned while a call was in flight");
            assertFalse(inFlight.isDone(), "the call in flight ended before it was released");

            greeter.release.countDown();
            assertEquals(
                    "released in flight", inFlight.get(30, TimeUnit.SECONDS).getMessage());
            stop.get(30, TimeUnit.SECONDS);
            assertPortFree(port);
        } finally {
            greeter.release.countDown();
            GtChannels.close(channel);
            if (stop != null) {
                stop.get(30, TimeUnit.SECONDS);
            }
            service.stop(null);
        }
    }

    @Test
    void aCallStillRunningAfterTheGracefulStopTimeIsCancelledAndItsThreadInterrupted() throws Exception {
        GbLatchedGreeter greeter = new GbLatchedGreeter();
        GrpcService service = new GrpcService("127.0.0.1", 0) {
            @Override
            protected Duration gracefulStopTime() {
                return Duration.ofMillis(300);
            }
        }.addService(greeter);
        service.start();
        int port = service.localAddress().getPort();
        ManagedChannel channel = GtChannels.plaintext(service);
        try {
            ListenableFuture<HelloReply> inFlight = sayHello(channel, "never released");
            assertTrue(greeter.entered.await(30, TimeUnit.SECONDS), "the call did not start");

            service.stop(null); // 300 ms of grace, then the cancellation

            assertTrue(greeter.interrupted.await(30, TimeUnit.SECONDS), "the handler's thread was not interrupted");
            assertCancelledOrUnavailable(inFlight);
            assertPortFree(port);
        } finally {
            greeter.release.countDown();
            GtChannels.close(channel);
        }
    }

    @Test
    void aGracefulStopTimeOfOneMillisecondStillCancelsTheCallAndTheServerTerminates() throws Exception {
        // regression: the cancellation right after shutdown() used to find the calls' executor shut
        // down already; the rejected callback aborted Netty's forceful close, the call stayed open
        // (its client waiting) and the server never terminated
        GbLatchedGreeter greeter = new GbLatchedGreeter();
        GrpcService service = new GrpcService("127.0.0.1", 0) {
            @Override
            protected Duration gracefulStopTime() {
                return Duration.ofMillis(1);
            }
        }.addService(greeter);
        service.start();
        int port = service.localAddress().getPort();
        ManagedChannel channel = GtChannels.plaintext(service);
        try {
            ListenableFuture<HelloReply> inFlight = sayHello(channel, "never released");
            assertTrue(greeter.entered.await(30, TimeUnit.SECONDS), "the call did not start");

            service.stop(null);

            assertCancelledOrUnavailable(inFlight);
            assertTrue(greeter.interrupted.await(30, TimeUnit.SECONDS), "the handler's thread was not interrupted");
            assertPortFree(port);
        } finally {
            greeter.release.countDown();
            GtChannels.close(channel);
        }
    }

    @Test
    void interruptingTheStoppingThreadEndsTheGracefulWaitEarlyAndTheFlagIsSetAgain() throws Exception {
        // the default graceful stop time, 60 s: only the interrupt can end the stop within the bound
        GbLatchedGreeter greeter = new GbLatchedGreeter();
        GrpcService service = new GrpcService("127.0.0.1", 0).addService(greeter);
        service.start();
        int port = service.localAddress().getPort();
        ManagedChannel channel = GtChannels.plaintext(service);
        CompletableFuture<Boolean> interruptedOnReturn = new CompletableFuture<>();
        AtomicReference<Thread> stopper = new AtomicReference<>();
        try {
            ListenableFuture<HelloReply> inFlight = sayHello(channel, "never released");
            assertTrue(greeter.entered.await(30, TimeUnit.SECONDS), "the call did not start");

            stopper.set(Thread.ofPlatform().name("gb-stopper").start(() -> {
                try {
                    service.stop(null);
                    interruptedOnReturn.complete(Thread.currentThread().isInterrupted());
                } catch (Throwable t) {
                    interruptedOnReturn.completeExceptionally(t);
                }
            }));
            // refused new calls: shutdown() ran, so the stop is past the point where it clears a
            // pending interrupt and is in (or about to enter) the graceful wait
            awaitNewCallsRefused(port);
            stopper.get().interrupt();

            assertTrue(interruptedOnReturn.get(30, TimeUnit.SECONDS), "the interrupt flag was not set again");
            assertTrue(greeter.interrupted.await(30, TimeUnit.SECONDS), "the handler's thread was not interrupted");
            assertCancelledOrUnavailable(inFlight);
            assertPortFree(port);
        } finally {
            greeter.release.countDown();
            GtChannels.close(channel);
            if (stopper.get() != null) {
                stopper.get().join(Duration.ofSeconds(30));
            }
            service.stop(null);
        }
    }

    private static ListenableFuture<HelloReply> sayHello(ManagedChannel channel, String name) {
        return GreeterGrpc.newFutureStub(channel)
                .withDeadlineAfter(60, TimeUnit.SECONDS)
                .sayHello(HelloRequest.newBuilder().setName(name).build());
    }

    /**
     * Waits until a new call, on a channel of its own, is refused with {@code UNAVAILABLE}: the server
     * has shut down. Until then the quick call must answer.
     */
    private static void awaitNewCallsRefused(int port) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            ManagedChannel probe = Grpc.newChannelBuilderForAddress(
                            "127.0.0.1", port, InsecureChannelCredentials.create())
                    .build();
            try {
                String answer = GreeterGrpc.newBlockingStub(probe)
                        .withDeadlineAfter(10, TimeUnit.SECONDS)
                        .sayHello(HelloRequest.newBuilder().setName("quick").build())
                        .getMessage();
                assertEquals("quick", answer);
                return false;
            } catch (StatusRuntimeException e) {
                assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), e.toString());
                return true;
            } finally {
                GtChannels.close(probe);
            }
        });
    }

    private static void assertCancelledOrUnavailable(ListenableFuture<HelloReply> call) throws Exception {
        try {
            HelloReply reply = call.get(30, TimeUnit.SECONDS);
            throw new AssertionError("the cancelled call was answered: " + reply);
        } catch (ExecutionException e) {
            Status.Code code = Status.fromThrowable(e.getCause()).getCode();
            assertTrue(
                    Set.of(Status.Code.CANCELLED, Status.Code.UNAVAILABLE).contains(code),
                    e.getCause().toString());
        }
    }

    /** The port binds again: the stopped server left nothing listening on it. */
    static void assertPortFree(int port) throws Exception {
        try (ServerSocket socket = new ServerSocket(port, 50, InetAddress.getByName("127.0.0.1"))) {
            assertEquals(port, socket.getLocalPort());
        }
    }
}
