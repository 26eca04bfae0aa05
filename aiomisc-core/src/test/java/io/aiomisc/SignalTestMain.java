package io.aiomisc;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.time.Duration;

/**
 * The program the signal tests run in a child JVM: an entrypoint with one service, built with the
 * default {@code catchSignals} on the main thread. Modes: {@code graceful}, {@code stuck} (stop
 * never returns, shutdown timeout 1 s), {@code slow-stop} (stop waits for a line on stdin) and
 * {@code hup} (also catches SIGHUP, through {@code catchSignals("INT", "TERM", "HUP")}).
 */
public final class SignalTestMain {
    private SignalTestMain() {}

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        Service service = new Service() {
            @Override
            public void start() throws InterruptedException {
                ready();
                say("started");
                Thread.sleep(Long.MAX_VALUE);
            }

            @Override
            public void stop(Throwable exception) throws Exception {
                say("stop called: " + exception.getMessage());
                switch (mode) {
                    case "stuck" -> {
                        while (true) {
                            try {
                                Thread.sleep(Long.MAX_VALUE);
                            } catch (InterruptedException ignored) {
                                // a stop that cannot be stopped
                            }
                        }
                    }
                    case "slow-stop" -> new BufferedReader(new InputStreamReader(System.in)).readLine();
                    default -> {}
                }
                say("stop finished");
            }

            @Override
            public String name() {
                return "signal-test-service";
            }
        };
        Duration timeout = mode.equals("stuck") ? Duration.ofSeconds(1) : Duration.ofSeconds(30);
        Entrypoint.Builder builder =
                Entrypoint.builder().services(service).shutdownTimeout(timeout).logConfig(false);
        if (mode.equals("hup")) {
            builder.catchSignals("INT", "TERM", "HUP");
        }
        try (Entrypoint ep = builder.start()) {
            say("running");
            ep.runForever();
            say("runForever returned");
        }
        say("exiting");
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
