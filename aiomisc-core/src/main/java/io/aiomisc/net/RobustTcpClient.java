package io.aiomisc.net;

import io.aiomisc.internal.Durations;
import io.aiomisc.time.TimeSource;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP client that keeps reconnecting: aiomisc's {@code RobustTCPClient}. The service counts as
 * started after its first connection; after every disconnect (the handler returned) or failure
 * (connecting failed with any {@link IOException}, or the handler threw), it waits as its
 * {@link ReconnectPolicy} says — exponential backoff with jitter, at least the minimum delay, so
 * a server that drops every connection is not hammered — and connects again, until stopped.
 *
 * <p><b>Backoff on short connections.</b> A connection that lived less than the policy's
 * {@link ReconnectPolicy#minConnectionLifetime() minConnectionLifetime} (default: its maxDelay, 5 s),
 * measured on {@link #timeSource()}, counts as one more failure in a row, like a refused attempt:
 * against a server that accepts and at once closes every connection, the waits grow 100 ms, 200 ms,
 * 400 ms ... up to maxDelay, instead of ten reconnects a second forever. A connection that lived at
 * least that long starts a new streak: the wait after it is minDelay.
 *
 * <p><b>Stop.</b> {@link #stop} closes the connection; {@code start()} then returns (after the
 * connection ends or the current wait is interrupted) instead of reconnecting. How each connection's
 * end is logged (DEBUG for the stop, WARN for a lost connection, ERROR for a handler failure) is as
 * {@link TcpClient} says.
 *
 * <p><i>Differences from aiomisc:</i> every transient {@code IOException} is retried (not only
 * refused connections), there is always a wait between connections (aiomisc reconnects at once
 * after a normal disconnect), and an optional start timeout keeps an unreachable server from
 * hanging the entrypoint's start forever.
 */
public abstract class RobustTcpClient extends TcpClient {
    private static final Logger log = LoggerFactory.getLogger(RobustTcpClient.class);

    private final ReconnectPolicy policy;
    private final RandomGenerator random = RandomGenerator.getDefault();
    private volatile int connections;

    /**
     * A client with the default {@link ReconnectPolicy} ({@link ReconnectPolicy#defaults()}).
     *
     * @param address the host name or IP address to connect to
     * @param port    the port to connect to, 0..65535
     * @throws NullPointerException     if {@code address} is null
     * @throws IllegalArgumentException if {@code port} is outside 0..65535
     */
    protected RobustTcpClient(String address, int port) {
        this(address, port, ReconnectPolicy.defaults());
    }

    /**
     * A client waiting between connections as {@code policy} says.
     *
     * @param address the host name or IP address to connect to
     * @param port    the port to connect to, 0..65535
     * @param policy  how long to wait between connections
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if {@code port} is outside 0..65535
     */
    protected RobustTcpClient(String address, int port, ReconnectPolicy policy) {
        super(address, port, 1, Duration.ZERO);
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    /**
     * A reconnecting client whose every connection is handled by {@code handler}.
     *
     * @param address the host name or IP address to connect to
     * @param port    the port to connect to, 0..65535
     * @param policy  how long to wait between connections
     * @param handler talks over each connection in turn, on the service's start thread
     * @return a new client, not started
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if {@code port} is outside 0..65535
     */
    public static RobustTcpClient create(String address, int port, ReconnectPolicy policy, ConnectionHandler handler) {
        Objects.requireNonNull(handler, "handler");
        return new RobustTcpClient(address, port, policy) {
            @Override
            protected void handleConnection(StreamReader reader, StreamWriter writer) throws Exception {
                handler.handle(reader, writer);
            }
        };
    }

    /**
     * Connects, handles, waits and reconnects until stopped; reports the service started after the
     * first connection. Blocks until stopped or interrupted. Waits (and the start timeout) are timed
     * by {@link #timeSource()}.
     *
     * <p><b>Logging</b>, so that a long-lived client stays quiet: at most one INFO line per
     * reconnect cycle ({@code "Connection to tcp://host:port ended; reconnecting in 1.5 s"}, or
     * after failed attempts {@code "Reconnected to tcp://host:port after 3 failed attempts"}); the
     * first failed attempt of a streak at WARN, the others and the details at DEBUG; delays in human
     * units.
     *
     * <p><b>Interrupts.</b> An interrupt — the entrypoint's stop, or the start timeout — ends this
     * method while it waits to reconnect, while it connects (on a virtual thread) or when it makes
     * the handler fail (see {@link TcpClient}): it throws {@link InterruptedException}, with the
     * flag clear as that exception's convention goes, or the start timeout's
     * {@link TimeoutException} (the flag cleared too: the interrupt was the timeout's own).
     *
     * @throws TimeoutException     if the first connection did not succeed within the start timeout
     * @throws InterruptedException if interrupted
     */
    @Override
    public void start() throws Exception {
        beginRun();
        TimeSource time = timeSource();
        CompletableFuture<Void> firstConnection = new CompletableFuture<>();
        TimeSource.Scheduled startTimer = null;
        if (policy.startTimeout() != null) {
            Thread starter = Thread.currentThread();
            startTimer = time.schedule(policy.startTimeout(), () -> {
                if (firstConnection.completeExceptionally(new TimeoutException("no connection to tcp://" + address()
                        + ":" + port() + " within " + ReconnectPolicy.human(policy.startTimeout())))) {
                    starter.interrupt();
                }
            });
        }
        String target = "tcp://" + address() + ":" + port();
        try {
            int streak = 0; // failed attempts and short-lived connections in a row: the policy's n
            int failures = 0; // failed attempts since the last connection, for the log lines
            while (!isStopping()) {
                Socket socket;
                try {
                    socket = connectOnce();
                } catch (IOException e) {
                    if (Thread.currentThread().isInterrupted()) {
                        pause(time, Duration.ZERO, firstConnection); // throws the interrupt (or the start timeout)
                    }
                    failures++;
                    streak++;
                    Duration delay = policy.delay(streak, random);
                    if (failures == 1) {
                        log.warn(
                                "Cannot connect to {} ({}); retrying in {}",
                                target,
                                e.getMessage(),
                                ReconnectPolicy.human(delay));
                    } else {
                        log.debug(
                                "Cannot connect to {} ({}, {} failed attempts); retrying in {}",
                                target,
                                e.getMessage(),
                                failures,
                                ReconnectPolicy.human(delay));
                    }
                    pause(time, delay, firstConnection);
                    continue;
                }
                long connectedAt = time.nanoTime();
                connections++;
                if (firstConnection.complete(null)) {
                    if (startTimer != null) {
                        startTimer.cancel();
                    }
                    log.info("Connected to {}", target);
                    ready();
                } else if (failures > 0) {
                    log.info("Reconnected to {} after {} failed attempt{}", target, failures, failures == 1 ? "" : "s");
                } else {
                    log.debug("Reconnected to {}", target);
                }
                failures = 0;
                boolean failed;
                try {
                    failed = talk(socket);
                } catch (InterruptedException e) {
                    throw startTimedOut(firstConnection, e);
                }
                if (isStopping()) {
                    return;
                }
                long lived = time.nanoTime() - connectedAt;
                boolean shortLived = lived < Durations.toNanos(policy.minConnectionLifetime());
                streak = shortLived ? streak + 1 : 1;
                Duration delay = policy.delay(streak, random);
                if (failed) { // talk() logged the failure
                    log.debug("Reconnecting to {} in {}", target, ReconnectPolicy.human(delay));
                } else {
                    log.info("Connection to {} ended; reconnecting in {}", target, ReconnectPolicy.human(delay));
                }
                pause(time, delay, firstConnection);
            }
        } finally {
            if (startTimer != null) {
                startTimer.cancel();
            }
        }
    }

    private static void pause(TimeSource time, Duration delay, CompletableFuture<Void> firstConnection)
            throws Exception {
        try {
            time.sleep(delay);
            if (Thread.interrupted()) { // a zero sleep may return without looking at the flag
                throw new InterruptedException();
            }
        } catch (InterruptedException e) {
            throw startTimedOut(firstConnection, e);
        }
    }

    /** The start timeout's exception if it fired (the interrupt was ours), else the interrupt. */
    private static Exception startTimedOut(CompletableFuture<Void> firstConnection, InterruptedException e) {
        if (firstConnection.isCompletedExceptionally()) {
            Thread.interrupted();
            return (Exception) firstConnection.exceptionNow();
        }
        return e;
    }

    /**
     * Connections made so far: each successful connect counts, failed attempts do not.
     * Thread-safe; never blocks.
     *
     * @return the number of connections since construction
     */
    public int connections() {
        return connections;
    }

    /**
     * How this client waits between connections.
     *
     * @return the policy given at construction, or {@link ReconnectPolicy#defaults()}
     */
    public ReconnectPolicy policy() {
        return policy;
    }
}
