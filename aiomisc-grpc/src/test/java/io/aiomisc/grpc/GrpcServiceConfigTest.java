package io.aiomisc.grpc;

import static io.aiomisc.grpc.GaCalls.hello;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiomisc.grpc.test.GreeterGrpc;
import io.aiomisc.junit.AiomiscTest;
import io.aiomisc.junit.UnusedPort;
import io.aiomisc.net.TlsConfig;
import io.aiomisc.testing.LeakCheck;
import io.aiomisc.testing.TestPki;
import io.grpc.BindableService;
import io.grpc.ManagedChannel;
import io.grpc.ServerBuilder;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Configuration: its checks, the call limit, compression and the configure hook. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GrpcServiceConfigTest {
    private static final String SAY_HELLO = GreeterGrpc.getSayHelloMethod().getFullMethodName();

    @Test
    void everyConfigurationMethodThrowsAfterStartAndAfterStop(@TempDir Path dir) throws Exception {
        TlsConfig tls = TestPki.create(dir).server.presenting().build();
        GrpcService service = new GrpcService("127.0.0.1", 0) {
            @Override
            public String name() {
                return "configured-grpc";
            }
        };
        service.start();
        try {
            assertEveryChangeRefused(service, tls);
        } finally {
            service.stop(null);
        }
        assertEveryChangeRefused(service, tls);
    }

    private static void assertEveryChangeRefused(GrpcService service, TlsConfig tls) {
        List<Consumer<GrpcService>> changes = List.of(
                s -> s.addService(new GaGreeter()),
                s -> s.addService(new GaGreeter().bindService()),
                s -> s.interceptor(new GaRecordingInterceptor("late", new CopyOnWriteArrayList<>())),
                s -> s.reflection(true),
                s -> s.tls(tls),
                s -> s.maxConcurrentCalls(5),
                s -> s.compression("gzip"));
        List<String> names = List.of(
                "addService", "addService", "interceptor", "reflection", "tls", "maxConcurrentCalls", "compression");
        for (int i = 0; i < changes.size(); i++) {
            Consumer<GrpcService> change = changes.get(i);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> change.accept(service));
            assertTrue(e.getMessage().contains(names.get(i)), e.getMessage());
            assertTrue(e.getMessage().contains("configured-grpc"), e.getMessage());
        }
    }

    @Test
    void servicesItServesItselfOrTwiceAreRefusedByName() {
        GrpcService service = new GrpcService("127.0.0.1", 0).addService(new GaGreeter());

        IllegalArgumentException duplicate =
                assertThrows(IllegalArgumentException.class, () -> service.addService(new GaGreeter()));
        assertTrue(duplicate.getMessage().contains("aiomisc.test.Greeter"), duplicate.getMessage());
        ServerServiceDefinition intercepted = ServerInterceptors.intercept(
                new GaGreeter(), new GaRecordingInterceptor("x", new CopyOnWriteArrayList<>()));
        IllegalArgumentException duplicateDefinition =
                assertThrows(IllegalArgumentException.class, () -> service.addService(intercepted));
        assertTrue(duplicateDefinition.getMessage().contains("aiomisc.test.Greeter"), duplicateDefinition.getMessage());

        BindableService health = new HealthStatusManager().getHealthService();
        IllegalArgumentException healthRefused =
                assertThrows(IllegalArgumentException.class, () -> service.addService(health));
        assertTrue(healthRefused.getMessage().contains("grpc.health.v1.Health"), healthRefused.getMessage());

        IllegalArgumentException reflectionRefused = assertThrows(
                IllegalArgumentException.class, () -> service.addService(ProtoReflectionServiceV1.newInstance()));
        assertTrue(
                reflectionRefused.getMessage().contains("grpc.reflection.v1.ServerReflection"),
                reflectionRefused.getMessage());
        @SuppressWarnings("deprecation")
        BindableService v1alpha = io.grpc.protobuf.services.ProtoReflectionService.newInstance();
        IllegalArgumentException v1alphaRefused =
                assertThrows(IllegalArgumentException.class, () -> service.addService(v1alpha));
        assertTrue(
                v1alphaRefused.getMessage().contains("grpc.reflection.v1alpha.ServerReflection"),
                v1alphaRefused.getMessage());
    }

    @Test
    void badValuesAreRefusedNamingThem() {
        GrpcService service = new GrpcService("127.0.0.1", 0);

        IllegalArgumentException zero =
                assertThrows(IllegalArgumentException.class, () -> service.maxConcurrentCalls(0));
        assertTrue(
                zero.getMessage().contains("maxConcurrentCalls")
                        && zero.getMessage().endsWith(": 0"),
                zero.getMessage());
        IllegalArgumentException negative =
                assertThrows(IllegalArgumentException.class, () -> service.maxConcurrentCalls(-3));
        assertTrue(negative.getMessage().endsWith(": -3"), negative.getMessage());

        IllegalArgumentException brotli =
                assertThrows(IllegalArgumentException.class, () -> service.compression("brotli"));
        assertTrue(brotli.getMessage().contains("'brotli'"), brotli.getMessage());

        assertNullNamed("service", () -> service.addService((BindableService) null));
        assertNullNamed("service", () -> service.addService((ServerServiceDefinition) null));
        assertNullNamed("interceptor", () -> service.interceptor(null));
        assertNullNamed("tls", () -> service.tls(null));
        assertNullNamed("encoding", () -> service.compression(null));
        assertNullNamed("address", () -> new GrpcService(null, 0));

        IllegalArgumentException blank = assertThrows(IllegalArgumentException.class, () -> new GrpcService(" \t", 0));
        assertTrue(blank.getMessage().contains("address"), blank.getMessage());
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> new GrpcService("", 0));
        assertTrue(empty.getMessage().contains("address"), empty.getMessage());
        for (int port : new int[] {-1, 65536}) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> new GrpcService("127.0.0.1", port));
            assertTrue(e.getMessage().contains("port") && e.getMessage().endsWith(": " + port), e.getMessage());
        }
        // the limits themselves are fine
        new GrpcService("127.0.0.1", 65535);
        service.maxConcurrentCalls(1).compression("identity").compression("gzip");
    }

    private static void assertNullNamed(String parameter, org.junit.jupiter.api.function.Executable call) {
        NullPointerException e = assertThrows(NullPointerException.class, call);
        assertEquals(parameter, e.getMessage());
    }

    @Test
    void callsBeyondTheLimitAreRefusedAtOnceUntilASlotFrees() throws Exception {
        GaGreeter greeter = new GaGreeter();
        List<String> events = new CopyOnWriteArrayList<>();
        GrpcService service = new GrpcService("127.0.0.1", 0)
                .addService(greeter)
                .interceptor(new GaRecordingInterceptor("rec", events))
                .maxConcurrentCalls(2);
        service.start();
        ManagedChannel channel = GtChannels.plaintext(service);
        try {
            GreeterGrpc.GreeterStub async = GreeterGrpc.newStub(channel);
            GreeterGrpc.GreeterBlockingStub blocking =
                    GreeterGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS);
            GaCalls.Unary a = GaCalls.sayHello(async, "block:a");
            GaCalls.Unary b = GaCalls.sayHello(async, "block:b");
            greeter.gate("a").awaitEntered();
            greeter.gate("b").awaitEntered();

            StatusRuntimeException third =
                    assertThrows(StatusRuntimeException.class, () -> blocking.sayHello(hello("third")));
            assertEquals(Status.Code.RESOURCE_EXHAUSTED, third.getStatus().getCode());
            assertTrue(
                    third.getStatus().getDescription().contains("2"),
                    third.getStatus().getDescription());
            assertEquals(2, greeter.calls()); // the refused call never reached the handler
            // health checks do not count: they answer while the limit is reached
            assertEquals(
                    ServingStatus.SERVING,
                    HealthGrpc.newBlockingStub(channel)
                            .withDeadlineAfter(20, TimeUnit.SECONDS)
                            .check(HealthCheckRequest.getDefaultInstance())
                            .getStatus());

            greeter.gate("a").release();
            assertEquals("released a", a.get());
            awaitEvent(events, "rec complete " + SAY_HELLO);
            assertTrue(blocking.sayHello(hello("fourth")).getMessage().startsWith("hello fourth on "));

            greeter.gate("b").release();
            assertEquals("released b", b.get());
        } finally {
            GtChannels.close(channel);
            service.stop(null);
        }
    }

    @Test
    void aCancelledCallReleasesItsSlot() throws Exception {
        GaGreeter greeter = new GaGreeter();
        List<String> events = new CopyOnWriteArrayList<>();
        GrpcService service = new GrpcService("127.0.0.1", 0)
                .addService(greeter)
                .interceptor(new GaRecordingInterceptor("rec", events))
                .maxConcurrentCalls(2);
        service.start();
        ManagedChannel channel = GtChannels.plaintext(service);
        try {
            GreeterGrpc.GreeterStub async = GreeterGrpc.newStub(channel);
            GreeterGrpc.GreeterBlockingStub blocking =
                    GreeterGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS);
            GaCalls.Unary a = GaCalls.sayHello(async, "block:a");
            GaCalls.Unary b = GaCalls.sayHello(async, "block:b");
            greeter.gate("a").awaitEntered();
            greeter.gate("b").awaitEntered();
            assertEquals(
                    Status.Code.RESOURCE_EXHAUSTED,
                    assertThrows(StatusRuntimeException.class, () -> blocking.sayHello(hello("full")))
                            .getStatus()
                            .getCode());

            a.cancel();
            greeter.gate("a").awaitCancelled();
            awaitEvent(events, "rec cancel " + SAY_HELLO);
            // b still holds its slot; a's is free again
            assertTrue(blocking.sayHello(hello("after cancel")).getMessage().startsWith("hello after cancel on "));
            assertEquals(
                    Status.Code.CANCELLED,
                    assertThrows(StatusRuntimeException.class, a::get)
                            .getStatus()
                            .getCode());

            greeter.gate("b").release();
            assertEquals("released b", b.get());
        } finally {
            GtChannels.close(channel);
            service.stop(null);
        }
    }

    @Test
    void gzipCompressesResponsesForClientsThatAcceptIt() throws Exception {
        GrpcService service =
                new GrpcService("127.0.0.1", 0).addService(new GaGreeter()).compression("gzip");
        service.start();
        List<String> accepting = new CopyOnWriteArrayList<>();
        List<String> refusing = new CopyOnWriteArrayList<>();
        ManagedChannel gzipClient = GaChannels.recordingEncodings(service, true, accepting);
        ManagedChannel plainClient = GaChannels.recordingEncodings(service, false, refusing);
        try {
            String name = "x".repeat(2000); // compressible, so a broken encoding would show
            assertTrue(GreeterGrpc.newBlockingStub(gzipClient)
                    .withDeadlineAfter(20, TimeUnit.SECONDS)
                    .sayHello(hello(name))
                    .getMessage()
                    .startsWith("hello " + name + " on "));
            assertEquals(List.of("gzip"), accepting);

            assertTrue(GreeterGrpc.newBlockingStub(plainClient)
                    .withDeadlineAfter(20, TimeUnit.SECONDS)
                    .sayHello(hello(name))
                    .getMessage()
                    .startsWith("hello " + name + " on "));
            assertEquals(1, refusing.size());
            assertTrue(Set.of("none", "identity").contains(refusing.get(0)), refusing.toString());
        } finally {
            GtChannels.close(gzipClient);
            GtChannels.close(plainClient);
            service.stop(null);
        }
    }

    @Test
    void withoutCompressionResponsesAreNotCompressed() throws Exception {
        GrpcService service = new GrpcService("127.0.0.1", 0).addService(new GaGreeter());
        service.start();
        List<String> encodings = new CopyOnWriteArrayList<>();
        ManagedChannel channel = GaChannels.recordingEncodings(service, true, encodings);
        try {
            assertTrue(GreeterGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(20, TimeUnit.SECONDS)
                    .sayHello(hello("plain"))
                    .getMessage()
                    .startsWith("hello plain on "));
            assertEquals(1, encodings.size());
            assertTrue(Set.of("none", "identity").contains(encodings.get(0)), encodings.toString());
        } finally {
            GtChannels.close(channel);
            service.stop(null);
        }
    }

    @Test
    void theConfigureHookRunsAtEachStart() throws Exception {
        AtomicInteger hooks = new AtomicInteger();
        GrpcService service = new GrpcService("127.0.0.1", 0) {
            @Override
            protected void configure(ServerBuilder<?> builder) {
                hooks.incrementAndGet();
                builder.maxInboundMessageSize(1024);
            }
        }.addService(new GaGreeter());
        assertEquals(0, hooks.get());
        service.start();
        ManagedChannel channel = GtChannels.plaintext(service);
        try {
            assertEquals(1, hooks.get());
            GreeterGrpc.GreeterBlockingStub stub =
                    GreeterGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS);
            assertTrue(stub.sayHello(hello("small")).getMessage().startsWith("hello small on "));
            StatusRuntimeException large =
                    assertThrows(StatusRuntimeException.class, () -> stub.sayHello(hello("x".repeat(2000))));
            assertEquals(Status.Code.RESOURCE_EXHAUSTED, large.getStatus().getCode());
        } finally {
            GtChannels.close(channel);
            service.stop(null);
        }
        service.start();
        try {
            assertEquals(2, hooks.get());
        } finally {
            service.stop(null);
        }
    }

    @Test
    @AiomiscTest
    void aHookThatThrowsFailsTheStartAndLeavesNothingBound(@UnusedPort int port) throws Exception {
        IllegalStateException refusal = new IllegalStateException("the hook says no");
        AtomicInteger hooks = new AtomicInteger();
        GrpcService service = new GrpcService("127.0.0.1", port) {
            @Override
            protected void configure(ServerBuilder<?> builder) {
                if (hooks.incrementAndGet() == 1) {
                    throw refusal;
                }
            }
        }.addService(new GaGreeter());
        Set<Long> platformBefore = LeakCheck.platformThreadIds();

        assertSame(refusal, assertThrows(IllegalStateException.class, service::start));
        assertThrows(IllegalStateException.class, service::localAddress);
        assertEquals(platformBefore, LeakCheck.platformThreadIds());
        try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
            assertEquals(port, again.getLocalPort());
        }

        // nothing half-started stays behind: the same service starts on that port and serves
        service.start();
        try {
            assertEquals(port, service.localAddress().getPort());
            GrpcServiceTest.assertServes(service.localAddress());
        } finally {
            service.stop(null);
        }
        assertEquals(2, hooks.get());
    }

    private static void awaitEvent(List<String> events, String event) {
        await().atMost(Duration.ofSeconds(30)).until(() -> events.contains(event));
    }
}
