package io.aiomisc.net;

import io.aiomisc.Service;
import io.aiomisc.internal.Durations;
import io.aiomisc.internal.ExecutionContext;
import io.aiomisc.internal.Interruptions;
import io.aiomisc.internal.Threads;
import io.aiomisc.time.TimeSource;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP server: aiomisc's {@code TCPServer}. Implement {@link #handleClient}; each connection gets a
 * thread of its own, with blocking reads and writes: a virtual thread, or for the first few
 * connections at a time a pooled platform thread (see {@link #dedicatedThreads()}).
 *
 * <pre>{@code
 * final class EchoServer extends TcpServer {
 *     EchoServer() { super("127.0.0.1", 8899); }
 *     protected void handleClient(StreamReader reader, StreamWriter writer) throws IOException {
 *         for (byte[] data = reader.read(65536); data.length > 0; data = reader.read(65536)) {
 *             writer.write(data);
 *         }
 *     }
 * }
 * }</pre>
 *
 * <p><b>Start</b> binds the socket (port 0: an ephemeral port, see {@link #localAddress()}), reports
 * the service started, and accepts connections until stopped. An unresolvable address, a port in
 * use (the socket is bound without {@code SO_REUSEPORT}, unlike aiomisc, so a second server on the
 * same port fails instead of silently sharing it) or a forbidden port fails the start with an
 * exception naming host and port. Accepted sockets get {@code TCP_NODELAY}.
 *
 * <p><b>Handlers.</b> When {@code handleClient} returns, the writer is flushed and the connection
 * closed. An exception from it is logged at ERROR with the peer's address, except a
 * {@link SocketException} (the peer reset the connection, a broken pipe): a peer going away is
 * part of a server's life and is logged at DEBUG. What a peer's bad input causes, a
 * {@link LimitOverrunException} (a line over the reader's limit) or an
 * {@link IncompleteReadException} (the peer closed in the middle of a message), is logged at WARN
 * in one line without a stack trace, at most once per {@link #WARNING_INTERVAL} per server, with
 * the number of such warnings held back since the last one.
 *
 * <p><b>Bounds.</b> A failing {@code accept} while the server runs (above all "Too many open
 * files", when the process has run out of descriptors) does not end the server: it pauses, first
 * {@link #ACCEPT_PAUSE_MIN} (10 ms), doubling after each failure in a row up to
 * {@link #ACCEPT_PAUSE_MAX} (1 s), and accepts again (asyncio's servers do the same); the failure
 * is logged at WARN at most once per {@link #WARNING_INTERVAL}. Pending connections wait in the
 * listen backlog meanwhile. Idle connections hold a descriptor each: {@link #setIdleTimeout} closes a
 * connection whose handler waits that long for a read without getting a byte (default: off, as in
 * aiomisc). Lines are bounded by {@link StreamReader}'s limit (64 KiB).
 *
 * <p><b>Threads.</b> Up to {@link #dedicatedThreads()} connections at a time (by default as many as
 * the JVM has CPUs) are handled on pooled platform threads, all others on virtual threads. A
 * platform thread blocked reading its socket is woken by the kernel itself when data arrives; a
 * virtual thread is woken by the JDK's poller thread and then scheduled onto a carrier thread. For
 * one busy connection that hand-off is nearly half of the server's CPU time per small message, so a
 * dedicated thread serves it about 1.5 times as fast, on a par with Netty; with many connections
 * one wake-up of the poller serves many messages, and virtual threads, which cost a few KiB while
 * they wait, scale to any number (measured with 64 and 1,000 busy connections, the dedicated
 * threads cost up to a few percent of throughput). Override {@code dedicatedThreads()} to return 0
 * for virtual threads only. Handlers must not depend on which kind of thread runs them. The
 * entrypoint, the MDC and the {@link io.aiomisc.thread.ContextVar}s of the thread that started the
 * server are installed on both.
 *
 * <p><b>Stop</b> closes the listening socket first, then shuts down the receiving side of every
 * connection, so that handlers waiting for a request (idle keep-alive clients) read end-of-stream
 * and finish, while handlers in the middle of a request can still write their answer. Handlers
 * still running after {@code stopTimeout} (default 5 s, aiomisc's) are interrupted and their
 * connections closed; stop then waits up to {@link #HANDLER_GRACE} more for them to end. All these
 * waits are timed by {@link #timeSource()} (default {@link TimeSource#system()}).
 *
 * <p><b>Interrupts.</b> {@link #start()} blocks while it accepts; {@link #stop} ends it (by
 * closing the listening socket). An interrupt is not the way to stop a server: on a platform
 * thread the JDK's {@code accept} ignores it; on a virtual thread it closes the listening socket
 * and {@code start()} returns as after a stop, with the interrupt flag still set (call
 * {@code stop} anyway to end the connections).
 * {@link #stop} blocks for the waits above; an interrupt cuts the {@code stopTimeout} wait short
 * (the running handlers are interrupted and closed at once), the remaining bounded waits go on, and
 * {@code stop} returns normally with the interrupt flag set again. Handlers are interrupted by
 * the stop as described; how a handler's reads and writes react is in {@link StreamReader}.
 */
public abstract class TcpServer extends Service {
    private static final Logger log = LoggerFactory.getLogger(TcpServer.class);

    /** How long stop waits for handlers by default. */
    public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(5);

    /**
     * How long stop waits, after interrupting the handlers still running at {@code stopTimeout},
     * for them (and the dedicated connection threads) to end: 5 s.
     */
    public static final Duration HANDLER_GRACE = Duration.ofSeconds(5);

    /** The first pause after a failed {@code accept}: 10 ms. See "Bounds". */
    public static final Duration ACCEPT_PAUSE_MIN = Duration.ofMillis(10);

    /** The longest pause after failed {@code accept}s in a row: 1 s. See "Bounds". */
    public static final Duration ACCEPT_PAUSE_MAX = Duration.ofSeconds(1);

    /**
     * The least time between two warnings of one kind (failed accepts; a peer's oversized line or
     * premature end) of one server: 10 s. The ones in between are counted, not logged.
     */
    public static final Duration WARNING_INTERVAL = Duration.ofSeconds(10);

    private final String address;
    private final int port;
    private final Duration stopTimeout;
    private final List<SocketOptionValue<?>> options;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final WarningLimiter acceptWarnings = new WarningLimiter(WARNING_INTERVAL);
    private final WarningLimiter peerWarnings = new WarningLimiter(WARNING_INTERVAL);
    private volatile TimeSource time = TimeSource.system();
    private volatile Duration idleTimeout = Duration.ZERO;
    private volatile CompletableFuture<Void> stopped = new CompletableFuture<>();
    private volatile ServerSocket serverSocket;
    private volatile boolean stopping;
    private volatile ThreadPoolExecutor dedicated;
    private volatile CompletableFuture<Void> dedicatedTerminated;

    /** A connection: its raw socket, the thread handling it and whether it is done. */
    private static final class Connection {
        final Socket socket;
        final CompletableFuture<Void> done = new CompletableFuture<>();
        volatile Thread thread; // while the handler runs

        Connection(Socket socket) {
            this.socket = socket;
        }
    }

    /**
     * A server on {@code address:port} with the default stop timeout
     * ({@link #DEFAULT_STOP_TIMEOUT}, 5 s) and no socket options.
     *
     * @param address the address to listen on ({@code "::"} or {@code "0.0.0.0"} for all)
     * @param port    0..65535; 0 for an ephemeral port
     * @throws NullPointerException     if {@code address} is null
     * @throws IllegalArgumentException if {@code port} is out of range
     */
    protected TcpServer(String address, int port) {
        this(address, port, DEFAULT_STOP_TIMEOUT);
    }

    /**
     * A server on {@code address:port} with its own stop timeout and socket options.
     *
     * @param address     the address to listen on ({@code "::"} or {@code "0.0.0.0"} for all)
     * @param port        0..65535; 0 for an ephemeral port
     * @param stopTimeout how long stop waits for handlers before interrupting them; zero or more
     * @param options     socket options of the listening socket (accepted sockets inherit the
     *                    buffer sizes)
     * @throws NullPointerException     if {@code address}, {@code stopTimeout} or {@code options}
     *                                  (or one of them) is null
     * @throws IllegalArgumentException if {@code port} is out of range or {@code stopTimeout} is
     *                                  negative
     */
    protected TcpServer(String address, int port, Duration stopTimeout, SocketOptionValue<?>... options) {
        this.address = Objects.requireNonNull(address, "address");
        this.port = Sockets.checkPort(port);
        this.stopTimeout = Durations.requireNonNegative("stopTimeout", stopTimeout);
        this.options = List.of(Objects.requireNonNull(options, "options"));
    }

    /**
     * A server whose connections are handled by {@code handler}; the same as subclassing with
     * {@link #handleClient} calling it. Default stop timeout, no socket options.
     *
     * @param address the address to listen on ({@code "::"} or {@code "0.0.0.0"} for all)
     * @param port    0..65535; 0 for an ephemeral port
     * @param handler handles each connection, on the connection's own thread; called
     *                concurrently for concurrent connections, so it must be thread-safe
     * @return a new server, not started
     * @throws NullPointerException     if {@code address} or {@code handler} is null
     * @throws IllegalArgumentException if {@code port} is outside 0..65535
     */
    public static TcpServer create(String address, int port, ConnectionHandler handler) {
        Objects.requireNonNull(handler, "handler");
        return new TcpServer(address, port) {
            @Override
            protected void handleClient(StreamReader reader, StreamWriter writer) throws Exception {
                handler.handle(reader, writer);
            }
        };
    }

    /**
     * Handles one connection; runs on a thread of its own (see "Threads" above), concurrently
     * with the other connections' handlers, and may block as long as it likes. Returning flushes
     * the writer and closes the connection. See "Stop" and "Interrupts" above for how a stop ends
     * it.
     *
     * @param reader reads what the client sends
     * @param writer writes to the client
     * @throws Exception any failure; it ends the connection and is logged as "Handlers" above says
     */
    protected abstract void handleClient(StreamReader reader, StreamWriter writer) throws Exception;

    /**
     * Turns an accepted socket into the socket the handler uses; TLS servers wrap it. The
     * default returns it as is. Called on the connection's thread, before {@link #handleClient};
     * an override may block (a TLS handshake).
     *
     * @param accepted the accepted plain socket
     * @return the socket the reader and writer use
     * @throws IOException if wrapping fails: the connection is then closed and the failure logged
     *                     as a handler's
     */
    protected Socket wrap(Socket accepted) throws IOException {
        return accepted;
    }

    /**
     * How many connections at a time are handled on platform threads of their own (pooled, created
     * as needed) rather than virtual threads; see "Threads" above. Called once at start. The
     * default is the number of CPUs the JVM may use; 0 means virtual threads only.
     *
     * @return 0 or more; a negative value fails the start with an {@link IllegalArgumentException}
     */
    protected int dedicatedThreads() {
        return Runtime.getRuntime().availableProcessors();
    }

    /**
     * Sets how long a connection's handler may wait for a read without getting a byte before the
     * connection is closed: the read throws a {@link SocketTimeoutException}, which ends the
     * handler unless it catches it, and the server logs the close at DEBUG. Call it before
     * {@link #start()}; it applies to the connections accepted after the call. Millisecond
     * resolution (a positive value below 1 ms counts as 1 ms). Thread-safe; never blocks.
     *
     * @param timeout how long; {@link Duration#ZERO} (the default) for no limit
     * @throws NullPointerException     if {@code timeout} is null
     * @throws IllegalArgumentException if {@code timeout} is negative or above
     *                                  {@link Integer#MAX_VALUE} milliseconds
     */
    public final void setIdleTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.compareTo(Duration.ofMillis(Integer.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException(
                    "idle timeout must be in 0.." + Integer.MAX_VALUE + " ms (0 for none): " + timeout);
        }
        this.idleTimeout = timeout;
    }

    /**
     * The idle timeout of new connections.
     *
     * @return the timeout; {@link Duration#ZERO} (none) unless set
     */
    public final Duration idleTimeout() {
        return idleTimeout;
    }

    /**
     * Sets where stop's waits and the pauses after a failed accept take their time from; takes
     * effect at the next {@link #stop} or pause. Default: {@link TimeSource#system()}.
     * Thread-safe.
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
     * Binds, reports the service started, and accepts connections until {@link #stop} closes the
     * listening socket; then returns. Blocks all that time; a failing accept pauses and accepts
     * again (see "Bounds"). See "Interrupts" in the class description; an interrupt during such a
     * pause also ends {@code start()} as after a stop, with the interrupt flag set.
     *
     * @throws IOException if binding fails (the message names host and port) or accepting fails
     */
    @Override
    public void start() throws Exception {
        int threads = dedicatedThreads();
        if (threads < 0) {
            throw new IllegalArgumentException("dedicatedThreads() must not be negative: " + threads);
        }
        ServerSocket socket = Sockets.bindSocket(address, port, false, options.toArray(SocketOptionValue[]::new));
        CompletableFuture<Void> stoppedNow = new CompletableFuture<>();
        stopped = stoppedNow;
        serverSocket = socket;
        stopping = false;
        ExecutionContext context = ExecutionContext.capture();
        CompletableFuture<Void> terminated = new CompletableFuture<>();
        ThreadPoolExecutor pool = threads == 0
                ? null
                : new ThreadPoolExecutor(
                        threads,
                        threads,
                        0,
                        TimeUnit.SECONDS,
                        new SynchronousQueue<>(),
                        Threads.platformFactory("aiomisc-tcp-connection-", true),
                        (body, full) -> Threads.startVirtual("aiomisc-tcp-connection", body)) {
                    @Override
                    protected void terminated() {
                        terminated.complete(null);
                    }
                };
        dedicatedTerminated = terminated;
        dedicated = pool;
        preloadPausePath(time);
        ready();
        try {
            Duration pause = ACCEPT_PAUSE_MIN;
            while (true) {
                Socket accepted;
                try {
                    accepted = accept(socket);
                } catch (IOException e) {
                    if (socket.isClosed()) {
                        return; // stopped
                    }
                    // transient (no descriptor left, a connection reset while queued): keep the listener
                    warnAcceptFailed(e, pause);
                    if (TimedWait.awaitAll(time, pause, List.of(stoppedNow), true)
                            || Thread.currentThread().isInterrupted()) {
                        return;
                    }
                    pause = pause.compareTo(ACCEPT_PAUSE_MAX.dividedBy(2)) >= 0
                            ? ACCEPT_PAUSE_MAX
                            : pause.multipliedBy(2);
                    continue;
                }
                pause = ACCEPT_PAUSE_MIN;
                serve(accepted, context, pool);
            }
        } finally {
            socket.close();
        }
    }

    /**
     * Loads the classes of the pause after a failed accept now: when it runs, the process may have
     * no descriptor left to read a class file with.
     */
    private static void preloadPausePath(TimeSource clock) {
        clock.schedule(ACCEPT_PAUSE_MAX, () -> {}).cancel();
        TimedWait.awaitAll(clock, ACCEPT_PAUSE_MIN, List.of(CompletableFuture.completedFuture(null)), true);
        new WarningLimiter(WARNING_INTERVAL).tryAcquire(clock.nanoTime());
    }

    /** Accepts a connection; a seam for tests that make accepting fail. */
    Socket accept(ServerSocket socket) throws IOException {
        return socket.accept();
    }

    private void warnAcceptFailed(IOException failure, Duration pause) {
        long dropped = acceptWarnings.tryAcquire(time.nanoTime());
        if (dropped >= 0) {
            log.warn(
                    "Accepting connections on {} failed: {}; pausing {} and accepting again ({} such warnings held back in the last {})",
                    this,
                    failure.toString(),
                    pause,
                    dropped,
                    WARNING_INTERVAL);
        }
    }

    private void warnPeer(Socket accepted, Throwable failure) {
        long dropped = peerWarnings.tryAcquire(time.nanoTime());
        if (dropped >= 0) {
            log.warn(
                    "Connection with {} closed: {} ({} such warnings held back in the last {})",
                    accepted.getRemoteSocketAddress(),
                    failure.toString(),
                    dropped,
                    WARNING_INTERVAL);
        }
    }

    private void serve(Socket accepted, ExecutionContext context, ThreadPoolExecutor pool) {
        try {
            accepted.setTcpNoDelay(true);
        } catch (SocketException e) {
            log.debug("Cannot set TCP_NODELAY on {}", accepted, e);
        }
        long idleMillis = idleTimeout.toMillis();
        if (!idleTimeout.isZero()) {
            try {
                accepted.setSoTimeout((int) Math.max(1, idleMillis));
            } catch (SocketException e) {
                log.debug("Cannot set the idle timeout on {}", accepted, e);
            }
        }
        Connection connection = new Connection(accepted);
        connections.add(connection);
        if (stopping) {
            closeQuietly(accepted);
        }
        Runnable body = () -> {
            try {
                context.call(() -> {
                    handle(connection);
                    return null;
                });
            } catch (Exception impossible) { // handle() catches everything
                throw new IllegalStateException(impossible);
            }
        };
        if (pool == null) {
            Threads.startVirtual("aiomisc-tcp-connection", body);
        } else {
            pool.execute(
                    body); // a free platform thread, or else (the rejection handler, also once shut down) a virtual one
        }
    }

    private void handle(Connection connection) {
        Socket accepted = connection.socket;
        connection.thread = Thread.currentThread();
        try {
            Socket socket = wrap(accepted);
            try (StreamWriter writer = new StreamWriter(socket)) {
                handleClient(new StreamReader(socket.getInputStream()), writer);
            }
        } catch (Throwable failure) {
            if (stopping && (failure instanceof IOException || Interruptions.isCancellation(failure))) {
                log.debug("Connection of {} ended by the stop", accepted.getRemoteSocketAddress(), failure);
            } else if (failure instanceof SocketTimeoutException && !idleTimeout.isZero()) {
                log.debug("Closing connection of {}: idle for {}", accepted.getRemoteSocketAddress(), idleTimeout);
            } else if (failure instanceof LimitOverrunException || failure instanceof IncompleteReadException) {
                warnPeer(accepted, failure); // the peer's doing: no stack trace, rate-limited
            } else if (failure instanceof SocketException) { // reset, broken pipe: the peer went away
                log.debug("Connection with {} lost: {}", accepted.getRemoteSocketAddress(), failure.toString());
            } else {
                log.error("Error when handling client {}", accepted.getRemoteSocketAddress(), failure);
            }
        } finally {
            closeQuietly(accepted);
            connections.remove(connection);
            connection.thread = null;
            connection.done.complete(null);
        }
    }

    /**
     * Stops accepting and ends the connections as the class description says. Blocks up to
     * {@code stopTimeout} plus twice {@link #HANDLER_GRACE} on {@link #timeSource()}; an interrupt
     * cuts the first wait short and is restored on return (see "Interrupts").
     */
    @Override
    public void stop(Throwable exception) throws Exception {
        stopping = true;
        stopped.complete(null);
        ServerSocket socket = serverSocket;
        if (socket != null) {
            socket.close();
        }
        for (Connection connection : connections) {
            try {
                connection.socket.shutdownInput();
            } catch (IOException e) {
                closeQuietly(connection.socket);
            }
        }
        TimeSource clock = time;
        boolean finished = TimedWait.awaitAll(clock, stopTimeout, dones(List.copyOf(connections)), true);
        boolean interrupted = Thread.interrupted(); // the remaining waits are bounded: finish them, restore it after
        List<Connection> late = finished ? List.of() : List.copyOf(connections);
        if (!late.isEmpty()) {
            String name = name();
            if (interrupted) {
                log.warn("Stop of {} interrupted; interrupting its {} running handlers", name, late.size());
            } else {
                log.warn(
                        "{} handlers of {} did not finish within {}; interrupting them",
                        late.size(),
                        name,
                        stopTimeout);
            }
            for (Connection connection : late) {
                closeQuietly(connection.socket);
                Thread thread = connection.thread;
                if (thread != null) {
                    thread.interrupt();
                }
            }
            if (!TimedWait.awaitAll(clock, HANDLER_GRACE, dones(late), false)) {
                log.warn("Handlers of {} still run {} after being interrupted", name, HANDLER_GRACE);
            }
            interrupted |= Thread.interrupted();
        }
        ThreadPoolExecutor pool = dedicated;
        if (pool != null) {
            pool.shutdownNow();
            if (!TimedWait.awaitAll(clock, HANDLER_GRACE, List.of(dedicatedTerminated), false)) {
                log.warn("Dedicated connection threads of {} did not end", name());
            }
            interrupted |= Thread.interrupted();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static List<CompletableFuture<Void>> dones(List<Connection> connections) {
        return connections.stream().map(connection -> connection.done).toList();
    }

    /**
     * The address the server listens on, with the actual port when it was given as 0.
     * Thread-safe; never blocks.
     *
     * @return the bound local address
     * @throws IllegalStateException before the server has bound its socket
     */
    public InetSocketAddress localAddress() {
        ServerSocket socket = serverSocket;
        if (socket == null) {
            throw new IllegalStateException(name() + " is not started");
        }
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    /**
     * The number of connections being handled now. Thread-safe; never blocks.
     *
     * @return the number of open connections
     */
    public int connections() {
        return connections.size();
    }

    /**
     * The address given at construction.
     *
     * @return the address to listen on, as given
     */
    public String address() {
        return address;
    }

    /**
     * The port given at construction.
     *
     * @return the port as given; 0 for an ephemeral one (see {@link #localAddress()})
     */
    public int port() {
        return port;
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            log.debug("Error closing {}", socket, e);
        }
    }

    @Override
    public String toString() {
        ServerSocket socket = serverSocket;
        return name() + "("
                + (socket != null && socket.isBound()
                        ? Sockets.format((InetSocketAddress) socket.getLocalSocketAddress())
                        : address + ":" + port)
                + ")";
    }
}
