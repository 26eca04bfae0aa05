package io.aiomisc.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.aiomisc.grpc.test.CountReply;
import io.aiomisc.grpc.test.CountRequest;
import io.aiomisc.grpc.test.GreeterGrpc;
import io.aiomisc.grpc.test.HelloRequest;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The first call: unary, streaming and a status from a handler, over loopback. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GrpcServiceSmokeTest {
    @Test
    void unaryStreamingAndStatusOverLoopback() throws Exception {
        GrpcService service = new GrpcService("127.0.0.1", 0).addService(new GtGreeter());
        service.start();
        ManagedChannel channel = GtChannels.plaintext(service);
        try {
            GreeterGrpc.GreeterBlockingStub stub = GreeterGrpc.newBlockingStub(channel);
            assertEquals(
                    "hello smoke from a virtual thread: true",
                    stub.sayHello(HelloRequest.newBuilder().setName("smoke").build())
                            .getMessage());
            List<Integer> values = new ArrayList<>();
            stub.countTo(CountRequest.newBuilder().setTo(3).build())
                    .forEachRemaining((CountReply reply) -> values.add(reply.getValue()));
            assertEquals(List.of(1, 2, 3), values);
            StatusRuntimeException e = assertThrows(
                    StatusRuntimeException.class,
                    () -> stub.sayHello(HelloRequest.newBuilder()
                            .setName("fail:NOT_FOUND:no such greeting")
                            .build()));
            assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
            assertEquals("no such greeting", e.getStatus().getDescription());
        } finally {
            GtChannels.close(channel);
            service.stop(null);
        }
    }
}
