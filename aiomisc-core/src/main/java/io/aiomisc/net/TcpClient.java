package io.aiomisc.net;

import io.aiomisc.Service;
import io.aiomisc.internal.Durations;
import io.aiomisc.internal.Interruptions;
import io.aiomisc.time.TimeSource;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP client service: aiomisc's {@code TCPClient}. Implement {@link #handleConnection}; the service
 * counts as started once connected, and the handler runs until it returns (the connection is then
 * closed) or the service stops (the connection is closed under it).
 *
 * <p>Connecting makes up to {@code connectAttempts} tries (default 5), waiting
 * {@code connectRetryDelay} (default 3 s) after each refused or reset connection, as aiomisc; other
 * failures (an unknown host) fail at once. The start fails with the last failure, whose message
 * names host and port. No reconnecting: see {@link RobustTcpClient}. The waits between tries are
 * timed by {@link #timeSource()} (default {@link TimeSource#system()}).
 *
 * <p><b>Logging of how a connection ended.</b> Whether the connection ended because of our own
 * {@link #stop} is decided by the client's stopping state (set by {@code stop} before it closes the
 * socket), never by looking at the socket afterwards:
 * <ul>
 *   <li>ended by {@link #stop} (whatever the handler then throws), or the handler returned: DEBUG
 *       ({@code TcpClient} adds one INFO line when its single connection ends normally);
 *   <li>lost while running — a {@link SocketException} (reset, broken pipe) or an
 *       {@link EOFException} (the peer closed in the middle of a read, e.g. an
 *       {@link IncompleteReadException}) — or ended by what the peer sent (a line over the
 *       reader's limit, {@link LimitOverrunException}): WARN, one line without a stack trace;
 *   <li>any other exception of the handler (an {@link IOException} of its own included): ERROR with
 *       the stack trace.
 * </ul>
 *
 * <p><b>Interrupts.</b> {@link #start()} blocks while it connects, waits to retry and runs the
 * handler. An interrupt while it waits to retry, or one that makes a connection attempt or the
 * handler fail (on a virtual thread the JDK closes a socket whose reader or writer is interrupted,
 * which fails with a {@link SocketException}), ends {@code start()} with an
 * {@link InterruptedException}; as that exception's convention goes, the interrupt flag is then
 * clear. A socket blocked on a platform thread does not notice an interrupt (the JDK's sockets are
 * not interruptible there): {@link #stop} closes the socket, which ends it. A handler that swallows
 * the interrupt and returns normally ends {@code start()} normally, with the flag as the handler
 * left it.
 */
public abstract class TcpClient extends Service {
    private static final Logger log = LoggerFactory.getLogger(TcpClient.class);

    /** How long one connection attempt may take. */
    private static final int CONNECT_TIMEOUT_MILLIS = 30_000;

    private final String address;
    private final int port;
    private final int connectAttempts;
    private final Duration connectRetryDelay;
    private volatile TimeSource time = TimeSource.system();
    private volatile Socket current;
    /** Set by {@link #stop} before it closes the socket: a failure after it is the stop's doing. */
    private volatile boolean stopping;

    /**
     * A client of {@code address:port} with the defaults: 5 connection attempts, 3 s apart.
     *
     * @param address the host name or IP address to connect to
     * @param port    the port to connect to, 0..65535
     * @throws NullPointerException     if {@code address} is null
     * @throws IllegalArgumentException if {@code port} is outside 0..65535
     */
    protected TcpClient(String address, int port) {
        this(address, port, 5, Duration.ofSeconds(3));
    }

    /**
     * A client of {@code address:port} with its own retry policy for connecting.
     *
     * @param address           the host name or IP address to connect to
     * @param port              the port to connect to, 0..65535
     * @param connectAttempts   tries per connect, at least 1
     * @param connectRetryDelay the wait after a refused or reset try; zero or more
     * @throws NullPointerException     if {@code address} or {@code connectRetryDelay} is null
     * @throws IllegalArgumentException naming the parameter and the value if {@code port} is
     *                                  outside 0..65535, {@code connectAttempts} is less than 1
     *                                  or {@code connectRetryDelay} is negative
     */
    protected TcpClient(String address, int port, int connectAttempts, Duration connectRetryDelay) {
        this.address = Objects.requireNonNull(address, "address");
        this.port = Sockets.checkPort(port);
        if (connectAttempts < 1) {
            throw new IllegalArgumentException("connectAttempts must be at least 1: " + connectAttempts);
        }
        this.connectAttempts = connectAttempts;
        this.connectRetryDelay = Durations.requireNonNegative("connectRetryDelay", connectRetryDelay);
    }

    /**
     * A client whose connection is handled by {@code handler}, with the default retry policy (5
     * attempts, 3 s apart).
     *
     * @param address the host name or IP address to connect to
     * @param port    the port to connect to, 0..65535
     * @param handler talks over the connection; runs on the service's start thread
     * @return a new client, not started
     * @throws NullPointerException     if {@code address} or {@code handler} is null
     * @throws IllegalArgumentException if {@code port} is outside 0..65535
     */
    public static TcpClient create(String address, int port, ConnectionHandler handler) {
        Objects.requireNonNull(handler, "handler");
        return new TcpClient(address, port) {
            @Override
            protected void handleConnection(StreamReader reader, StreamWriter writer) throws Exception {
                handler.handle(reader, writer);
            }
        };
    }

    /**
     * Talks over the connection; runs on the service's start thread, and may block as long as it
     * likes. Returning closes the connection. When the service stops, the socket is closed under
     * the handler, whose next read or write then fails; see "Interrupts" in the class
     * description for what an interrupt does.
     *
     * @param reader reads what the server sends
     * @param writer writes to the server
     * @throws Exception any failure; it is logged as the class description says, and ends the
     *                   connection
     */
    protected abstract void handleConnection(StreamReader reader, StreamWriter writer) throws Exception;

    /**
     * Turns a connected socket into the socket the handler uses; TLS clients wrap it. The default
     * returns it as is. Called on the start thread; an override may block (a TLS handshake).
     *
     * @param connected the connected plain socket
     * @param host      the host connected to, as given to the constructor
     * @param port      the port connected to
     * @return the socket the reader and writer use
     * @throws IOException if wrapping fails (the connection attempt then fails)
     */
    protected Socket wrap(Socket connected, String host, int port) throws IOException {
        return connected;
    }

    /**
     * Sets where the waits between connection attempts (and a {@link RobustTcpClient}'s reconnect
     * waits and start timeout) take their time from; takes effect at the next {@link #start()}.
     * Default: {@link TimeSource#system()}. Tests pass a {@link io.aiomisc.time.ManualTimeSource}.
     * Thread-safe.
     *
     * @param time the time source to use
     * @throws NullPointerException if {@code time} is null
     */
    public final void setTimeSource(TimeSource time) {
        this.time = Objects.requireNonNull(time, "time");
    }

    /**
     * Where this client's waits take their time from.
     *
     * @return the time source; {@link TimeSource#system()} unless set
     */
    public final TimeSource timeSource() {
        return time;
    }

    /**
     * Connects (with retries), reports the service started, runs the handler and returns when it
     * does. Blocks for all of that; see "Interrupts" in the class description.
     *
     * @throws IOException          if no attempt connected (the last failure, naming host and port)
     * @throws InterruptedException if interrupted while connecting, waiting to retry or handling
     */
    @Override
    public void start() throws Exception {
        beginRun();
        Socket socket = connectWithRetries();
        log.info("Connected to tcp://{}:{}", address, port);
        ready();
        if (!talk(socket)) {
            log.info("Client {} communication has been ended", this);
        }
    }

    /**
     * Marks the client as stopping, then closes the connection, which ends a running handler (its
     * failure is then logged at DEBUG only). Never blocks.
     */
    @Override
    public void stop(Throwable exception) throws IOException {
        stopping = true;
        Socket socket = current;
        if (socket != null) {
            socket.close();
        }
    }

    /** Clears the stopping state of a previous run: a stopped service may be started again. */
    final void beginRun() {
        stopping = false;
    }

    /** True once {@link #stop} was called in this run. */
    final boolean isStopping() {
        return stopping;
    }

    /**
     * Runs the handler over {@code socket} and closes it; logs what ends it (see the class
     * description).
     *
     * @return true if the handler failed (its exception is logged)
     */
    final boolean talk(Socket socket) throws InterruptedException {
        try (StreamWriter writer = new StreamWriter(socket)) {
            handleConnection(new StreamReader(socket.getInputStream()), writer);
            log.debug("Client {} communication has been ended", this);
            return false;
        } catch (InterruptedException e) {
            throw e;
        } catch (Throwable failure) {
            if (Thread.interrupted()) { // e.g. "Closed by interrupt": the interrupt, not the peer, ended it
                InterruptedException interrupted =
                        new InterruptedException("interrupted while handling the connection of " + this);
                interrupted.initCause(failure);
                throw interrupted;
            }
            // Not socket.isClosed(): the try-with-resources has closed the socket by now whatever ended it.
            if (stopping || Interruptions.isCancellation(failure)) {
                log.debug("Connection of {} ended by the stop", this, failure);
                return false;
            }
            if (failure instanceof SocketException || failure instanceof EOFException) { // the server went away
                log.warn("Connection of {} lost: {}", this, failure.toString());
            } else if (failure instanceof LimitOverrunException) { // what the peer sent, not our bug
                log.warn("Connection of {} ended: {}", this, failure.toString());
            } else {
                log.error("Error when handle TCP connection of {}", this, failure);
            }
            return true;
        } finally {
            current = null;
        }
    }

    /** One connection attempt, with no retries: connect, set TCP_NODELAY, wrap. */
    final Socket connectOnce() throws IOException {
        InetSocketAddress endpoint = Sockets.endpoint(address, port);
        Socket plain = new Socket();
        try {
            plain.setTcpNoDelay(true);
            plain.connect(endpoint, CONNECT_TIMEOUT_MILLIS);
            Socket socket = wrap(plain, address, port);
            current = socket;
            log.debug("Connected to tcp://{}", Sockets.format(endpoint));
            return socket;
        } catch (IOException e) {
            plain.close();
            if (e.getMessage() != null && e.getMessage().contains(address)) {
                throw e;
            }
            String message = "cannot connect to tcp://" + address + ":" + port + ": " + e.getMessage();
            IOException named =
                    e instanceof ConnectException ? new ConnectException(message) : new IOException(message);
            named.initCause(e);
            throw named;
        }
    }

    private Socket connectWithRetries() throws IOException, InterruptedException {
        TimeSource clock = time;
        for (int attempt = 1; ; attempt++) {
            try {
                return connectOnce();
            } catch (SocketException e) { // refused, reset: aiomisc's ConnectionError
                throwIfInterrupted(e);
                if (attempt >= connectAttempts) {
                    throw e;
                }
                log.warn(
                        "Connection to tcp://{}:{} failed ({}); retrying in {}",
                        address,
                        port,
                        e.getMessage(),
                        ReconnectPolicy.human(connectRetryDelay));
                clock.sleep(connectRetryDelay);
            } catch (IOException e) {
                throwIfInterrupted(e);
                throw e;
            }
        }
    }

    /** A connection attempt that failed because the thread was interrupted ends the start. */
    static void throwIfInterrupted(IOException failure) throws InterruptedException {
        if (Thread.interrupted()) {
            InterruptedException interrupted = new InterruptedException("interrupted while connecting");
            interrupted.initCause(failure);
            throw interrupted;
        }
    }

    /**
     * The host this client connects to.
     *
     * @return the host name or address, as given to the constructor
     */
    public String address() {
        return address;
    }

    /**
     * The port this client connects to.
     *
     * @return the port, 0..65535
     */
    public int port() {
        return port;
    }

    /**
     * Whether this client has a connected, open socket. Thread-safe; never blocks.
     *
     * @return true while connected
     */
    public boolean isConnected() {
        Socket socket = current;
        return socket != null && socket.isConnected() && !socket.isClosed();
    }

    @Override
    public String toString() {
        return name() + "(tcp://" + address + ":" + port + ")";
    }
}
