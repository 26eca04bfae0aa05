package io.aiomisc.junit;

import io.aiomisc.internal.Threads;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP proxy that injects faults between a client and a server: aiomisc's {@code TCPProxy}, usable
 * from any test framework. Clients connect to {@link #proxyPort()} on the listen host; each is
 * connected to the target, and bytes are forwarded both ways in chunks of up to {@link #CHUNK_SIZE}
 * bytes, each of which can be delayed ({@link #setDelay}, {@link #slowdown}), rewritten or dropped
 * ({@link #setContentProcessors}); {@link #disconnectAll()} ends every client's connection.
 *
 * <p>Directions are named as in aiomisc: <b>read</b> is client → server, <b>write</b> is server →
 * client. A half-close (one side shuts its output down) is passed on and the other direction keeps
 * flowing.
 *
 * <pre>{@code
 * try (TcpProxy proxy = new TcpProxy("127.0.0.1", serverPort).start()) {
 *     Client client = new Client("127.0.0.1", proxy.proxyPort());
 *     try (AutoCloseable slow = proxy.slowdown(Duration.ofMillis(200), Duration.ZERO)) {
 *         // every request takes 200 ms longer to reach the server
 *     }
 *     proxy.disconnectAll();  // the client reads end-of-stream and must reconnect
 * }
 * }</pre>
 *
 * <p>Every connection runs on two virtual threads (and a third while a disconnected client is
 * drained); no platform thread is started, and {@link #close()} waits for them all. Thread-safe:
 * the delays and processors may be changed at any time and apply to chunks forwarded from then on,
 * on existing connections too.
 */
public final class TcpProxy implements AutoCloseable {
    /** The largest chunk read and forwarded at once: 64 KiB, as aiomisc's. */
    public static final int CHUNK_SIZE = 64 * 1024;

    /** How long connecting to the target may take: 30 s, aiomisc's {@code DEFAULT_TIMEOUT}. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);

    /**
     * After {@link #disconnectAll()}, how long what a client still sends is read and discarded before
     * its socket is closed (closing with unread data would reset the connection): 5 s.
     */
    public static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(TcpProxy.class);
    private static final int NEW = 0;
    private static final int RUNNING = 1;
    private static final int CLOSED = 2;

    private final String targetHost;
    private final int targetPort;
    private final String listenHost;
    private final int proxyPort;
    private final Delay readDelay = new Delay();
    private final Delay writeDelay = new Delay();
    private volatile UnaryOperator<byte[]> readProcessor;
    private volatile UnaryOperator<byte[]> writeProcessor;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet(); // connected clients
    private final Set<Connection> live = ConcurrentHashMap.newKeySet(); // and disconnected ones still draining
    private final ReentrantLock lock = new ReentrantLock();
    private int state = NEW; // guarded by lock
    private ServerSocket server; // guarded by lock
    // every thread the proxy started that may still run: added under lock while RUNNING, so that
    // close() joins them all; pruned of ended ones whenever a thread starts
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();

    /**
     * A proxy to {@code targetHost:targetPort} listening on the loopback address {@link Localhost}
     * gives: 127.0.0.1, or ::1 on a host without IPv4 loopback (aiomisc listens on 127.0.0.1). The
     * proxy port is chosen now
     * (a port unused at this moment, never handed out before in this JVM) and bound by {@link #start()}.
     *
     * @param targetHost the server's host name or address
     * @param targetPort the server's port, 1..65535
     * @throws NullPointerException     if {@code targetHost} is null
     * @throws IllegalArgumentException if {@code targetHost} is blank or {@code targetPort} out of range
     * @throws IllegalStateException    if the host can bind neither loopback address
     */
    public TcpProxy(String targetHost, int targetPort) {
        this(targetHost, targetPort, LoopbackHost.get());
    }

    /**
     * A proxy to {@code targetHost:targetPort} listening on {@code listenHost}.
     *
     * @param targetHost the server's host name or address
     * @param targetPort the server's port, 1..65535
     * @param listenHost the address the proxy listens on (aiomisc's {@code listen_host})
     * @throws NullPointerException     if a host is null
     * @throws IllegalArgumentException if a host is blank or {@code targetPort} out of range
     */
    public TcpProxy(String targetHost, int targetPort, String listenHost) {
        this.targetHost = requireHost("targetHost", targetHost);
        if (targetPort < 1 || targetPort > 65535) {
            throw new IllegalArgumentException("targetPort must be in 1..65535: " + targetPort);
        }
        this.targetPort = targetPort;
        this.listenHost = requireHost("listenHost", listenHost);
        try (PortReservation reservation = PortReservation.reserve()) {
            this.proxyPort = reservation.port();
        }
    }

    private static String requireHost(String name, String host) {
        Objects.requireNonNull(host, name);
        if (host.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank: '" + host + "'");
        }
        return host;
    }

    /**
     * Binds the proxy port and starts accepting clients. Never blocks beyond the bind.
     *
     * @return this proxy
     * @throws IOException           if the port cannot be bound (taken meanwhile by another process)
     * @throws IllegalStateException if it was started already or closed
     */
    public TcpProxy start() throws IOException {
        lock.lock();
        try {
            if (state != NEW) {
                throw new IllegalStateException(
                        "the proxy was " + (state == RUNNING ? "started" : "closed") + " already");
            }
            // a channel's adaptor: the forwarding reads and writes direct buffers through the channels
            ServerSocket socket = ServerSocketChannel.open().socket();
            try {
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(listenHost, proxyPort));
            } catch (IOException e) {
                socket.close();
                throw new IOException("cannot listen on " + listenHost + ":" + proxyPort + ": " + e.getMessage(), e);
            }
            server = socket;
            state = RUNNING;
            startThread("aiomisc-tcp-proxy-" + proxyPort, () -> accept(socket));
        } finally {
            lock.unlock();
        }
        return this;
    }

    /**
     * The port clients connect to, chosen at construction. Never blocks.
     *
     * @return the proxy's port
     */
    public int proxyPort() {
        return proxyPort;
    }

    /**
     * The address the proxy listens on.
     *
     * @return the listen host given at construction (127.0.0.1 by default)
     */
    public String listenHost() {
        return listenHost;
    }

    /**
     * A new client socket connected to the proxy: aiomisc's {@code create_client()}. The caller closes
     * it. <b>Blocks</b> while connecting (to a loopback port: briefly).
     *
     * @return a connected socket
     * @throws IOException           if connecting fails
     * @throws IllegalStateException if the proxy is not running
     */
    public Socket createClient() throws IOException {
        requireRunning("createClient()");
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(listenHost, proxyPort), (int) CONNECT_TIMEOUT.toMillis());
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        return socket;
    }

    /**
     * Delays every chunk from now on: aiomisc's {@code set_delay}. A chunk is forwarded once the delay
     * in force has passed since it arrived, so a chunk already waiting goes at once when the delay is
     * lowered and waits longer when it is raised. Chunks of one direction stay in order.
     *
     * @param read  the delay of client → server chunks; zero for none
     * @param write the delay of server → client chunks; zero for none
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if a delay is negative
     */
    public void setDelay(Duration read, Duration write) {
        requireDelay("read", read);
        requireDelay("write", write);
        readDelay.set(read);
        writeDelay.set(write);
    }

    /**
     * Sets the delays until the returned scope is closed, then puts back those in force before:
     * aiomisc's {@code with proxy.slowdown(read_delay, write_delay):}. Scopes nest.
     *
     * @param read  the delay of client → server chunks meanwhile
     * @param write the delay of server → client chunks meanwhile
     * @return the scope; its {@code close()} never throws and is idempotent
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if a delay is negative
     */
    public AutoCloseable slowdown(Duration read, Duration write) {
        requireDelay("read", read);
        requireDelay("write", write);
        Duration previousRead = readDelay.get();
        Duration previousWrite = writeDelay.get();
        setDelay(read, write);
        return new Slowdown(previousRead, previousWrite);
    }

    /** Restores the delays once; what {@link #slowdown} returns. */
    private final class Slowdown implements AutoCloseable {
        private final Duration read;
        private final Duration write;
        private boolean closed; // confined: closed by the thread that opened the scope

        Slowdown(Duration read, Duration write) {
            this.read = read;
            this.write = write;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                setDelay(read, write);
            }
        }
    }

    /**
     * Rewrites chunks from now on: aiomisc's {@code set_content_processors}. Each processor gets a
     * chunk (a fresh array it may change) and returns the bytes to forward instead; an empty array or
     * null drops the chunk. A processor that throws closes that client's connection (logged at WARN).
     * Processors run on the connection's thread, before the delay.
     *
     * @param read  the processor of client → server chunks; null to forward them unchanged
     * @param write the processor of server → client chunks; null to forward them unchanged
     */
    public void setContentProcessors(UnaryOperator<byte[]> read, UnaryOperator<byte[]> write) {
        readProcessor = read;
        writeProcessor = write;
    }

    /**
     * Ends every client's connection: each client reads end-of-stream (not a reset), the connection
     * to the server is closed, and the proxy goes on accepting new clients. What a client still sends
     * is discarded for up to {@link #DRAIN_TIMEOUT}. Never blocks.
     */
    public void disconnectAll() {
        for (Connection connection : new ArrayList<>(connections)) {
            connection.disconnect();
        }
    }

    /**
     * The clients connected now (disconnected ones no longer count). Never blocks.
     *
     * @return the number of client connections
     */
    public int clientCount() {
        return connections.size();
    }

    /**
     * Stops accepting, closes every connection (both sides) and waits for the proxy's threads to end.
     * Idempotent; a proxy never started just stays unusable.
     *
     * <p><b>Blocks</b> until the threads have ended (each closes at once). <b>Interrupt:</b> stops
     * waiting; the sockets are closed regardless, and the interrupt status is kept.
     */
    @Override
    public void close() {
        ServerSocket socket;
        lock.lock();
        try {
            if (state == CLOSED) {
                return;
            }
            state = CLOSED; // from now on no connection is registered and no thread started
            socket = server;
        } finally {
            lock.unlock();
        }
        if (socket != null) {
            closeQuietly(socket);
        }
        for (Connection connection : new ArrayList<>(live)) {
            connection.closeNow();
        }
        try {
            for (Thread thread : new ArrayList<>(threads)) {
                thread.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void accept(ServerSocket socket) {
        while (!socket.isClosed()) {
            Socket client;
            try {
                client = socket.accept();
            } catch (IOException e) {
                if (!socket.isClosed()) {
                    log.warn("TCP proxy on port {} stopped accepting", proxyPort, e);
                }
                return;
            }
            Connection connection = new Connection(client);
            if (!register(connection)) {
                closeQuietly(client);
                return;
            }
            connection.begin(); // if the proxy was closed meanwhile, close() closed the connection
        }
    }

    /** Adds a connection unless the proxy is closed (under the lock, so close() sees every connection). */
    private boolean register(Connection connection) {
        lock.lock();
        try {
            if (state != RUNNING) {
                return false;
            }
            live.add(connection);
            connections.add(connection);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Starts a virtual thread unless the proxy is closed; close() joins every thread started here.
     * Counted by {@link Threads#live()}, so the leak check of aiomisc's tests sees one left behind.
     */
    private boolean startThread(String name, Runnable body) {
        lock.lock();
        try {
            if (state != RUNNING) {
                return false;
            }
            threads.removeIf(thread -> !thread.isAlive());
            Thread thread = Threads.virtual(name, body);
            threads.add(thread);
            thread.start();
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void requireRunning(String method) {
        lock.lock();
        try {
            if (state != RUNNING) {
                throw new IllegalStateException(method + " needs a started proxy that is not closed");
            }
        } finally {
            lock.unlock();
        }
    }

    private static void requireDelay(String name, Duration delay) {
        Objects.requireNonNull(delay, name);
        if (delay.isNegative()) {
            throw new IllegalArgumentException(name + " delay must not be negative: " + delay);
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // closing a socket we are done with: nothing to report
        }
    }

    @Override
    public String toString() {
        return "TcpProxy[" + listenHost + ":" + proxyPort + " -> " + targetHost + ":" + targetPort + "]";
    }

    /**
     * One client: its socket, the server's, and a virtual thread per direction. The read thread
     * connects to the server, starts the write thread, then forwards client → server; after a
     * disconnect it reads and discards what the client still sends, until the client closes or
     * {@link #DRAIN_TIMEOUT} passes (a third thread closes the client's socket then, should the
     * read thread be blocked in a read). When the last of its threads ends, both sockets are
     * closed and the connection is forgotten.
     */
    private final class Connection {
        private final Socket client;
        private final ReentrantLock connectionLock = new ReentrantLock();
        private Socket upstream; // guarded by connectionLock
        private Thread reader; // guarded by connectionLock
        private int running; // threads of this connection not yet ended; guarded by connectionLock
        private int flowing = 2; // directions not yet at end-of-stream; guarded by connectionLock
        private volatile boolean disconnected;

        Connection(Socket client) {
            this.client = client;
        }

        /** Starts the read thread; false (and the sockets closed) if the proxy was closed meanwhile. */
        boolean begin() {
            return spawn("read", this::run);
        }

        private boolean spawn(String role, Runnable body) {
            connectionLock.lock();
            try {
                running++;
            } finally {
                connectionLock.unlock();
            }
            boolean started = startThread("aiomisc-tcp-proxy-" + proxyPort + "-" + role, () -> {
                try {
                    body.run();
                } catch (VirtualMachineError e) {
                    closeNow();
                    throw e;
                } catch (RuntimeException | Error e) {
                    log.warn("TCP proxy on port {}: forwarding failed; closing the connection", proxyPort, e);
                    closeNow();
                } finally {
                    ended();
                }
            });
            if (!started) {
                ended();
            }
            return started;
        }

        /** A thread of this connection ended; after the last, the sockets are closed. */
        private void ended() {
            boolean last;
            connectionLock.lock();
            try {
                last = --running == 0;
            } finally {
                connectionLock.unlock();
            }
            if (last) {
                closeNow();
                live.remove(this);
            }
        }

        private void run() {
            connectionLock.lock();
            try {
                reader = Thread.currentThread();
            } finally {
                connectionLock.unlock();
            }
            Socket server = null;
            try {
                server = SocketChannel.open().socket();
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                server.connect(new InetSocketAddress(targetHost, targetPort), (int) CONNECT_TIMEOUT.toMillis());
            } catch (IOException e) {
                if (!disconnected) {
                    log.warn(
                            "TCP proxy on port {}: cannot connect to {}:{}: {}",
                            proxyPort,
                            targetHost,
                            targetPort,
                            e.toString());
                }
                if (server != null) {
                    closeQuietly(server);
                }
                disconnect(); // the client reads end-of-stream
                drainClient();
                return;
            }
            connectionLock.lock();
            try {
                upstream = server;
            } finally {
                connectionLock.unlock();
            }
            if (disconnected) { // disconnectAll() or close() while connecting
                closeQuietly(server);
                drainClient();
                return;
            }
            if (spawn("write", this::forwardWrite)) {
                forwardRead(server);
            }
        }

        /** Client → server, then (after a disconnect) the drain. */
        private void forwardRead(Socket server) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(CHUNK_SIZE);
            try {
                SocketChannel in = client.getChannel();
                SocketChannel out = server.getChannel();
                while (!disconnected) {
                    int count = in.read(buffer);
                    if (count < 0) {
                        shutdownOutput(server); // pass the half-close on
                        directionDone();
                        return;
                    }
                    forward(buffer, out, readProcessor, readDelay);
                }
            } catch (IOException e) {
                if (!disconnected) {
                    closeNow(); // reset by either side, or closed by close()
                    return;
                }
            } catch (InterruptedException e) {
                closeNow();
                return;
            }
            drainClient();
        }

        /** Server → client. */
        private void forwardWrite() {
            Socket server;
            connectionLock.lock();
            try {
                server = upstream;
            } finally {
                connectionLock.unlock();
            }
            ByteBuffer buffer = ByteBuffer.allocateDirect(CHUNK_SIZE);
            try {
                SocketChannel in = server.getChannel();
                SocketChannel out = client.getChannel();
                while (!disconnected) {
                    int count = in.read(buffer);
                    if (count < 0) {
                        shutdownOutput(client);
                        directionDone();
                        return;
                    }
                    forward(buffer, out, writeProcessor, writeDelay);
                }
            } catch (IOException e) {
                if (!disconnected) {
                    closeNow();
                }
            } catch (InterruptedException e) {
                closeNow();
            }
        }

        /**
         * Forwards the chunk just read into {@code buffer} (direct: without a processor, the bytes
         * never enter the Java heap), then clears it.
         */
        private void forward(ByteBuffer buffer, SocketChannel out, UnaryOperator<byte[]> processor, Delay delay)
                throws IOException, InterruptedException {
            long arrival = System.nanoTime();
            buffer.flip();
            ByteBuffer chunk = buffer;
            if (processor != null) {
                byte[] bytes = new byte[buffer.remaining()];
                buffer.get(bytes);
                byte[] processed = processor.apply(bytes);
                chunk = ByteBuffer.wrap(processed == null ? new byte[0] : processed);
            }
            delay.await(arrival, this);
            while (chunk.hasRemaining() && !disconnected) {
                out.write(chunk);
            }
            buffer.clear();
        }

        /** One direction reached end-of-stream; when both have, the connection is done. */
        private void directionDone() {
            boolean done;
            connectionLock.lock();
            try {
                done = --flowing == 0;
            } finally {
                connectionLock.unlock();
            }
            if (done) {
                closeNow();
            }
        }

        /**
         * The client reads end-of-stream, the server's socket is closed; the read thread drains and
         * then closes the client's socket, or a drain thread closes it after {@link #DRAIN_TIMEOUT}.
         * Idempotent; never blocks.
         */
        void disconnect() {
            Socket server;
            Thread reading;
            connectionLock.lock();
            try {
                if (disconnected) {
                    return;
                }
                disconnected = true;
                server = upstream;
                reading = reader;
            } finally {
                connectionLock.unlock();
            }
            connections.remove(this);
            readDelay.wake();
            writeDelay.wake();
            shutdownOutput(client);
            if (server != null) {
                closeQuietly(server); // ends the write direction
            }
            if (reading != null && reading != Thread.currentThread()) {
                // the read thread may be blocked in a read without a timeout: bound the drain
                spawn("drain", () -> {
                    try {
                        if (!reading.join(DRAIN_TIMEOUT)) {
                            closeQuietly(client);
                        }
                    } catch (InterruptedException e) {
                        closeQuietly(client);
                    }
                });
            }
        }

        /**
         * Reads and discards what the client still sends until it closes or {@link #DRAIN_TIMEOUT}
         * passes, then closes its socket: closing with unread data would send the client a reset.
         */
        private void drainClient() {
            long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
            byte[] buffer = new byte[CHUNK_SIZE];
            try {
                InputStream in = client.getInputStream();
                for (long left = DRAIN_TIMEOUT.toNanos(); left > 0; left = deadline - System.nanoTime()) {
                    client.setSoTimeout((int) Math.max(1, Duration.ofNanos(left).toMillis()));
                    if (in.read(buffer) < 0) {
                        break;
                    }
                }
            } catch (SocketTimeoutException e) {
                // the client kept its side open: close it anyway
            } catch (IOException e) {
                // closed by close(), or reset by the client
            } finally {
                closeQuietly(client);
            }
        }

        /** Closes both sockets at once (the proxy's close, a failure, or both directions done). */
        void closeNow() {
            Socket server;
            connectionLock.lock();
            try {
                disconnected = true;
                server = upstream;
            } finally {
                connectionLock.unlock();
            }
            connections.remove(this);
            readDelay.wake();
            writeDelay.wake();
            closeQuietly(client);
            if (server != null) {
                closeQuietly(server);
            }
        }

        boolean disconnected() {
            return disconnected;
        }

        private static void shutdownOutput(Socket socket) {
            try {
                socket.shutdownOutput();
            } catch (IOException e) {
                // already closed or reset: the peer learns of it anyway
            }
        }
    }

    /** A direction's delay: chunks wait until it has passed since they arrived; changing it wakes them. */
    private static final class Delay {
        private final ReentrantLock delayLock = new ReentrantLock();
        private final Condition changed = delayLock.newCondition();
        private volatile long nanos; // written under delayLock; read without it on the no-delay fast path

        Duration get() {
            delayLock.lock();
            try {
                return Duration.ofNanos(nanos);
            } finally {
                delayLock.unlock();
            }
        }

        void set(Duration delay) {
            long value = saturatedNanos(delay);
            delayLock.lock();
            try {
                nanos = value;
                changed.signalAll();
            } finally {
                delayLock.unlock();
            }
        }

        /**
         * Waits until the delay in force has passed since {@code arrival} (a {@link
         * System#nanoTime()}), or the connection is disconnected ({@link #wake()} follows that).
         */
        void await(long arrival, Connection connection) throws InterruptedException {
            if (nanos == 0) {
                return;
            }
            delayLock.lock();
            try {
                while (!connection.disconnected()) {
                    long left = arrival + nanos - System.nanoTime();
                    if (nanos == 0 || left <= 0) {
                        return;
                    }
                    changed.awaitNanos(left);
                }
            } finally {
                delayLock.unlock();
            }
        }

        /** Wakes the waiting chunks to look again (a connection was disconnected). */
        void wake() {
            delayLock.lock();
            try {
                changed.signalAll();
            } finally {
                delayLock.unlock();
            }
        }

        private static long saturatedNanos(Duration delay) {
            try {
                return delay.toNanos();
            } catch (ArithmeticException e) {
                return Long.MAX_VALUE / 2; // centuries: "forever" without overflowing arrival + nanos
            }
        }
    }
}
