package io.aiomisc.systemd;

import io.aiomisc.Entrypoint;
import io.aiomisc.Service;
import io.aiomisc.plugin.Plugins;
import java.time.Duration;

/**
 * Child-JVM mains for the notify-sequence tests; the environment (NOTIFY_SOCKET, WATCHDOG_USEC)
 * comes from the parent. Prints {@code SN-STARTED} once running, {@code SN-STOPPED} after the
 * signal-initiated stop, and exits 0; a failed start exits through the exception.
 */
public final class SnMain {
    private SnMain() {}

    /**
     * {@code watchdog}: an SdWatchdogService and an idle service, until SIGTERM;
     * {@code announcing}: the same with a given interval of 300 ms; {@code plain}: the
     * idle service only; {@code failing}: an SdWatchdogService and a service that fails to start.
     */
    public static void main(String[] args) throws Exception {
        System.out.println("SN-PLUGINS " + Plugins.loaded().keySet());
        Service[] services =
                switch (args[0]) {
                    case "watchdog" -> new Service[] {new SdWatchdogService(), new Idle()};
                    case "announcing" -> new Service[] {new SdWatchdogService(Duration.ofMillis(300)), new Idle()};
                    case "plain" -> new Service[] {new Idle()};
                    case "failing" -> new Service[] {new SdWatchdogService(), new Failing()};
                    default -> throw new IllegalArgumentException("unknown mode " + args[0]);
                };
        Entrypoint entrypoint = Entrypoint.builder().services(services).build().start();
        System.out.println("SN-STARTED");
        entrypoint.runForever();
        System.out.println("SN-STOPPED");
    }

    /** Starts and does nothing. */
    static final class Idle extends Service {
        @Override
        public void start() {}
    }

    /** Fails to start. */
    static final class Failing extends Service {
        @Override
        public void start() {
            throw new IllegalStateException("SN-FAILING refuses to start");
        }
    }
}
