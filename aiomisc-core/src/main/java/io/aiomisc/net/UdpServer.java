package io.aiomisc.net;

import io.aiomisc.Service;
import io.aiomisc.internal.Durations;
import io.aiomisc.internal.Interruptions;
import io.aiomisc.internal.Threads;
import io.aiomisc.time.TimeSource;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
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
 * waits up to {@code stopTimeout} (default 5 s) for running handlers, then interrupts them and
 * waits up to {@link TcpServer#HANDLER_GRACE} more; these waits are timed by
 * {@link #timeSource()} (default {@link TimeSource#system()}).
 *
 * <p><b>Interrupts.</b> {@link #start()} blocks while it receives; {@link #stop} ends it by closing
 * the socket. An interrupt is not the way to stop it: on a virtual thread it closes the socket and
 * {@code start()} returns as after a stop, with the interrupt flag still set; on a platform thread
 * the JDK's {@code receive} may ignore it. {@link #stop} blocks for the waits above; an interrupt
 * cuts the {@code stopTimeout} wait short (the handlers are interrupted at once), the bounded grace
 * wait goes on, and {@code stop} returns normally with the interrupt flag set again.
 * {@link #sendTo} does not block on the network (a datagram is handed to the kernel) and ignores
 * interrupts on platform threads; on a virtual thread an interrupt during it closes the socket,
 * as for {@code receive}.
 */
public abstract class UdpServer extends Service {
    private static final Logger log = LoggerFactory.getLogger(UdpServer.class);
    private static final int MAX_DATAGRAM = 65_507;

    private final String address;
    private final int port;
    private final Duration stopTimeout;
    private final List<SocketOptionValue<?>> options;
    private final Map<Thread, CompletableFuture<Void>> handlers = new ConcurrentHashMap<>();
    private volatile TimeSource time = TimeSource.system();
    private volatile DatagramSocket socket;

    /**
     * A server on {@code address:port} with the default stop timeout
     * ({@link TcpServer#DEFAULT_STOP_TIMEOUT}, 5 s) and no socket options.
     *
     * @param address the address to bind to ({@code "::"} or {@code "0.0.0.0"} for all)
     * @param port    0..65535; 0 for an ephemeral port
     * @throws NullPointerException     if {@code address} is null
     * @throws IllegalArgumentException if {@code port} is outside 0..65535
     */
    protected UdpServer(String address, int port) {
        this(address, port, TcpServer.DEFAULT_STOP_TIMEOUT);
    }

    /**
     * A server on {@code address:port} with its own stop timeout and socket options.
     *
     * @param address     the address to bind to ({@code "::"} or {@code "0.0.0.0"} for all)
     * @param port        0..65535; 0 for an ephemeral port
     * @param stopTimeout how long stop waits for handlers before interrupting them; not negative
     * @param options     socket options of the socket
     * @throws NullPointerException     if {@code address}, {@code stopTimeout} or {@code options}
     *                                  (or one of them) is null
     * @throws IllegalArgumentException if {@code port} is outside 0..65535 or {@code stopTimeout} negative
     */
    protected UdpServer(String address, int port, Duration stopTimeout, SocketOptionValue<?>... options) {
        this.address = Objects.requireNonNull(address, "address");
        this.port = Sockets.checkPort(port);
        this.stopTimeout = Durations.requireNonNegative("stopTimeout", stopTimeout);
        this.options = List.of(Objects.requireNonNull(options, "options"));
    }

    /**
     * A server whose datagrams are handled by {@code handler}, with the default stop timeout
     * and no socket options.
     *
     * @param address the address to bind to ({@code "::"} or {@code "0.0.0.0"} for all)
     * @param port    0..65535; 0 for an ephemeral port
     * @param handler handles each datagram, on a virtual thread of its own; called concurrently
     *                for datagrams that arrive together, so it must be thread-safe
     * @return a new server, not started
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

    /**
     * Handles one datagram; runs on a virtual thread of its own, concurrently with the handlers
     * of other datagrams, and may block. A stop waits for it up to {@code stopTimeout}, then
     * interrupts it.
     *
     * @param data the datagram's payload, a copy the handler owns (at most 65,507 bytes)
     * @param from the sender's address; {@link #sendTo} it to answer
     * @throws Exception any failure; it is logged and the server goes on receiving
     */
    protected abstract void handleDatagram(byte[] data, InetSocketAddress from) throws Exception;

    /**
     * Sends {@code data} to {@code to} from the server's socket. Does not wait for the network;
     * see "Interrupts" in the class description. Thread-safe: handlers may send concurrently.
     *
     * @param data the payload to send, whole, as one datagram
     * @param to   the receiver's address
     * @throws NullPointerException  if {@code data} or {@code to} is null
     * @throws IllegalStateException when the server is not running
     * @throws IOException           if the kernel refuses the datagram
     */
    public void sendTo(byte[] data, InetSocketAddress to) throws IOException {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(to, "to");
        current().send(new DatagramPacket(data, data.length, to));
    }

    /**
     * Sets where stop's waits take their time from; takes effect at the next {@link #stop}.
     * Default: {@link TimeSource#system()}. Thread-safe.
     *
     * @param time the time source to use
     * @throws NullPointerException if {@code time} is null
     */
    public final void setTimeSource(TimeSource time) {
        this.time = Objects.requireNonNull(time, "time");
    }

    /**
     * Where this server's waits take their time from.
     *
     * @return the time source; {@link TimeSource#system()} unless set
     */
    public final TimeSource timeSource() {
        return time;
    }

    /**
     * Binds, reports the service started, and receives datagrams until {@link #stop}; then
     * returns. Blocks all that time; see "Interrupts" in the class description.
     *
     * @throws IOException if binding fails (the message names host and port) or receiving fails
     */
    @Override
    public void start() throws Exception {
        DatagramSocket bound =
                Sockets.bindDatagramSocket(address, port, false, options.toArray(SocketOptionValue[]::new));
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
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread handler = Threads.virtual("aiomisc-udp-datagram", () -> {
            try {
                handleDatagram(data, from);
            } catch (Throwable failure) {
                if (!(Interruptions.isCancellation(failure) && bound.isClosed())) {
                    log.error("Error when handling a datagram from {}", from, failure);
                }
            } finally {
                handlers.remove(Thread.currentThread());
                done.complete(null);
            }
        });
        handlers.put(handler, done);
        handler.start();
    }

    /**
     * Closes the socket and ends the handlers as the class description says. Blocks up to
     * {@code stopTimeout} plus {@link TcpServer#HANDLER_GRACE} on {@link #timeSource()}; an
     * interrupt cuts the first wait short and is restored on return (see "Interrupts").
     *
     * @throws InterruptedException never (declared by earlier versions; the interrupt is restored instead)
     */
    @Override
    public void stop(Throwable exception) throws InterruptedException {
        DatagramSocket bound = socket;
        socket = null;
        if (bound != null) {
            bound.close();
        }
        TimeSource clock = time;
        boolean finished = TimedWait.awaitAll(clock, stopTimeout, List.copyOf(handlers.values()), true);
        boolean interrupted = Thread.interrupted(); // the grace wait is bounded: finish it, restore the flag after
        if (!finished) {
            Map<Thread, CompletableFuture<Void>> late = Map.copyOf(handlers);
            late.keySet().forEach(Thread::interrupt);
            if (!TimedWait.awaitAll(clock, TcpServer.HANDLER_GRACE, late.values(), false)) {
                log.warn(
                        "Datagram handlers of {} still run {} after being interrupted",
                        name(),
                        TcpServer.HANDLER_GRACE);
            }
            interrupted |= Thread.interrupted();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The address the server is bound to, with the actual port when it was given as 0.
     * Thread-safe; never blocks.
     *
     * @return the bound local address
     * @throws IllegalStateException when the server is not running (before start, or after stop)
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
