/**
 * aiomisc-java's gRPC server on grpc-java: {@link io.aiomisc.grpc.GrpcService}.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"}) // grpc-java ships automatic modules only
module io.aiomisc.grpc {
    requires transitive io.aiomisc.core;
    requires transitive io.grpc;
    requires io.grpc.netty.shaded;
    requires io.grpc.services;
    requires io.grpc.util;
    requires org.slf4j;

    exports io.aiomisc.grpc;
}
