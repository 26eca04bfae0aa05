package io.aiomisc.examples;

import io.aiomisc.Entrypoint;
import io.aiomisc.Service;
import io.aiomisc.systemd.SdNotify;
import io.aiomisc.systemd.SdWatchdogService;
import java.io.IOException;
import java.net.DatagramPacket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import org.newsclub.net.unix.AFUNIXDatagramSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The README's "systemd" section, runnable: {@code bin/run-example systemd [SECONDS]}.
 *
 * <p>No systemd runs here (nor in CI, nor in most containers), so the example plays its part: a
 * tiny "fake systemd" binds a Unix datagram socket in a temporary directory, prints every datagram
 * it receives, and starts this class again in a child JVM with {@code --service SECONDS} and the
 * two variables systemd exports to a {@code Type=notify} unit with {@code WatchdogSec=2}:
 * {@code NOTIFY_SOCKET} (the socket's path) and {@code WATCHDOG_USEC=2000000}. A child JVM because
 * the {@code systemd_watchdog} plugin reads {@code NOTIFY_SOCKET} from the process environment, as
 * under systemd, and Java cannot set a variable of its own process.
 *
 * <p>The child, the part a real unit runs (see {@code src/main/systemd/aiomisc-example.service}),
 * is an entrypoint with an {@link SdWatchdogService} (interval from {@code WATCHDOG_USEC}: a ping
 * every second) and a trivial {@link Worker}; it runs for {@code SECONDS} (default 4; without a
 * number, until SIGTERM), then stops. When it has ended, the fake systemd prints the sequence it
 * received: {@code STATUS=Starting 2 services}, {@code WATCHDOG=1}, {@code STATUS=Started 2
 * services}, {@code READY=1}, {@code WATCHDOG=1} ..., {@code STATUS=Stopping 2 services},
 * {@code STOPPING=1}.
 */
public final class SystemdExample {
    private static final Logger log = LoggerFactory.getLogger(SystemdExample.class);
    /** What {@code WatchdogSec=2} exports, in microseconds. */
    private static final String WATCHDOG_USEC = "2000000";

    private SystemdExample() {}

    /**
     * Runs the example.
     *
     * @param args {@code [SECONDS]}: the fake systemd and the service in a child JVM that runs
     *     SECONDS seconds (default 4); {@code --service [SECONDS]}: only the service, as a unit runs
     *     it (with a number: for that long; without: until SIGTERM or Ctrl+C)
     * @throws Exception if the socket cannot be bound, the child cannot be started, or the
     *     entrypoint fails to start
     */
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--service")) {
            service(args.length > 1 ? seconds(args[1]) : null);
            return;
        }
        Duration runFor = args.length > 0 ? seconds(args[0]) : Duration.ofSeconds(4);
        List<String> received = fakeSystemd(runFor);
        System.out.println("The fake systemd received, in order:");
        received.forEach(datagram -> System.out.println("  " + datagram.replace("\n", " | ")));
    }

    private static Duration seconds(String value) {
        long seconds = Long.parseLong(value);
        if (seconds < 1) {
            throw new IllegalArgumentException("SECONDS must be at least 1: " + value);
        }
        return Duration.ofSeconds(seconds);
    }

    /** The service part: what {@code ExecStart=} of a {@code Type=notify} unit runs. */
    static void service(Duration runFor) throws Exception {
        try (Entrypoint entrypoint = Entrypoint.builder()
                .services(new SdWatchdogService(), new Worker()) // interval from WATCHDOG_USEC
                .start()) {
            if (runFor == null) {
                log.info("Systemd example service running; stop it with SIGTERM or Ctrl+C");
                entrypoint.runForever();
            } else {
                log.info("Systemd example service running for {} s", runFor.toSeconds());
                entrypoint.runUntilComplete(() -> {
                    Thread.sleep(runFor); // the example's "work": just time passing
                    return null;
                });
            }
        } catch (CancellationException stoppedBySignal) {
            log.info("Systemd example service stopped before the end");
        }
        log.info("Systemd example service stopped");
    }

    /**
     * Binds the notify socket, runs {@link #service} in a child JVM with {@code NOTIFY_SOCKET} and
     * {@code WATCHDOG_USEC} set, and returns the datagrams it sent. <b>Blocks</b> until the child
     * has ended; an interrupt kills the child and is rethrown (the flag is then clear, as with any
     * {@link InterruptedException}).
     *
     * @param runFor how long the child's entrypoint runs
     * @return every datagram received, in order (lines separated by {@code \n})
     * @throws IOException          if the socket cannot be bound or the child not started
     * @throws IllegalStateException if the child ends with a non-zero status
     * @throws InterruptedException if interrupted while waiting for the child
     */
    static List<String> fakeSystemd(Duration runFor) throws IOException, InterruptedException {
        Path directory = Files.createTempDirectory("aiomisc-systemd-example");
        Path socketPath = directory.resolve("notify");
        List<String> received = Collections.synchronizedList(new ArrayList<>());
        try (AFUNIXDatagramSocket socket = AFUNIXDatagramSocket.newInstance()) {
            socket.bind(AFUNIXSocketAddress.of(socketPath));
            Thread receiver = Thread.ofPlatform().name("fake-systemd").start(() -> receive(socket, received));
            ProcessBuilder child = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "--enable-native-access=ALL-UNNAMED", // junixsocket's native library
                            "-cp",
                            System.getProperty("java.class.path"),
                            SystemdExample.class.getName(),
                            "--service",
                            Long.toString(runFor.toSeconds()))
                    .inheritIO(); // its log on our stderr
            child.environment().put(SdNotify.NOTIFY_SOCKET, socketPath.toString());
            child.environment().put(SdWatchdogService.WATCHDOG_USEC, WATCHDOG_USEC);
            log.info(
                    "Fake systemd listening on {}; starting the service with {}={} {}={}",
                    socketPath,
                    SdNotify.NOTIFY_SOCKET,
                    socketPath,
                    SdWatchdogService.WATCHDOG_USEC,
                    WATCHDOG_USEC);
            Process process = child.start();
            int status;
            try {
                status = process.waitFor();
            } catch (InterruptedException e) {
                process.destroyForcibly();
                throw e;
            }
            // The child sent STOPPING=1 before it ended: everything is queued in the socket.
            drainAndStop(socketPath, socket, receiver);
            if (status != 0) {
                throw new IllegalStateException("the service ended with status " + status);
            }
        } finally {
            Files.deleteIfExists(socketPath);
            Files.deleteIfExists(directory);
        }
        return List.copyOf(received);
    }

    /** The fake systemd's loop: prints and keeps each datagram until the socket is closed. */
    private static void receive(AFUNIXDatagramSocket socket, List<String> received) {
        byte[] buffer = new byte[4096];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        while (true) {
            try {
                packet.setLength(buffer.length);
                socket.receive(packet);
            } catch (IOException closed) {
                return; // closed by drainAndStop
            }
            String datagram = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
            if (datagram.equals(END)) {
                return;
            }
            System.out.println("fake systemd <- " + datagram.replace("\n", " | "));
            received.add(datagram);
        }
    }

    /** Not a notify message (no '='): queued behind the child's last datagram, it ends the loop. */
    private static final String END = "end of example";

    private static void drainAndStop(Path socketPath, AFUNIXDatagramSocket socket, Thread receiver)
            throws InterruptedException {
        try (AFUNIXDatagramSocket self = AFUNIXDatagramSocket.newInstance()) {
            self.connect(AFUNIXSocketAddress.of(socketPath));
            byte[] end = END.getBytes(StandardCharsets.UTF_8);
            self.send(new DatagramPacket(end, end.length));
        } catch (IOException e) {
            socket.close(); // cannot reach our own socket: stop the receiver by closing it
        }
        if (!receiver.join(Duration.ofSeconds(30))) {
            socket.close();
            receiver.join(TimeUnit.SECONDS.toMillis(5));
        }
    }

    /** A trivial service: says when it starts and stops. */
    static final class Worker extends Service {
        @Override
        public void start() {
            log.info("Worker started");
        }

        @Override
        public void stop(Throwable exception) {
            log.info("Worker stopped ({})", exception == null ? "normal close" : exception.getMessage());
        }
    }
}
