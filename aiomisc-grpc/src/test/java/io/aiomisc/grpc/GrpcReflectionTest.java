package io.aiomisc.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import io.aiomisc.grpc.test.GreeterGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Server reflection, {@code grpc.reflection.v1} and {@code v1alpha}: on with reflection(true), off by default. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GrpcReflectionTest {
    private static final String V1 = ServerReflectionGrpc.SERVICE_NAME;
    private static final String V1ALPHA = io.grpc.reflection.v1alpha.ServerReflectionGrpc.SERVICE_NAME;

    @Test
    void v1ListsTheServicesAndGivesTheGreetersFile() throws Exception {
        GrpcService service =
                new GrpcService("127.0.0.1", 0).addService(new GtGreeter()).reflection(true);
        service.start();
        ManagedChannel channel = GtChannels.plaintext(service);
        try {
            ServerReflectionResponse list = reflectV1(
                    channel,
                    ServerReflectionRequest.newBuilder().setListServices("").build());
            Set<String> names = new TreeSet<>();
            for (ServiceResponse s : list.getListServicesResponse().getServiceList()) {
                names.add(s.getName());
            }
            assertEquals(new TreeSet<>(Set.of(GreeterGrpc.SERVICE_NAME, HealthGrpc.SERVICE_NAME, V1, V1ALPHA)), names);

            ServerReflectionResponse file = reflectV1(
                    channel,
                    ServerReflectionRequest.newBuilder()
                            .setFileContainingSymbol(GreeterGrpc.SERVICE_NAME)
                            .build());
            assertGreeterFileAmong(file.getFileDescriptorResponse().getFileDescriptorProtoList());
        } finally {
            GtChannels.close(channel);
            service.stop(null);
        }
    }

    @Test
    void v1alphaListsTheServicesAndGivesTheGreetersFile() throws Exception {
        GrpcService service =
                new GrpcService("127.0.0.1", 0).addService(new GtGreeter()).reflection(true);
        service.start();
        ManagedChannel channel = GtChannels.plaintext(service);
        try {
            io.grpc.reflection.v1alpha.ServerReflectionResponse list = reflectV1alpha(
                    channel,
                    io.grpc.reflection.v1alpha.ServerReflectionRequest.newBuilder()
                            .setListServices("")
                            .build());
            Set<String> names = new TreeSet<>();
            for (io.grpc.reflection.v1alpha.ServiceResponse s :
                    list.getListServicesResponse().getServiceList()) {
                names.add(s.getName());
            }
            assertEquals(new TreeSet<>(Set.of(GreeterGrpc.SERVICE_NAME, HealthGrpc.SERVICE_NAME, V1, V1ALPHA)), names);

            io.grpc.reflection.v1alpha.ServerReflectionResponse file = reflectV1alpha(
                    channel,
                    io.grpc.reflection.v1alpha.ServerReflectionRequest.newBuilder()
                            .setFileContainingSymbol(GreeterGrpc.SERVICE_NAME)
                            .build());
            assertGreeterFileAmong(file.getFileDescriptorResponse().getFileDescriptorProtoList());
        } finally {
            GtChannels.close(channel);
            service.stop(null);
        }
    }

    @Test
    void aServerWithNoServiceOfItsOwnServesHealthAndReflection() throws Exception {
        GrpcService service = new GrpcService("127.0.0.1", 0).reflection(true);
        service.start();
        ManagedChannel channel = GtChannels.plaintext(service);
        try {
            ServerReflectionResponse list = reflectV1(
                    channel,
                    ServerReflectionRequest.newBuilder().setListServices("").build());
            Set<String> names = new TreeSet<>();
            for (ServiceResponse s : list.getListServicesResponse().getServiceList()) {
                names.add(s.getName());
            }
            assertEquals(new TreeSet<>(Set.of(HealthGrpc.SERVICE_NAME, V1, V1ALPHA)), names);
            assertEquals(
                    io.grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING, GrpcHealthTest.check(channel, ""));
        } finally {
            GtChannels.close(channel);
            service.stop(null);
        }
    }

    @Test
    void offByDefaultBothReflectionVersionsAnswerUnimplemented() throws Exception {
        GrpcService service = new GrpcService("127.0.0.1", 0).addService(new GtGreeter());
        service.start();
        ManagedChannel channel = GtChannels.plaintext(service);
        try {
            GbRecorder<ServerReflectionResponse> v1 = new GbRecorder<>();
            StreamObserver<ServerReflectionRequest> v1Requests =
                    ServerReflectionGrpc.newStub(channel).serverReflectionInfo(v1);
            v1Requests.onNext(
                    ServerReflectionRequest.newBuilder().setListServices("").build());
            v1Requests.onCompleted();
            assertEquals(Status.Code.UNIMPLEMENTED, v1.nextEnd().getCode());

            GbRecorder<io.grpc.reflection.v1alpha.ServerReflectionResponse> v1alpha = new GbRecorder<>();
            StreamObserver<io.grpc.reflection.v1alpha.ServerReflectionRequest> v1alphaRequests =
                    io.grpc.reflection.v1alpha.ServerReflectionGrpc.newStub(channel)
                            .serverReflectionInfo(v1alpha);
            v1alphaRequests.onNext(io.grpc.reflection.v1alpha.ServerReflectionRequest.newBuilder()
                    .setListServices("")
                    .build());
            v1alphaRequests.onCompleted();
            assertEquals(Status.Code.UNIMPLEMENTED, v1alpha.nextEnd().getCode());
        } finally {
            GtChannels.close(channel);
            service.stop(null);
        }
    }

    private static ServerReflectionResponse reflectV1(ManagedChannel channel, ServerReflectionRequest request)
            throws InterruptedException {
        GbRecorder<ServerReflectionResponse> responses = new GbRecorder<>();
        StreamObserver<ServerReflectionRequest> requests =
                ServerReflectionGrpc.newStub(channel).serverReflectionInfo(responses);
        requests.onNext(request);
        requests.onCompleted();
        ServerReflectionResponse response = responses.nextMessage();
        assertEquals(Status.Code.OK, responses.nextEnd().getCode());
        return response;
    }

    private static io.grpc.reflection.v1alpha.ServerReflectionResponse reflectV1alpha(
            ManagedChannel channel, io.grpc.reflection.v1alpha.ServerReflectionRequest request)
            throws InterruptedException {
        GbRecorder<io.grpc.reflection.v1alpha.ServerReflectionResponse> responses = new GbRecorder<>();
        StreamObserver<io.grpc.reflection.v1alpha.ServerReflectionRequest> requests =
                io.grpc.reflection.v1alpha.ServerReflectionGrpc.newStub(channel).serverReflectionInfo(responses);
        requests.onNext(request);
        requests.onCompleted();
        io.grpc.reflection.v1alpha.ServerReflectionResponse response = responses.nextMessage();
        assertEquals(Status.Code.OK, responses.nextEnd().getCode());
        return response;
    }

    /** One of the files is greeter.proto, declaring the Greeter with its two methods. */
    private static void assertGreeterFileAmong(List<ByteString> files) throws Exception {
        List<String> seen = new ArrayList<>();
        for (ByteString bytes : files) {
            FileDescriptorProto file = FileDescriptorProto.parseFrom(bytes);
            seen.add(file.getName());
            for (ServiceDescriptorProto s : file.getServiceList()) {
                if ((file.getPackage() + "." + s.getName()).equals(GreeterGrpc.SERVICE_NAME)) {
                    assertEquals("greeter.proto", file.getName());
                    List<String> methods = new ArrayList<>();
                    s.getMethodList().forEach(m -> methods.add(m.getName()));
                    assertEquals(List.of("SayHello", "CountTo"), methods);
                    return;
                }
            }
        }
        fail("no file declares " + GreeterGrpc.SERVICE_NAME + " among " + seen);
    }
}
