package io.aiomisc.net;

import io.aiomisc.internal.SharedTimer;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
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

    /** A client with the default {@link ReconnectPolicy}. */
    protected RobustTcpClient(String address, int port) {
        this(address, port, ReconnectPolicy.defaults());
    }

    protected RobustTcpClient(String address, int port, ReconnectPolicy policy) {
        super(address, port, 1, Duration.ZERO);
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    /**
     * A reconnecting client whose every connection is handled by {@code handler}.
     *
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
     * Connects, handles, waits and reconnects until stopped.
     *
     * @throws TimeoutException if the first connection did not succeed within the start timeout
     */
    @Override
    public void start() throws Exception {
        CompletableFuture<Void> firstConnection = new CompletableFuture<>();
        ScheduledFuture<?> startTimer = null;
        if (policy.startTimeout() != null) {
            Thread starter = Thread.currentThread();
            startTimer = SharedTimer.schedule(() -> {
                if (firstConnection.completeExceptionally(new TimeoutException(
                        "no connection to tcp://" + address() + ":" + port() + " within " + policy.startTimeout()))) {
                    starter.interrupt();
                }
            }, policy.startTimeout().toNanos());
        }
        try {
            int failures = 0;
            while (true) {
                Socket socket;
                try {
                    socket = connectOnce();
                } catch (IOException e) {
                    failures++;
                    Duration delay = policy.delay(failures, random);
                    log.warn("Connection to tcp://{}:{} failed ({}); reconnecting after {}",
                            address(), port(), e.getMessage(), delay);
                    pause(delay, firstConnection); // an interrupted connect left the flag set: this throws
                    continue;
                }
                connections++;
                if (firstConnection.complete(null)) {
                    ready();
                }
                failures = talk(socket) ? 1 : 0;
                Duration delay = policy.delay(1, random);
                log.info("Reconnecting to tcp://{}:{} after {}", address(), port(), delay);
                pause(delay, firstConnection);
            }
        } finally {
            if (startTimer != null) {
                startTimer.cancel(false);
            }
        }
    }

    private static void pause(Duration delay, CompletableFuture<Void> firstConnection) throws Exception {
        try {
            Thread.sleep(delay);
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

    /** Connections made so far. */
    public int connections() {
        return connections;
    }

    public ReconnectPolicy policy() {
        return policy;
    }
}
