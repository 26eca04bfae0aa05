/**
 * A gRPC server as an aiomisc-java service: {@link io.aiomisc.grpc.GrpcService}, aiomisc's
 * {@code GRPCService} on grpc-java, with calls on virtual threads, the standard health service,
 * reflection, TLS and a graceful stop.
 */
package io.aiomisc.grpc;
