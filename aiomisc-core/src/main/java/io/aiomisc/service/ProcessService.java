package io.aiomisc.service;

import io.aiomisc.Entrypoint;
import io.aiomisc.Service;
import io.aiomisc.internal.Durations;
import io.aiomisc.internal.Threads;
import io.aiomisc.internal.process.Bootstrap;
import io.aiomisc.internal.process.ChildExit;
import io.aiomisc.internal.process.ChildLauncher;
import io.aiomisc.internal.process.Frame;
import io.aiomisc.internal.process.FrameChannel;
import io.aiomisc.internal.process.Handshake;
import io.aiomisc.internal.process.IpcEndpoint;
import io.aiomisc.internal.process.Serial;
import java.io.IOException;
import java.io.Serializable;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service whose work runs in a child JVM: aiomisc's {@code ProcessService}. {@link #inProcess()}
 * runs there, in a copy of this service made by serialization (so the subclass and its fields must
 * be serializable; fields marked {@code transient} stay behind).
 *
 * <pre>{@code
 * public final class Indexer extends ProcessService {
 *     private final String directory;
 *     public Indexer(String directory) { this.directory = directory; }
 *
 *     protected void inProcess() throws Exception {
 *         while (!Thread.currentThread().isInterrupted()) {
 *             reindex(directory);
 *             Thread.sleep(60_000);
 *         }
 *     }
 * }
 * }</pre>
 *
 * <p>The child is started with this JVM's {@code java}, class path, module path and inherited
 * options (as a {@link io.aiomisc.worker.WorkerPool}'s workers, plus {@link #jvmOptions()}); it
 * inherits stdout and stderr, and logs with the level and format of the entrypoint that starts it
 * (when that entrypoint configures logging). {@link #start()} returns once the child reports that
 * it is about to run {@code inProcess()}, not when it finishes. {@link #stop(Throwable)} sends
 * SIGTERM, which interrupts {@code inProcess()} in the child (the child exits once it has
 * returned); a child still alive after {@link #processStopTimeout()} is killed with SIGKILL and a
 * WARNING naming its pid. A child ends by itself when this JVM dies, even by SIGKILL. If
 * {@code inProcess()} throws, the child logs the exception and exits with status 1; a plain
 * {@code ProcessService} does not restart it (see {@link RespawningProcessService}).
 *
 * <p>Differences from aiomisc: the stop signal is SIGTERM, not SIGINT (the JVM's orderly shutdown
 * runs on SIGTERM), and {@code inProcess} takes no arguments (use fields).
 */
public abstract class ProcessService extends Service implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Logger log = LoggerFactory.getLogger(ProcessService.class);

    /** Default {@link #processStopTimeout()}: 3 s, as aiomisc. */
    public static final Duration DEFAULT_PROCESS_STOP_TIMEOUT = Duration.ofSeconds(3);
    /** Longest wait for a started child to report that it runs. */
    static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private transient volatile Process process;

    /** For subclasses. */
    protected ProcessService() {}

    /**
     * The work, run in the child JVM (never in this one). It should return when its thread is
     * interrupted: that is how {@link #stop(Throwable)} ends it.
     *
     * @throws Exception to end the child with status 1 after logging the exception
     */
    protected abstract void inProcess() throws Exception;

    /**
     * How long {@link #stop(Throwable)} waits after SIGTERM before it kills the child. Default
     * {@link #DEFAULT_PROCESS_STOP_TIMEOUT} (3 s).
     *
     * @return the timeout, zero or more
     */
    protected Duration processStopTimeout() {
        return DEFAULT_PROCESS_STOP_TIMEOUT;
    }

    /**
     * Extra options for the child JVM, after the inherited ones. Default: none.
     *
     * @return the options
     */
    protected List<String> jvmOptions() {
        return List.of();
    }

    /**
     * The pid of the child while it runs.
     *
     * @return the pid, or -1 when no child runs
     */
    public long pid() {
        Process now = process;
        return now != null && now.isAlive() ? now.pid() : -1;
    }

    /**
     * Starts the child and returns once it reports that it runs {@link #inProcess()}. Blocks;
     * interrupting it kills the child and throws {@link InterruptedException}.
     *
     * @throws IllegalArgumentException if this service cannot be serialized
     * @throws IllegalStateException    if the child exits or stays silent for 60 s before it reports
     *                                  (the child is killed)
     * @throws IOException              if the child cannot be started
     * @throws InterruptedException     if interrupted (the child is killed)
     */
    @Override
    public void start() throws Exception {
        process = spawn();
    }

    /**
     * Stops the child: SIGTERM, then SIGKILL after {@link #processStopTimeout()}. Returns once it is
     * gone. Blocks; an interrupt does not cut it short (the interrupt status is set again).
     */
    @Override
    public void stop(Throwable exception) throws Exception {
        stopChild();
    }

    /** The child now, for {@link RespawningProcessService}. */
    final Process child() {
        return process;
    }

    /** Replaces the child, for {@link RespawningProcessService}. */
    final void respawn() throws Exception {
        process = spawn();
    }

    final void stopChild() {
        Process now = process;
        if (now == null || !now.isAlive()) {
            return;
        }
        now.destroy();
        Duration timeout = processStopTimeout();
        if (!ChildExit.await(now, timeout)) {
            now.destroyForcibly();
            log.warn(
                    "The process {} didn't stop for {} seconds and had been killed.",
                    now.pid(),
                    timeout.toMillis() / 1000.0);
            ChildExit.await(now, Duration.ofSeconds(10));
        }
    }

    private Process spawn() throws Exception {
        byte[] body;
        try {
            body = Serial.serialize(new InProcess(this), Integer.MAX_VALUE - 1024, "the process service");
        } catch (IOException e) {
            throw new IllegalArgumentException(name() + " cannot be serialized for its child JVM: " + e, e);
        }
        try (IpcEndpoint endpoint = IpcEndpoint.open(true)) {
            byte[] cookie = Handshake.newCookie();
            CompletableFuture<Void> started = new CompletableFuture<>();
            Thread acceptor = Threads.startVirtual(
                    "aiomisc-process-service-accept", () -> awaitStarted(endpoint, cookie, started));
            Process child;
            try {
                child = ChildLauncher.spawn(ChildLauncher.command(jvmOptions()));
                ChildLauncher.sendBootstrap(
                        child,
                        new Bootstrap(
                                Bootstrap.PROCESS,
                                cookie,
                                0,
                                endpoint.addressString(),
                                Integer.MAX_VALUE - 1024,
                                "",
                                Entrypoint.inheritedLogSettings()
                                        .map(s -> Bootstrap.logField(s.level(), s.format(), s.dateFormat()))
                                        .orElse(""),
                                body));
            } catch (ChildLauncher.ExitedEarly e) {
                endpoint.close();
                acceptor.join();
                throw new IllegalStateException(
                        name() + "'s child JVM (pid " + e.pid() + ") exited with status " + e.status()
                                + " before it started",
                        e);
            } catch (IOException e) {
                endpoint.close();
                acceptor.join();
                throw e;
            }
            try {
                CompletableFuture.anyOf(started, child.onExit())
                        .get(Durations.toNanos(START_TIMEOUT), TimeUnit.NANOSECONDS);
                if (!started.isDone() || started.isCompletedExceptionally()) {
                    throw new IllegalStateException(name() + "'s child JVM (pid " + child.pid() + ") "
                            + (child.isAlive()
                                    ? "failed to report its start"
                                    : "exited with status " + child.exitValue())
                            + " before it started");
                }
                return child;
            } catch (TimeoutException e) {
                throw new IllegalStateException(name() + "'s child JVM (pid " + child.pid()
                        + ") did not report its start within " + START_TIMEOUT.toSeconds() + " s");
            } finally {
                if (!started.isDone() || started.isCompletedExceptionally()) {
                    child.destroyForcibly(); // whatever ended the wait: no child without a started body
                }
                endpoint.close();
                acceptor.join();
            }
        }
    }

    /** Accepts the child's connection, checks its proof and waits for STARTED. */
    private static void awaitStarted(IpcEndpoint endpoint, byte[] cookie, CompletableFuture<Void> started) {
        while (!started.isDone()) {
            try (SocketChannel socket = endpoint.accept();
                    FrameChannel channel = new FrameChannel(socket, Handshake.MAX_HANDSHAKE_BODY)) {
                Handshake.serve(channel, cookie);
                Frame frame = channel.receive();
                if (frame.type() == Frame.STARTED) {
                    started.complete(null);
                }
            } catch (IOException e) {
                if (!endpoint.isOpen()) {
                    started.completeExceptionally(e);
                    return;
                }
                log.warn("Refused a connection to a process service's endpoint: {}", e.getMessage());
            }
        }
    }

    /**
     * What the child runs: this service's {@code inProcess()}.
     *
     * @param service the service, serialized with it
     */
    private record InProcess(ProcessService service) implements Callable<Void>, Serializable {
        @Override
        public Void call() throws Exception {
            service.inProcess();
            return null;
        }
    }
}
