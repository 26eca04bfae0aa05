package io.aiomisc.grpc;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.Codec;
import io.grpc.DecompressorRegistry;
import io.grpc.ForwardingClientCall.SimpleForwardingClientCall;
import io.grpc.ForwardingClientCallListener.SimpleForwardingClientCallListener;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import java.net.InetSocketAddress;
import java.util.List;

/** Plaintext client channels for the serving tests, beyond {@link GtChannels}'. */
final class GaChannels {
    /** The response header that names the encoding of the response messages. */
    static final Metadata.Key<String> GRPC_ENCODING =
            Metadata.Key.of("grpc-encoding", Metadata.ASCII_STRING_MARSHALLER);

    private GaChannels() {}

    /** A plaintext channel to {@code address} (its host string and port). */
    static ManagedChannel to(InetSocketAddress address) {
        return Grpc.newChannelBuilderForAddress(
                        address.getHostString(), address.getPort(), InsecureChannelCredentials.create())
                .build();
    }

    /**
     * A plaintext channel to the service on 127.0.0.1 that records each response's
     * {@code grpc-encoding} header ("none" when absent) in {@code encodings}; {@code acceptGzip}
     * false makes it a client that only accepts uncompressed responses.
     */
    static ManagedChannel recordingEncodings(GrpcService service, boolean acceptGzip, List<String> encodings) {
        DecompressorRegistry decompressors = acceptGzip
                ? DecompressorRegistry.getDefaultInstance()
                : DecompressorRegistry.emptyInstance().with(Codec.Identity.NONE, true);
        return Grpc.newChannelBuilderForAddress(
                        "127.0.0.1", service.localAddress().getPort(), InsecureChannelCredentials.create())
                .decompressorRegistry(decompressors)
                .intercept(new ClientInterceptor() {
                    @Override
                    public <Q, R> ClientCall<Q, R> interceptCall(
                            MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
                        return new SimpleForwardingClientCall<>(next.newCall(method, options)) {
                            @Override
                            public void start(Listener<R> listener, Metadata headers) {
                                super.start(
                                        new SimpleForwardingClientCallListener<>(listener) {
                                            @Override
                                            public void onHeaders(Metadata responseHeaders) {
                                                String encoding = responseHeaders.get(GRPC_ENCODING);
                                                encodings.add(encoding == null ? "none" : encoding);
                                                super.onHeaders(responseHeaders);
                                            }
                                        },
                                        headers);
                            }
                        };
                    }
                })
                .build();
    }
}
