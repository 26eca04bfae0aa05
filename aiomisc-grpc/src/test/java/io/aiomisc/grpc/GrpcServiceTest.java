package io.aiomisc.grpc;

import static io.aiomisc.grpc.GaCalls.hello;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.aiomisc.Entrypoint;
import io.aiomisc.Service;
import io.aiomisc.grpc.test.CountReply;
import io.aiomisc.grpc.test.CountRequest;
import io.aiomisc.grpc.test.GreeterGrpc;
import io.aiomisc.junit.AiomiscTest;
import io.aiomisc.junit.Services;
import io.aiomisc.junit.UnusedPort;
import io.aiomisc.testing.CapturedLogs;
import io.aiomisc.testing.TestEntrypoints;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Serving: generated stubs, virtual threads, concurrency, statuses, addresses, restart, entrypoint. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@AiomiscTest
class GrpcServiceTest {
    private static final String HANDLER_THREAD = "aiomisc-grpc-GrpcService-";

    /** What the test entrypoint's service serves, on {@link #port}. */
    final GaGreeter greeter = new GaGreeter();

    @UnusedPort
    int port;

    /** A plaintext channel to it. */
    ManagedChannel channel;

    @Services
    List<Service> services() {
        return List.of(new GrpcService("127.0.0.1", port).addService(greeter));
    }

    @BeforeEach
    void connect() {
        channel = GaChannels.to(new InetSocketAddress("127.0.0.1", port));
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        GtChannels.close(channel);
    }

    @Test
    void blockingAndAsyncStubsServeUnaryAndStreamingCallsOnVirtualThreads() throws Exception {
        GreeterGrpc.GreeterBlockingStub blocking = GreeterGrpc.newBlockingStub(channel);
        String reply = blocking.sayHello(hello("blocking")).getMessage();
        assertTrue(reply.startsWith("hello blocking on " + HANDLER_THREAD), reply);
        assertTrue(reply.endsWith(" virtual=true"), reply);
        List<Integer> values = new ArrayList<>();
        blocking.countTo(CountRequest.newBuilder().setTo(5).build())
                .forEachRemaining((CountReply r) -> values.add(r.getValue()));
        assertEquals(List.of(1, 2, 3, 4, 5), values);

        GreeterGrpc.GreeterStub async = GreeterGrpc.newStub(channel);
        String asyncReply = GaCalls.sayHello(async, "async").get();
        assertTrue(asyncReply.startsWith("hello async on " + HANDLER_THREAD), asyncReply);
        assertTrue(asyncReply.endsWith(" virtual=true"), asyncReply);
        assertEquals(List.of(1, 2, 3), GaCalls.get(GaCalls.countTo(async, 3)));
        assertEquals(List.of(), GaCalls.get(GaCalls.countTo(async, 0)));
    }

    @Test
    void aBlockedHandlerDoesNotHoldBackOtherCalls() throws Exception {
        GreeterGrpc.GreeterStub async = GreeterGrpc.newStub(channel);
        GaCalls.Unary first = GaCalls.sayHello(async, "block:first");
        GaCalls.Unary second = GaCalls.sayHello(async, "block:second");
        greeter.gate("first").awaitEntered();
        greeter.gate("second").awaitEntered();
        // both handlers are parked; more calls, unary and streaming, are answered meanwhile
        GreeterGrpc.GreeterBlockingStub blocking =
                GreeterGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS);
        assertTrue(blocking.sayHello(hello("meanwhile")).getMessage().startsWith("hello meanwhile"));
        assertEquals(List.of(1, 2), GaCalls.get(GaCalls.countTo(async, 2)));
        assertFalse(first.reply.isDone());
        assertFalse(second.reply.isDone());

        greeter.gate("second").release();
        assertEquals("released second", second.get());
        assertFalse(first.reply.isDone());
        greeter.gate("first").release();
        assertEquals("released first", first.get());
    }

    @Test
    void aThousandConcurrentCallsOnOneChannelAreAllInTheirHandlersAtOnceAndAllAnswered() throws Exception {
        int calls = 1000;
        // every handler waits until all 1,000 are in: only one thread per call can answer them
        greeter.barrier(calls);
        GreeterGrpc.GreeterStub async = GreeterGrpc.newStub(channel);
        List<GaCalls.Unary> barrierCalls = new ArrayList<>();
        List<GaCalls.Unary> helloCalls = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            barrierCalls.add(GaCalls.sayHello(async, "barrier"));
        }
        for (int i = 0; i < calls; i++) {
            helloCalls.add(GaCalls.sayHello(async, "n" + i));
        }
        for (GaCalls.Unary call : barrierCalls) {
            assertEquals("met", call.get());
        }
        for (int i = 0; i < calls; i++) {
            String reply = helloCalls.get(i).get();
            assertTrue(reply.startsWith("hello n" + i + " on "), reply);
        }
        assertEquals(2 * calls, greeter.calls());
    }

    @Test
    void statusesArriveWithTheirCodeDescriptionAndTrailers() throws Exception {
        GreeterGrpc.GreeterBlockingStub stub =
                GreeterGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS);

        StatusRuntimeException thrown = assertThrows(
                StatusRuntimeException.class, () -> stub.sayHello(hello("fail:NOT_FOUND:no such greeting")));
        assertEquals(Status.Code.NOT_FOUND, thrown.getStatus().getCode());
        assertEquals("no such greeting", thrown.getStatus().getDescription());
        assertEquals("no such greeting", thrown.getTrailers().get(GaGreeter.DETAIL));

        StatusRuntimeException passed = assertThrows(
                StatusRuntimeException.class, () -> stub.sayHello(hello("onerror:PERMISSION_DENIED:keep out")));
        assertEquals(Status.Code.PERMISSION_DENIED, passed.getStatus().getCode());
        assertEquals("keep out", passed.getStatus().getDescription());
        assertEquals("keep out", passed.getTrailers().get(GaGreeter.DETAIL));

        List<Integer> values = new ArrayList<>();
        Iterator<CountReply> stream =
                stub.countTo(CountRequest.newBuilder().setTo(-3).build());
        StatusRuntimeException midStream = assertThrows(
                StatusRuntimeException.class, () -> stream.forEachRemaining(r -> values.add(r.getValue())));
        assertEquals(List.of(1, 2, 3), values);
        assertEquals(Status.Code.ABORTED, midStream.getStatus().getCode());
        assertEquals("counted to 3", midStream.getStatus().getDescription());
        assertEquals("after 3", midStream.getTrailers().get(GaGreeter.DETAIL));

        StatusRuntimeException unexpected =
                assertThrows(StatusRuntimeException.class, () -> stub.sayHello(hello("boom")));
        assertEquals(Status.Code.UNKNOWN, unexpected.getStatus().getCode());
        assertNull(unexpected.getTrailers().get(GaGreeter.DETAIL));

        // the server goes on serving, on the same channel
        assertTrue(stub.sayHello(hello("after")).getMessage().startsWith("hello after on "));
        assertEquals(4, greeter.calls()); // SayHello calls: fail, onerror, boom, after
    }

    @Test
    void portZeroBindsAFreePortThatLocalAddressTellsAndTheStartLogs() throws Exception {
        GrpcService service = new GrpcService("127.0.0.1", 0) {
            @Override
            public String name() {
                return "greeter-grpc";
            }
        }.addService(new GaGreeter());
        IllegalStateException before = assertThrows(IllegalStateException.class, service::localAddress);
        assertTrue(before.getMessage().contains("greeter-grpc"), before.getMessage());
        InetSocketAddress address;
        try (CapturedLogs logs = CapturedLogs.of(GrpcService.class)) {
            service.start();
            try {
                address = service.localAddress();
                assertEquals("127.0.0.1", address.getAddress().getHostAddress());
                assertNotEquals(0, address.getPort());
                List<ILoggingEvent> events = logs.events();
                assertEquals(1, events.size(), events::toString);
                assertEquals(Level.INFO, events.get(0).getLevel());
                assertEquals("io.aiomisc.grpc.GrpcService", events.get(0).getLoggerName());
                assertEquals(
                        "Listening grpc://127.0.0.1:" + address.getPort(),
                        events.get(0).getFormattedMessage());
                assertServes(address);
            } finally {
                service.stop(null);
            }
        }
        IllegalStateException after = assertThrows(IllegalStateException.class, service::localAddress);
        assertTrue(after.getMessage().contains("greeter-grpc"), after.getMessage());
    }

    @Test
    void ipv6LoopbackServesAndLogsInBrackets() throws Exception {
        Assumptions.assumeTrue(hasIpv6Loopback(), "this machine has no IPv6 loopback ::1");
        for (String host : List.of("::1", "[::1]")) {
            GrpcService service = new GrpcService(host, 0).addService(new GaGreeter());
            try (CapturedLogs logs = CapturedLogs.of(GrpcService.class)) {
                service.start();
                try {
                    InetSocketAddress address = service.localAddress();
                    assertTrue(address.getAddress() instanceof Inet6Address, address.toString());
                    assertTrue(address.getAddress().isLoopbackAddress(), address.toString());
                    assertEquals(
                            List.of("Listening grpc://[::1]:" + address.getPort()),
                            logs.events().stream()
                                    .map(ILoggingEvent::getFormattedMessage)
                                    .toList(),
                            "host " + host);
                    assertServes(address);
                } finally {
                    service.stop(null);
                }
            }
        }
    }

    @Test
    void aStoppedServiceStartsAgainAndServes() throws Exception {
        GrpcService service = new GrpcService("127.0.0.1", 0).addService(new GaGreeter());
        service.start();
        InetSocketAddress first = service.localAddress();
        try {
            assertServes(first);
        } finally {
            service.stop(null);
        }
        assertThrows(IllegalStateException.class, service::localAddress);

        service.start();
        try {
            InetSocketAddress second = service.localAddress();
            assertNotEquals(0, second.getPort());
            assertServes(second);
        } finally {
            service.stop(null);
        }
        assertThrows(IllegalStateException.class, service::localAddress);
    }

    @Test
    void servesInsideAnEntrypointAndStopsWhenItCloses() throws Exception {
        GrpcService service = new GrpcService("127.0.0.1", 0).addService(new GaGreeter());
        InetSocketAddress address;
        try (Entrypoint entrypoint = TestEntrypoints.builder().services(service).start()) {
            assertTrue(entrypoint.isRunning());
            address = service.localAddress();
            assertServes(address);
        }
        assertThrows(IllegalStateException.class, service::localAddress);
        ManagedChannel channel = GaChannels.to(address);
        try {
            StatusRuntimeException e =
                    assertThrows(StatusRuntimeException.class, () -> GreeterGrpc.newBlockingStub(channel)
                            .withDeadlineAfter(20, TimeUnit.SECONDS)
                            .sayHello(hello("too late")));
            assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
        } finally {
            GtChannels.close(channel);
        }
    }

    /** A Greeter call and a health check on a fresh channel to {@code address} are answered. */
    static void assertServes(InetSocketAddress address) throws Exception {
        ManagedChannel channel = GaChannels.to(address);
        try {
            String reply = GreeterGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(20, TimeUnit.SECONDS)
                    .sayHello(hello("probe"))
                    .getMessage();
            assertTrue(reply.startsWith("hello probe on "), reply);
            assertEquals(
                    ServingStatus.SERVING,
                    HealthGrpc.newBlockingStub(channel)
                            .withDeadlineAfter(20, TimeUnit.SECONDS)
                            .check(HealthCheckRequest.getDefaultInstance())
                            .getStatus());
        } finally {
            GtChannels.close(channel);
        }
    }

    private static boolean hasIpv6Loopback() {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("::1"))) {
            return probe.getLocalPort() > 0;
        } catch (IOException e) {
            return false;
        }
    }
}
