package io.aiomisc.examples;

import io.aiomisc.Entrypoint;
import io.aiomisc.examples.grpc.proto.GreeterGrpc;
import io.aiomisc.examples.grpc.proto.HelloReply;
import io.aiomisc.examples.grpc.proto.HelloRequest;
import io.aiomisc.examples.grpc.proto.HellosRequest;
import io.aiomisc.grpc.GrpcService;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The README's "gRPC" section, runnable: {@code bin/run-example grpc [NAME]}. An entrypoint runs a
 * {@link GrpcService} serving the generated {@link GreeterService} on 127.0.0.1 (any free port,
 * reflection on); a client with generated blocking stubs calls {@code SayHello} and the streaming
 * {@code SayHellos} with {@code NAME} (default "world"), makes a call the server refuses with
 * {@code INVALID_ARGUMENT}, asks the standard health service ({@code grpc.health.v1}) about the
 * server and the Greeter, logs every answer, and the program ends by itself, stopping the server
 * gracefully. Ctrl+C (SIGINT) or SIGTERM stops it earlier.
 */
public final class GrpcExample {
    private static final Logger log = LoggerFactory.getLogger(GrpcExample.class);
    /** How long each call may take: bounded, so that a stuck server cannot hang the example. */
    private static final long DEADLINE_SECONDS = 30;

    private GrpcExample() {}

    /**
     * Runs the example.
     *
     * @param args {@code [NAME]}: whom to greet (default "world")
     * @throws Exception if the server cannot start or a call fails
     */
    public static void main(String[] args) throws Exception {
        String name = args.length > 0 ? args[0] : "world";
        try {
            run(Entrypoint.builder(), name);
        } catch (CancellationException stoppedBySignal) {
            log.info("gRPC example stopped before the end");
            return;
        }
        log.info("gRPC example finished");
    }

    /**
     * Starts the server in an entrypoint made by {@code builder}, makes the calls and stops it.
     * <b>Blocks</b> until the server has stopped. <b>Interrupt</b> while the calls run: they are
     * cancelled, the server stops and {@link InterruptedException} is thrown (the interrupt status
     * clear, as {@link Entrypoint#runUntilComplete} leaves it).
     *
     * @return the answers, in the order they arrived, as logged
     * @throws CancellationException when a signal stopped the entrypoint first
     */
    static List<String> run(Entrypoint.Builder builder, String name) throws Exception {
        GrpcService grpc =
                new GrpcService("127.0.0.1", 0).addService(new GreeterService()).reflection(true);
        try (Entrypoint entrypoint = builder.services(grpc).start()) { // logs "Listening grpc://127.0.0.1:PORT"
            int port = grpc.localAddress().getPort(); // known once the server has started
            return entrypoint.runUntilComplete(() -> call(port, name));
        }
    }

    /** The client: a plaintext channel, the generated stubs, every call with a deadline. */
    private static List<String> call(int port, String name) throws InterruptedException {
        ManagedChannel channel = Grpc.newChannelBuilderForAddress(
                        "127.0.0.1", port, InsecureChannelCredentials.create())
                .build();
        try {
            List<String> answers = new ArrayList<>();
            GreeterGrpc.GreeterBlockingStub greeter = GreeterGrpc.newBlockingStub(channel);

            HelloReply hello = greeter.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
                    .sayHello(HelloRequest.newBuilder().setName(name).build());
            answers.add(logged("SayHello: " + hello.getMessage()));

            greeter.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
                    .sayHellos(
                            HellosRequest.newBuilder().setName(name).setCount(3).build())
                    .forEachRemaining(reply -> answers.add(logged("SayHellos: " + reply.getMessage())));

            try { // the handler throws a StatusRuntimeException: the client gets its status
                greeter.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
                        .sayHello(HelloRequest.newBuilder().setName(" ").build());
                throw new IllegalStateException("SayHello with a blank name was answered");
            } catch (StatusRuntimeException refused) {
                answers.add(
                        logged("SayHello(\" \") refused: " + refused.getStatus().getCode() + ": "
                                + refused.getStatus().getDescription()));
            }

            HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel);
            for (String service : List.of("", GreeterGrpc.SERVICE_NAME)) { // "": the server as a whole
                var status = health.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
                        .check(HealthCheckRequest.newBuilder()
                                .setService(service)
                                .build())
                        .getStatus();
                answers.add(logged("Health of '" + service + "': " + status));
            }
            return answers;
        } finally {
            channel.shutdownNow();
            if (!channel.awaitTermination(10, TimeUnit.SECONDS)) {
                log.warn("The client channel did not terminate within 10 s");
            }
        }
    }

    private static String logged(String answer) {
        log.info("{}", answer);
        return answer;
    }
}
