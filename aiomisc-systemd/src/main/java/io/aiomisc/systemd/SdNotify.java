package io.aiomisc.systemd;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.newsclub.net.unix.AFUNIXDatagramSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection to systemd's notify socket: {@code sd_notify(3)} in Java. Each {@link #send} is one
 * datagram of {@code KEY=VALUE} lines, e.g. {@code READY=1}, {@code STATUS=Serving},
 * {@code WATCHDOG=1}.
 *
 * <pre>{@code
 * try (SdNotify notify = SdNotify.fromEnvironment().orElse(null)) {
 *     if (notify != null) notify.send("READY=1", "STATUS=Serving");
 * }
 * }</pre>
 *
 * <p>The address is a file system path or, starting with {@code @}, a name in Linux's abstract
 * namespace, as systemd exports it in {@code NOTIFY_SOCKET}. Thread-safe: datagrams from several
 * threads never interleave.
 */
public final class SdNotify implements AutoCloseable {
    /** The environment variable systemd sets for a {@code Type=notify} service. */
    public static final String NOTIFY_SOCKET = "NOTIFY_SOCKET";

    private static final Logger log = LoggerFactory.getLogger(SdNotify.class);

    private final String address;
    private AFUNIXDatagramSocket socket; // guarded by lock; replaced when its receiver went away
    private final ReentrantLock lock = new ReentrantLock();
    private boolean closed; // guarded by lock

    private SdNotify(String address, AFUNIXDatagramSocket socket) {
        this.address = address;
        this.socket = socket;
    }

    /**
     * A connection to the socket named by {@code NOTIFY_SOCKET}.
     *
     * @return empty when the variable is not set (not running under systemd, or not as a
     *     {@code Type=notify} service), or when its value is malformed or the socket cannot be
     *     reached: then a warning names the variable, the value and the reason
     */
    public static Optional<SdNotify> fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /** {@link #fromEnvironment()} reading {@code environment}. */
    static Optional<SdNotify> fromEnvironment(Map<String, String> environment) {
        String value = environment.get(NOTIFY_SOCKET);
        if (value == null || value.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(connect(value));
        } catch (IOException | IllegalArgumentException e) {
            log.warn("{}={}: {}; systemd notifications are off", NOTIFY_SOCKET, value, e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Connects to {@code address}. Does not block (a datagram socket's connect only sets the
     * destination).
     *
     * @param address an absolute path, or {@code @name} for the abstract namespace
     * @return the connection; close it
     * @throws IllegalArgumentException naming the address when it is neither an absolute path nor
     *                                  {@code @name}
     * @throws IOException              naming the address when no socket listens there
     * @throws NullPointerException     if {@code address} is null
     */
    public static SdNotify connect(String address) throws IOException {
        return new SdNotify(address, open(address));
    }

    /** A datagram socket connected to {@code address}. */
    private static AFUNIXDatagramSocket open(String address) throws IOException {
        AFUNIXSocketAddress target = parse(address);
        AFUNIXDatagramSocket socket = AFUNIXDatagramSocket.newInstance();
        try {
            socket.connect(target);
        } catch (IOException | RuntimeException e) {
            socket.close(); // a datagram socket's close throws nothing
            throw new IOException("cannot connect to the notify socket " + address + ": " + e.getMessage(), e);
        }
        return socket;
    }

    /** The socket address of an {@code sd_notify} address: a path, or {@code @name}. */
    static AFUNIXSocketAddress parse(String address) throws SocketException {
        Objects.requireNonNull(address, "address");
        if (address.length() > 1 && address.charAt(0) == '@') {
            return AFUNIXSocketAddress.inAbstractNamespace(address.substring(1));
        }
        if (address.startsWith("/")) {
            return AFUNIXSocketAddress.of(Path.of(address));
        }
        throw new IllegalArgumentException(
                "a notify socket address is an absolute path or @name (abstract namespace), not '" + address + "'");
    }

    /**
     * Sends {@code lines} joined by {@code \n} as one datagram. <b>Blocks</b> while the receiver's
     * queue is full (rather than dropping the message); the wait is not interruptible.
     *
     * @param lines {@code KEY=VALUE} lines, at least one; none may contain a newline
     * @throws IllegalArgumentException if there are no lines, or a line has a newline or no {@code =}
     * @throws IllegalStateException    if this connection is closed
     * @throws IOException              naming the address when the socket is gone (after one attempt
     *                                  to connect anew: a socket re-created at the same address, as
     *                                  when systemd restarts, receives the datagram)
     */
    public void send(String... lines) throws IOException {
        Objects.requireNonNull(lines, "lines");
        if (lines.length == 0) {
            throw new IllegalArgumentException("send() needs at least one KEY=VALUE line");
        }
        for (String line : lines) {
            Objects.requireNonNull(line, "lines contains null");
            if (line.indexOf('\n') >= 0 || line.indexOf('=') <= 0) {
                throw new IllegalArgumentException("each line is KEY=VALUE without a newline, not '" + line + "'");
            }
        }
        byte[] datagram = String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("this SdNotify (" + address + ") is closed");
            }
            try {
                socket.send(new DatagramPacket(datagram, datagram.length));
            } catch (IOException first) {
                // a connected datagram socket whose receiver went away stays dead: connect anew
                // once (systemd re-created its socket at the same address) and send again
                AFUNIXDatagramSocket fresh;
                try {
                    fresh = open(address);
                } catch (IOException again) {
                    first.addSuppressed(again);
                    throw first;
                }
                socket.close();
                socket = fresh;
                socket.send(new DatagramPacket(datagram, datagram.length));
            }
        } catch (IOException e) {
            throw new IOException("cannot send to the notify socket " + address + ": " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * The address this connection sends to.
     *
     * @return the address as given: a path or {@code @name}
     */
    public String address() {
        return address;
    }

    /** Closes the socket. Idempotent; does not block. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
        } finally {
            lock.unlock();
        }
        socket.close();
    }

    @Override
    public String toString() {
        return "SdNotify[" + address + "]";
    }
}
