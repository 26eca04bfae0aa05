/**
 * A gRPC server as an aiomisc-java service: {@link io.aiomisc.grpc.GrpcService}, aiomisc's
 * {@code GRPCService} on grpc-java, with calls on virtual threads, the standard health service,
 * reflection, TLS and a graceful stop.
 *
 * <p>The services it serves are usually generated from {@code .proto} files by protoc and
 * protoc-gen-grpc-java in the user's build; the README's "gRPC" section shows the Maven setup, and
 * the {@code aiomisc-examples} module a working one.
 */
package io.aiomisc.grpc;
