package io.aiomisc.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiomisc.examples.grpc.proto.GreeterGrpc;
import io.aiomisc.examples.grpc.proto.HelloReply;
import io.aiomisc.examples.grpc.proto.HellosRequest;
import io.aiomisc.grpc.GrpcService;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Greeter's answers and refusals, as a client sees them through a {@link GrpcService}. */
class GreeterServiceTest {
    private GrpcService service;
    private ManagedChannel channel;
    private GreeterGrpc.GreeterBlockingStub greeter;

    @BeforeEach
    void start() throws Exception {
        service = new GrpcService("127.0.0.1", 0).addService(new GreeterService());
        service.start();
        channel = Grpc.newChannelBuilderForAddress(
                        "127.0.0.1", service.localAddress().getPort(), InsecureChannelCredentials.create())
                .build();
        greeter = GreeterGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        try {
            channel.shutdownNow();
            assertTrue(channel.awaitTermination(10, TimeUnit.SECONDS), "the channel did not terminate");
        } finally {
            service.stop(null);
        }
    }

    @Test
    void streamsAsManyGreetingsAsAskedUpToTheMaximum() {
        List<String> messages = new ArrayList<>();
        greeter.sayHellos(request("max", GreeterService.MAX_COUNT))
                .forEachRemaining((HelloReply reply) -> messages.add(reply.getMessage()));
        assertEquals(GreeterService.MAX_COUNT, messages.size());
        assertEquals("Hello, max! (1 of 100)", messages.getFirst());
        assertEquals("Hello, max! (100 of 100)", messages.getLast());
    }

    @Test
    void aCountOutOfRangeIsRefusedWithInvalidArgumentNamingIt() {
        for (int count : new int[] {0, -1, GreeterService.MAX_COUNT + 1}) {
            StatusRuntimeException refused =
                    assertThrows(StatusRuntimeException.class, () -> greeter.sayHellos(request("x", count))
                            .forEachRemaining(reply -> {}));
            assertEquals(Status.Code.INVALID_ARGUMENT, refused.getStatus().getCode(), refused::toString);
            assertEquals(
                    "count must be in 1..100: " + count, refused.getStatus().getDescription());
        }
    }

    @Test
    void aBlankNameIsRefusedInTheStreamingCallToo() {
        StatusRuntimeException refused =
                assertThrows(StatusRuntimeException.class, () -> greeter.sayHellos(request("", 2))
                        .forEachRemaining(reply -> {}));
        assertEquals(Status.Code.INVALID_ARGUMENT, refused.getStatus().getCode(), refused::toString);
        assertEquals("name must not be blank", refused.getStatus().getDescription());
    }

    private static HellosRequest request(String name, int count) {
        return HellosRequest.newBuilder().setName(name).setCount(count).build();
    }
}
