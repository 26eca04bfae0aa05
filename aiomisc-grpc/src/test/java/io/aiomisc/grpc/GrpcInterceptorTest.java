package io.aiomisc.grpc;

import static io.aiomisc.grpc.GaCalls.hello;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiomisc.grpc.test.CountRequest;
import io.aiomisc.grpc.test.GreeterGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Interceptors: every call, in the order added, and the power to refuse a call. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GrpcInterceptorTest {
    private static final String SAY_HELLO = GreeterGrpc.getSayHelloMethod().getFullMethodName();
    private static final String COUNT_TO = GreeterGrpc.getCountToMethod().getFullMethodName();
    private static final String HEALTH_CHECK = HealthGrpc.getCheckMethod().getFullMethodName();

    @Test
    void interceptorsSeeEveryCallInTheOrderTheyWereAdded() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        GrpcService service = new GrpcService("127.0.0.1", 0)
                .addService(new GaGreeter())
                .interceptor(new GaRecordingInterceptor("first", events))
                .interceptor(new GaRecordingInterceptor("second", events))
                .interceptor(new GaRecordingInterceptor("third", events));
        service.start();
        ManagedChannel channel = GtChannels.plaintext(service);
        try {
            GreeterGrpc.GreeterBlockingStub stub =
                    GreeterGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS);
            assertTrue(stub.sayHello(hello("intercepted")).getMessage().startsWith("hello intercepted on "));
            awaitEvent(events, "first complete " + SAY_HELLO);
            assertEquals(starts(SAY_HELLO), started(events));

            events.clear();
            stub.countTo(CountRequest.newBuilder().setTo(2).build()).forEachRemaining(r -> {});
            awaitEvent(events, "first complete " + COUNT_TO);
            assertEquals(starts(COUNT_TO), started(events));

            events.clear();
            assertEquals(
                    ServingStatus.SERVING,
                    HealthGrpc.newBlockingStub(channel)
                            .withDeadlineAfter(20, TimeUnit.SECONDS)
                            .check(HealthCheckRequest.getDefaultInstance())
                            .getStatus());
            awaitEvent(events, "first complete " + HEALTH_CHECK);
            assertEquals(starts(HEALTH_CHECK), started(events));
        } finally {
            GtChannels.close(channel);
            service.stop(null);
        }
    }

    @Test
    void anInterceptorRefusesACallWithItsStatus() throws Exception {
        GaGreeter greeter = new GaGreeter();
        List<String> events = new CopyOnWriteArrayList<>();
        GrpcService service = new GrpcService("127.0.0.1", 0)
                .addService(greeter)
                .interceptor(new GaRecordingInterceptor("before", events))
                .interceptor(new GaRejectingInterceptor(
                        SAY_HELLO, Status.PERMISSION_DENIED.withDescription("no greetings today")))
                .interceptor(new GaRecordingInterceptor("after", events));
        service.start();
        ManagedChannel channel = GtChannels.plaintext(service);
        try {
            GreeterGrpc.GreeterBlockingStub stub =
                    GreeterGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS);
            StatusRuntimeException refused =
                    assertThrows(StatusRuntimeException.class, () -> stub.sayHello(hello("refused")));
            assertEquals(Status.Code.PERMISSION_DENIED, refused.getStatus().getCode());
            assertEquals("no greetings today", refused.getStatus().getDescription());
            assertEquals(0, greeter.calls());

            // other methods pass through the refusing interceptor to the ones after it
            List<Integer> values = new CopyOnWriteArrayList<>();
            stub.countTo(CountRequest.newBuilder().setTo(2).build()).forEachRemaining(r -> values.add(r.getValue()));
            assertEquals(List.of(1, 2), values);
            awaitEvent(events, "before complete " + COUNT_TO);
            assertEquals(
                    List.of("before start " + SAY_HELLO, "before start " + COUNT_TO, "after start " + COUNT_TO),
                    started(events));
        } finally {
            GtChannels.close(channel);
            service.stop(null);
        }
    }

    private static List<String> starts(String method) {
        return List.of("first start " + method, "second start " + method, "third start " + method);
    }

    private static List<String> started(List<String> events) {
        return events.stream().filter(e -> e.contains(" start ")).toList();
    }

    private static void awaitEvent(List<String> events, String event) {
        await().atMost(Duration.ofSeconds(30)).until(() -> events.contains(event));
    }
}
