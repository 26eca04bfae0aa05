package io.aiomisc.benchmarks.grpc;

import io.aiomisc.Entrypoint;
import io.aiomisc.grpc.GrpcService;

/**
 * The aiomisc side of the gRPC comparison ({@code aiomisc-benchmarks/grpc-bench}): an entrypoint
 * running one {@link GrpcService} that serves {@link Hello}, written the way the {@code GrpcService}
 * Javadoc shows it. Calls run on virtual threads, as they always do in {@code GrpcService}; the
 * health service is on, reflection off (its default).
 *
 * <p>Usage: {@code AiomiscGrpcServer PORT} (port 0: an ephemeral port). Listens on 127.0.0.1, prints
 * {@code READY <port>} on stdout once serving, and runs until SIGTERM/SIGINT, which the entrypoint
 * turns into a graceful stop.
 */
public final class AiomiscGrpcServer {
    private AiomiscGrpcServer() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: PORT, got " + args.length + " argument(s)");
        }
        GrpcService service = new GrpcService("127.0.0.1", Hello.port(args[0])).addService(new Hello());
        Entrypoint entrypoint =
                Entrypoint.builder().services(service).logConfig(false).start();
        System.out.println("READY " + service.localAddress().getPort());
        System.out.flush();
        entrypoint.runForever();
    }
}
