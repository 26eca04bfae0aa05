package io.aiomisc.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import io.aiomisc.grpc.GrpcService;
import io.aiomisc.testing.CapturedLogs;
import io.aiomisc.testing.JavaProcess;
import io.aiomisc.testing.TestEntrypoints;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GrpcExampleTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void callsTheGreeterUnaryAndStreamingGetsTheRefusalsStatusAndFindsEverythingServing() throws Exception {
        try (CapturedLogs server = CapturedLogs.of(GrpcService.class)) {
            List<String> answers = GrpcExample.run(TestEntrypoints.builder(), "tester");
            assertEquals(
                    List.of(
                            "SayHello: Hello, tester!",
                            "SayHellos: Hello, tester! (1 of 3)",
                            "SayHellos: Hello, tester! (2 of 3)",
                            "SayHellos: Hello, tester! (3 of 3)",
                            "SayHello(\" \") refused: INVALID_ARGUMENT: name must not be blank",
                            "Health of '': SERVING",
                            "Health of 'aiomisc.examples.Greeter': SERVING"),
                    answers);
            assertTrue(server.contains(Level.INFO, "Listening grpc://127.0.0.1:"), () -> server.events()
                    .toString());
        }
    }

    @Test
    void theProgramLogsTheAnswersAndEndsByItselfWithStatusZero() throws Exception {
        try (JavaProcess app = JavaProcess.start(GrpcExample.class, Map.of(), "child")) {
            assertEquals(0, app.awaitExit(WAIT), app::transcript);
            List<String> log = app.stderr();
            for (String expected : List.of(
                    "Listening grpc://127.0.0.1:",
                    "SayHello: Hello, child!",
                    "SayHellos: Hello, child! (3 of 3)",
                    "Health of 'aiomisc.examples.Greeter': SERVING",
                    "gRPC example finished")) {
                assertTrue(log.stream().anyMatch(line -> line.contains(expected)), expected + "\n" + app.transcript());
            }
        }
    }
}
