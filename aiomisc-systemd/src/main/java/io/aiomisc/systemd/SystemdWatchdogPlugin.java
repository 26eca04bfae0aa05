package io.aiomisc.systemd;

import io.aiomisc.Entrypoint;
import io.aiomisc.Service;
import io.aiomisc.plugin.Plugin;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code systemd_watchdog} plugin: tells systemd how an entrypoint that runs an
 * {@link SdWatchdogService} starts and stops, with aiomisc's exact sequence (N = the number of
 * services being started or stopped):
 * <ol>
 * <li>before the services start: {@code STATUS=Starting N services};
 * <li>once all have started: {@code STATUS=Started N services}, then {@code READY=1} (a
 *     {@code Type=notify} unit counts as started from here; a failed start never sends it);
 * <li>before they stop: {@code STATUS=Stopping N services};
 * <li>after they stopped: {@code STOPPING=1}.
 * </ol>
 * Found through {@code ServiceLoader} when {@code aiomisc-systemd} is on the class path (or module
 * path). Inert for a start or stop whose services include no {@code SdWatchdogService}, and when
 * {@code NOTIFY_SOCKET} is not set (it is read at each start). Sending problems are logged as
 * warnings and never fail the entrypoint. Thread-safe. {@code bin/run-example systemd} shows the
 * sequence as a socket receives it.
 */
public final class SystemdWatchdogPlugin implements Plugin {
    private static final Logger log = LoggerFactory.getLogger(SystemdWatchdogPlugin.class);

    private final Map<Entrypoint, SdNotify> connections = new ConcurrentHashMap<>();

    /** For {@code ServiceLoader}. */
    public SystemdWatchdogPlugin() {}

    /** {@return {@code "systemd_watchdog"}, aiomisc's name} */
    @Override
    public String name() {
        return "systemd_watchdog";
    }

    @Override
    public String description() {
        return "Reports STATUS, READY=1 and STOPPING=1 to systemd for entrypoints running an SdWatchdogService";
    }

    /** Connects to the entrypoint's class signals. */
    @Override
    public void setup() {
        Entrypoint.PRE_START.connect(this::preStart);
        Entrypoint.POST_START.connect(this::postStart);
        Entrypoint.PRE_STOP.connect(this::preStop);
        Entrypoint.POST_STOP.connect(this::postStop);
    }

    /** As aiomisc: only a start or stop that includes an {@link SdWatchdogService} is reported. */
    private static boolean watched(List<Service> services) {
        return services.stream().anyMatch(SdWatchdogService.class::isInstance);
    }

    void preStart(Entrypoint entrypoint, List<Service> services) {
        if (!watched(services)) {
            return;
        }
        Optional<SdNotify> connection = SdNotify.fromEnvironment();
        if (connection.isEmpty()) {
            log.debug("{} not exported: systemd_watchdog skips this entrypoint", SdNotify.NOTIFY_SOCKET);
            return;
        }
        SdNotify previous = connections.put(entrypoint, connection.get());
        if (previous != null) { // a second start of the same entrypoint's services (startServices)
            previous.close();
        }
        send(entrypoint, "STATUS=Starting " + services.size() + " services");
    }

    void postStart(Entrypoint entrypoint, List<Service> services) {
        if (!watched(services)) {
            return;
        }
        send(entrypoint, "STATUS=Started " + services.size() + " services");
        send(entrypoint, "READY=1");
    }

    void preStop(Entrypoint entrypoint, List<Service> services) {
        if (!watched(services)) {
            return;
        }
        send(entrypoint, "STATUS=Stopping " + services.size() + " services");
    }

    void postStop(Entrypoint entrypoint, List<Service> services) {
        if (!watched(services)) {
            return;
        }
        SdNotify notify = connections.remove(entrypoint);
        if (notify != null) {
            try {
                notify.send("STOPPING=1");
            } catch (IOException e) {
                log.warn("SystemD notify socket communication problem: {}", e.getMessage());
            } finally {
                notify.close();
            }
        }
    }

    private void send(Entrypoint entrypoint, String line) {
        SdNotify notify = connections.get(entrypoint);
        if (notify == null) {
            return;
        }
        try {
            notify.send(line);
        } catch (IOException | IllegalStateException e) {
            log.warn("SystemD notify socket communication problem: {}", e.getMessage());
        }
    }
}
