package io.aiomisc.grpc;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.util.concurrent.TimeUnit;

/** Client channels for the tests: plaintext or with given credentials, to 127.0.0.1. */
final class GtChannels {
    private GtChannels() {}

    /** A plaintext channel to the service's port on 127.0.0.1. */
    static ManagedChannel plaintext(GrpcService service) {
        return to(service, InsecureChannelCredentials.create());
    }

    /** A channel with {@code credentials} (e.g. {@code TlsChannelCredentials}) to the service's port. */
    static ManagedChannel to(GrpcService service, ChannelCredentials credentials) {
        return Grpc.newChannelBuilderForAddress(
                        "127.0.0.1", service.localAddress().getPort(), credentials)
                .build();
    }

    /** Shuts the channel down and waits (bounded) for it: no client threads or sockets left. */
    static void close(ManagedChannel channel) throws InterruptedException {
        channel.shutdownNow();
        if (!channel.awaitTermination(10, TimeUnit.SECONDS)) {
            throw new AssertionError("the channel did not terminate within 10 s: " + channel);
        }
    }
}
