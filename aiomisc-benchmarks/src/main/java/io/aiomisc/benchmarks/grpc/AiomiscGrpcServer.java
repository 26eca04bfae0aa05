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
 * turns into a graceful stop. {@code AiomiscGrpcServer PORT bare}: the service alone, without an
 * entrypoint (a shutdown hook stops it), to tell the entrypoint's cost from the service's.
 */
public final class AiomiscGrpcServer {
    private AiomiscGrpcServer() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 1 && !(args.length == 2 && args[1].equals("bare"))) {
            throw new IllegalArgumentException("usage: PORT [bare], got " + java.util.List.of(args));
        }
        GrpcService service = new GrpcService("127.0.0.1", Hello.port(args[0])).addService(new Hello());
        if (args.length == 2) { // the service alone, started and stopped by hand: what the entrypoint costs
            service.start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    service.stop(null);
                } catch (Exception e) {
                    e.printStackTrace();
                }
            }));
            System.out.println("READY " + service.localAddress().getPort());
            System.out.flush();
            Thread.currentThread().join();
            return;
        }
        Entrypoint entrypoint =
                Entrypoint.builder().services(service).logConfig(false).start();
        System.out.println("READY " + service.localAddress().getPort());
        System.out.flush();
        entrypoint.runForever();
    }
}
