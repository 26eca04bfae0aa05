package io.aiomisc.net;

import io.aiomisc.Service;
import io.aiomisc.internal.Durations;
import io.aiomisc.internal.Interruptions;
import io.aiomisc.internal.Threads;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A UDP server: aiomisc's {@code UDPServer}. Implement {@link #handleDatagram}; each datagram is
 * handled on a virtual thread of its own. {@link #sendTo} answers.
 *
 * <pre>{@code
 * final class UdpEcho extends UdpServer {
 *     UdpEcho() { super("127.0.0.1", 9999); }
 *     protected void handleDatagram(byte[] data, InetSocketAddress from) throws IOException {
 *         sendTo(data, from);
 *     }
 * }
 * }</pre>
 *
 * <p>Start binds the socket (port 0: ephemeral; a port in use fails the start) and receives until
 * stopped; datagrams up to 65,507 bytes. A handler exception is logged. Stop closes the socket and
 * waits up to {@code stopTimeout} (default 5 s) for running handlers, then interrupts them.
 */
public abstract class UdpServer extends Service {
    private static final Logger log = LoggerFactory.getLogger(UdpServer.class);
    private static final int MAX_DATAGRAM = 65_507;

    private final String address;
    private final int port;
    private final Duration stopTimeout;
    private final List<SocketOptionValue<?>> options;
    private final Set<Thread> handlers = ConcurrentHashMap.newKeySet();
    private volatile DatagramSocket socket;

    /**
     * @throws IllegalArgumentException if {@code port} is outside 0..65535
     */
    protected UdpServer(String address, int port) {
        this(address, port, TcpServer.DEFAULT_STOP_TIMEOUT);
    }

    protected UdpServer(String address, int port, Duration stopTimeout, SocketOptionValue<?>... options) {
        this.address = Objects.requireNonNull(address, "address");
        this.port = Sockets.checkPort(port);
        this.stopTimeout = Durations.requireNonNegative("stopTimeout", stopTimeout);
        this.options = List.of(Objects.requireNonNull(options, "options"));
    }

    /**
     * A server whose datagrams are handled by {@code handler}.
     *
     * @throws NullPointerException     if {@code address} or {@code handler} is null
     * @throws IllegalArgumentException if {@code port} is outside 0..65535
     */
    public static UdpServer create(String address, int port, DatagramHandler handler) {
        Objects.requireNonNull(handler, "handler");
        return new UdpServer(address, port) {
            @Override
            protected void handleDatagram(byte[] data, InetSocketAddress from) throws Exception {
                handler.handle(data, from, this);
            }
        };
    }

    /** Handles one datagram; runs on a virtual thread of its own. */
    protected abstract void handleDatagram(byte[] data, InetSocketAddress from) throws Exception;

    /**
     * Sends {@code data} to {@code to} from the server's socket.
     *
     * @throws IllegalStateException when the server is not running
     */
    public void sendTo(byte[] data, InetSocketAddress to) throws IOException {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(to, "to");
        current().send(new DatagramPacket(data, data.length, to));
    }

    @Override
    public void start() throws Exception {
        DatagramSocket bound = Sockets.bindDatagramSocket(address, port, false, options.toArray(SocketOptionValue[]::new));
        socket = bound;
        ready();
        byte[] buffer = new byte[MAX_DATAGRAM];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        try {
            while (true) {
                packet.setLength(buffer.length);
                try {
                    bound.receive(packet);
                } catch (SocketException e) {
                    if (bound.isClosed()) {
                        return;
                    }
                    throw e;
                }
                byte[] data = Arrays.copyOfRange(buffer, packet.getOffset(), packet.getOffset() + packet.getLength());
                InetSocketAddress from = (InetSocketAddress) packet.getSocketAddress();
                dispatch(bound, data, from);
            }
        } finally {
            bound.close();
        }
    }

    private void dispatch(DatagramSocket bound, byte[] data, InetSocketAddress from) {
        Thread handler = Threads.virtual("aiomisc-udp-datagram", () -> {
            try {
                handleDatagram(data, from);
            } catch (Throwable failure) {
                if (!(Interruptions.isCancellation(failure) && bound.isClosed())) {
                    log.error("Error when handling a datagram from {}", from, failure);
                }
            } finally {
                handlers.remove(Thread.currentThread());
            }
        });
        handlers.add(handler);
        handler.start();
    }

    @Override
    public void stop(Throwable exception) throws InterruptedException {
        DatagramSocket bound = socket;
        socket = null;
        if (bound != null) {
            bound.close();
        }
        long deadline = Durations.deadline(stopTimeout);
        for (Thread handler : List.copyOf(handlers)) {
            long left = Durations.remaining(deadline);
            if (left <= 0 || !handler.join(Duration.ofNanos(left))) {
                break;
            }
        }
        for (Thread handler : List.copyOf(handlers)) {
            handler.interrupt();
            handler.join(Duration.ofSeconds(5));
        }
    }

    /**
     * The address the server is bound to.
     *
     * @throws IllegalStateException before start
     */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) current().getLocalSocketAddress();
    }

    private DatagramSocket current() {
        DatagramSocket bound = socket;
        if (bound == null) {
            throw new IllegalStateException(name() + " is not running");
        }
        return bound;
    }

    @Override
    public String toString() {
        return name() + "(udp://" + address + ":" + port + ")";
    }
}
