package io.aiomisc.benchmarks.grpc;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.util.TransmitStatusRuntimeExceptionInterceptor;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The baseline of the gRPC comparison ({@code aiomisc-benchmarks/grpc-bench}): a plain grpc-java
 * server on the same transport as {@code GrpcService} ({@link NettyServerBuilder} of
 * grpc-netty-shaded), serving {@link Hello} and nothing else: no health service, no interceptors.
 * What {@code GrpcService} adds is what the comparison measures.
 *
 * <p>Two executor modes: {@code virtual} runs the calls on
 * {@link Executors#newVirtualThreadPerTaskExecutor()}, as {@code GrpcService} does (the baseline of
 * the target); {@code default} leaves grpc-java's default executor (its shared cached thread pool).
 *
 * <p>Usage: {@code PlainGrpcServer PORT virtual|default} (port 0: an ephemeral port). Listens on
 * 127.0.0.1, prints {@code READY <port>} on stdout once serving, and runs until SIGTERM/SIGINT,
 * which a shutdown hook turns into a graceful stop (shutdown, up to 5 s for the calls, shutdownNow).
 */
public final class PlainGrpcServer {
    private PlainGrpcServer() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: PORT virtual|default, got " + args.length + " argument(s)");
        }
        int port = Hello.port(args[0]);
        String mode = args[1].toLowerCase(Locale.ROOT);
        boolean virtual =
                switch (mode) {
                    case "virtual", "tsre" -> true;
                    case "default" -> false;
                    default ->
                        throw new IllegalArgumentException(
                                "mode must be virtual, tsre (virtual plus the status transmitter) or default, got '"
                                        + args[1] + "'");
                };
        NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
                .addService(new Hello());
        if (mode.equals("tsre")) { // what GrpcService adds to every call: the status transmitter
            builder.intercept(TransmitStatusRuntimeExceptionInterceptor.instance());
        }
        ExecutorService calls = virtual ? Executors.newVirtualThreadPerTaskExecutor() : null;
        if (calls != null) {
            builder.executor(calls);
        }
        Server server = builder.build().start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(server, calls), "plain-grpc-stop"));
        System.out.println("READY " + server.getPort());
        System.out.flush();
        server.awaitTermination();
    }

    private static void stop(Server server, ExecutorService calls) {
        server.shutdown();
        try {
            if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
                server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        } finally {
            if (calls != null) {
                calls.shutdownNow();
            }
        }
    }
}
