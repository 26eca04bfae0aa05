package io.aiomisc.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiomisc.grpc.test.GreeterGrpc;
import io.aiomisc.grpc.test.HelloReply;
import io.aiomisc.grpc.test.HelloRequest;
import io.grpc.ManagedChannel;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The standard health service {@code grpc.health.v1.Health}: always served, following the lifecycle. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class GrpcHealthTest {
    /** A service of a second name, with no methods: its health status is all the test needs. */
    private static final ServerServiceDefinition PROBE =
            ServerServiceDefinition.builder("gb.Probe").build();

    @Test
    void checkAnswersServingForTheServerAndEachAddedServiceAndNotFoundForOthers() throws Exception {
        GrpcService service =
                new GrpcService("127.0.0.1", 0).addService(new GtGreeter()).addService(PROBE);
        service.start();
        ManagedChannel channel = GtChannels.plaintext(service);
        try {
            assertEquals(ServingStatus.SERVING, check(channel, ""));
            assertEquals(ServingStatus.SERVING, check(channel, GreeterGrpc.SERVICE_NAME));
            assertEquals(ServingStatus.SERVING, check(channel, "gb.Probe"));
            StatusRuntimeException e =
                    assertThrows(StatusRuntimeException.class, () -> check(channel, "gb.NoSuchService"));
            assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
        } finally {
            GtChannels.close(channel);
            service.stop(null);
        }
    }

    @Test
    void watchSeesServingThenNotServingAtStopThenEndsUnavailableWithoutHoldingTheStop() throws Exception {
        // the default graceful stop time (60 s) is above the bound below: an open watch that held
        // the stop would fail the test
        GrpcService service = new GrpcService("127.0.0.1", 0).addService(new GtGreeter());
        service.start();
        ManagedChannel channel = GtChannels.plaintext(service);
        try {
            GbRecorder<HealthCheckResponse> watch = new GbRecorder<>();
            HealthGrpc.newStub(channel)
                    .watch(HealthCheckRequest.newBuilder().setService("").build(), watch);
            assertEquals(ServingStatus.SERVING, watch.nextMessage().getStatus());

            CompletableFuture<Void> stop = stopInBackground(service);
            assertEquals(ServingStatus.NOT_SERVING, watch.nextMessage().getStatus());
            assertEquals(Status.Code.UNAVAILABLE, watch.nextEnd().getCode());
            stop.get(30, TimeUnit.SECONDS); // far below gracefulStopTime's 60 s
        } finally {
            GtChannels.close(channel);
            service.stop(null);
        }
    }

    @Test
    void duringAGracefulStopNewHealthChecksAreRefusedUnavailableWhileTheCallInFlightFinishes() throws Exception {
        // Check -> NOT_SERVING can only be seen in the instant between the health status change and
        // shutdown(); from shutdown() on, the server takes no new call at all, health included
        GbLatchedGreeter greeter = new GbLatchedGreeter();
        GrpcService service = new GrpcService("127.0.0.1", 0).addService(greeter);
        service.start();
        ManagedChannel channel = GtChannels.plaintext(service);
        ManagedChannel probes = GtChannels.plaintext(service);
        CompletableFuture<Void> stop = null;
        try {
            GbRecorder<HealthCheckResponse> watch = new GbRecorder<>();
            HealthGrpc.newStub(probes)
                    .watch(HealthCheckRequest.newBuilder().setService("").build(), watch);
            assertEquals(ServingStatus.SERVING, watch.nextMessage().getStatus());
            var inFlight = GreeterGrpc.newFutureStub(channel)
                    .sayHello(HelloRequest.newBuilder().setName("in flight").build());
            assertTrue(greeter.entered.await(30, TimeUnit.SECONDS), "the call did not start");

            stop = stopInBackground(service);
            assertEquals(ServingStatus.NOT_SERVING, watch.nextMessage().getStatus());
            // from now on no check may answer SERVING; once shutdown() ran they are refused
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                try {
                    ServingStatus status = check(probes, "");
                    assertEquals(ServingStatus.NOT_SERVING, status, "a check after the stop began");
                    return false;
                } catch (StatusRuntimeException e) {
                    assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), e.toString());
                    return true;
                }
            });
            assertFalse(stop.isDone(), "stop() returned while a call was in flight");
            assertFalse(inFlight.isDone(), "the call in flight ended before it was released");

            greeter.release.countDown();
            HelloReply reply = inFlight.get(30, TimeUnit.SECONDS);
            assertEquals("released in flight", reply.getMessage());
            stop.get(30, TimeUnit.SECONDS);
        } finally {
            greeter.release.countDown();
            GtChannels.close(channel);
            GtChannels.close(probes);
            if (stop != null) {
                stop.get(30, TimeUnit.SECONDS);
            }
            service.stop(null);
        }
    }

    @Test
    void aServerWithNoServiceOfItsOwnStartsAndServesHealth() throws Exception {
        GrpcService service = new GrpcService("127.0.0.1", 0);
        service.start();
        ManagedChannel channel = GtChannels.plaintext(service);
        try {
            assertEquals(ServingStatus.SERVING, check(channel, ""));
        } finally {
            GtChannels.close(channel);
            service.stop(null);
        }
    }

    static ServingStatus check(ManagedChannel channel, String serviceName) {
        return HealthGrpc.newBlockingStub(channel)
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .check(HealthCheckRequest.newBuilder().setService(serviceName).build())
                .getStatus();
    }

    /** Runs {@code service.stop(null)} on a platform thread of the test's own (not an aiomisc one). */
    static CompletableFuture<Void> stopInBackground(GrpcService service) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread.ofPlatform().name("gb-stopper").start(() -> {
            try {
                service.stop(null);
                done.complete(null);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        return done;
    }
}
