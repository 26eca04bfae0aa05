package io.aiomisc.worker;

import io.aiomisc.internal.process.Bootstrap;
import io.aiomisc.internal.process.ChildLauncher;
import io.aiomisc.internal.process.Failures;
import io.aiomisc.internal.process.Frame;
import io.aiomisc.internal.process.FrameChannel;
import io.aiomisc.internal.process.FrameException;
import io.aiomisc.internal.process.Handshake;
import io.aiomisc.internal.process.IpcEndpoint;
import io.aiomisc.internal.process.Serial;
import io.aiomisc.internal.process.SerialFilter;
import io.aiomisc.plugin.LogConfigurator;
import io.aiomisc.plugin.LogSettings;
import io.aiomisc.plugin.Plugins;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.LoggerFactory;

/**
 * The {@code main} of every child JVM a {@link WorkerPool} or a
 * {@link io.aiomisc.service.ProcessService} starts. Deliberately small: it reads its
 * {@link Bootstrap} from stdin, connects and proves itself ({@link Handshake}), then either serves
 * tasks one at a time (a worker) or runs one body (a process service).
 *
 * <p>It exits on its own when its parent is gone: a daemon thread reads stdin, which the parent
 * holds open for the child's life, and the end of it (the parent exited or was killed, even with
 * SIGKILL) exits this JVM ({@code System.exit}, then {@code Runtime.halt} if shutdown hangs for
 * {@value #HALT_AFTER_SECONDS} s). A worker also exits when its connection closes.
 *
 * <p>The threads here are classes, not lambdas: a JVM's first lambda spins lambda forms, which
 * costs a worker's start-up about 20 ms.
 */
final class ChildMain {
    /** Seconds an orderly exit may take before the JVM is halted. */
    static final int HALT_AFTER_SECONDS = 5;

    private ChildMain() {}

    public static void main(String[] args) throws Exception {
        new WarmUp().start();
        if (args.length == 1 && args[0].equals(ChildLauncher.TRAIN)) {
            train();
            return;
        }
        InputStream stdin = System.in;
        Bootstrap bootstrap = Bootstrap.read(new DataInputStream(stdin));
        new ParentWatch(stdin).start();
        FrameChannel channel;
        try {
            channel = connect(bootstrap);
        } catch (IOException e) {
            // the pool closed before this worker connected, or refused it: the pool reports what it
            // needs to; a stack trace on the shared stderr would only be noise
            exit(2);
            return;
        }
        ObjectInputFilter filter = SerialFilter.compile(bootstrap.filter());
        if (bootstrap.mode() == Bootstrap.PROCESS) {
            runProcess(bootstrap, channel, filter);
        } else {
            new Worker(bootstrap, channel, filter).serve();
        }
    }

    /** Connects to the parent and proves this child knows the cookie. */
    private static FrameChannel connect(Bootstrap bootstrap) throws IOException {
        FrameChannel channel = new FrameChannel(IpcEndpoint.connect(bootstrap.address()), Handshake.MAX_HANDSHAKE_BODY);
        try {
            Handshake.prove(channel, bootstrap.cookie(), bootstrap.workerId(), pid());
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        channel.maxBody(bootstrap.maxFrameSize() + Frame.OVERHEAD);
        return channel;
    }

    /**
     * The training run that makes the class-data archive ({@link ChildLauncher}): this JVM is a worker
     * of a pool played by one of its own threads, which sends it a task that returns and one that
     * throws, then closes the connection; the worker then exits 0 and the JVM writes the archive of
     * every class that took.
     */
    private static void train() throws Exception {
        IpcEndpoint endpoint = IpcEndpoint.open(true);
        byte[] cookie = Handshake.newCookie();
        new TrainingPool(endpoint, cookie).start();
        Bootstrap bootstrap =
                new Bootstrap(Bootstrap.WORKER, cookie, 0, endpoint.addressString(), 1 << 20, "", "", new byte[0]);
        new Worker(bootstrap, connect(bootstrap), null).serve();
    }

    /** The pool side of {@link #train()}. */
    private static final class TrainingPool extends Thread {
        private final IpcEndpoint endpoint;
        private final byte[] cookie;

        TrainingPool(IpcEndpoint endpoint, byte[] cookie) {
            super("aiomisc-training-pool");
            this.endpoint = endpoint;
            this.cookie = cookie;
            setDaemon(true);
        }

        @Override
        public void run() {
            try (endpoint;
                    FrameChannel channel = new FrameChannel(endpoint.accept(), Handshake.MAX_HANDSHAKE_BODY)) {
                Handshake.serve(channel, cookie);
                channel.maxBody(1 << 20);
                channel.receive(); // READY
                WorkerTask<Long> returns = () -> 42L;
                WorkerTask<Long> fails = () -> {
                    throw new IllegalStateException("training");
                };
                long sequence = 0;
                for (WorkerTask<Long> task : List.of(returns, fails)) {
                    channel.send(
                            Frame.withSequence(Frame.REQUEST, ++sequence, Serial.serialize(task, 1 << 20, "task")));
                    Serial.deserialize(channel.receive().payload(), null);
                }
            } catch (IOException | ClassNotFoundException | RuntimeException e) {
                exit(4); // no archive from a failed run
            }
        }
    }

    /**
     * This JVM's pid, from {@code /proc/self} where there is one: {@code ProcessHandle}'s class
     * initialization builds an executor with lambdas, which costs start-up time.
     */
    private static long pid() {
        try {
            return Long.parseLong(
                    Path.of("/proc/self").toRealPath().getFileName().toString());
        } catch (IOException | RuntimeException e) {
            return ProcessHandle.current().pid();
        }
    }

    /**
     * Initializes, on a second core while the main thread reads its bootstrap, what the connection,
     * the handshake and the first task need: the security providers (the JDK's Unix-domain sockets
     * take a {@code SecureRandom} when first used, the handshake SHA-256; together about 40 ms of
     * CPU), and Java serialization. On a single core this only reorders the same work.
     */
    private static final class WarmUp extends Thread {
        WarmUp() {
            super("aiomisc-worker-warm-up");
            setDaemon(true);
        }

        @Override
        public void run() {
            try {
                Handshake.random(1);
                Handshake.hmacSha256(new byte[1], new byte[1]);
                Serial.deserialize(
                        Serial.serialize(new java.util.ArrayList<>(java.util.List.of(1L)), 1024, "warm-up"), null);
            } catch (IOException | ClassNotFoundException | RuntimeException e) {
                // only a warm-up: the real use reports its own failures
            }
        }
    }

    /** {@code System.exit(status)}, halting if the orderly exit takes too long. */
    static void exit(int status) {
        new Halter(status).start();
        System.exit(status);
    }

    /** Configures logging as the parent's entrypoint did, when it did and a logging module is here. */
    private static void configureLogging(String log) {
        if (log.isEmpty()) {
            return;
        }
        String[] parts = log.split(",", 3);
        LogSettings settings = new LogSettings(
                parts[0], parts[1], parts[2].isEmpty() ? null : parts[2], false, 1024, Duration.ofMillis(200));
        Optional<LogConfigurator> configurator = Plugins.logConfigurator();
        if (configurator.isPresent()) {
            configurator.get().configure(settings);
        }
    }

    /**
     * A process service's child: reports STARTED, runs the body, exits 0 (1 if the body threw).
     * SIGTERM interrupts the body and the JVM exits once it has returned.
     */
    private static void runProcess(Bootstrap bootstrap, FrameChannel channel, ObjectInputFilter filter)
            throws Exception {
        configureLogging(bootstrap.log());
        Callable<?> body = (Callable<?>) Serial.deserialize(bootstrap.body(), filter);
        CountDownLatch finished = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new StopHook(Thread.currentThread(), finished));
        channel.send(new Frame(Frame.STARTED, new byte[0]));
        channel.close();
        int status = 0;
        try {
            body.call();
        } catch (InterruptedException e) {
            // stopped by SIGTERM: an orderly end
        } catch (Throwable e) {
            LoggerFactory.getLogger(ChildMain.class).error("The process service's body failed", e);
            status = 1;
        }
        finished.countDown();
        exit(status);
    }

    /** Reads stdin to its end, then exits: the parent is gone. */
    private static final class ParentWatch extends Thread {
        private final InputStream stdin;

        ParentWatch(InputStream stdin) {
            super("aiomisc-parent-watch");
            this.stdin = stdin;
            setDaemon(true);
        }

        @Override
        public void run() {
            try {
                byte[] sink = new byte[64];
                while (stdin.read(sink) >= 0) {
                    // the parent never writes after the bootstrap
                }
            } catch (IOException e) {
                // closed: the parent is gone as well
            }
            exit(0);
        }
    }

    /** Halts the JVM if an orderly exit takes longer than {@value #HALT_AFTER_SECONDS} s. */
    private static final class Halter extends Thread {
        private final int status;

        Halter(int status) {
            super("aiomisc-exit-halt");
            this.status = status;
            setDaemon(true);
        }

        @Override
        public void run() {
            try {
                Thread.sleep(TimeUnit.SECONDS.toMillis(HALT_AFTER_SECONDS));
            } catch (InterruptedException e) {
                // halt now
            }
            Runtime.getRuntime().halt(status);
        }
    }

    /** At exit while the body runs (SIGTERM): interrupts the body and waits until it has returned. */
    private static final class StopHook extends Thread {
        private final Thread main;
        private final CountDownLatch finished;

        StopHook(Thread main, CountDownLatch finished) {
            super("aiomisc-process-stop");
            this.main = main;
            this.finished = finished;
        }

        @Override
        public void run() {
            if (finished.getCount() > 0) {
                main.interrupt();
                try {
                    finished.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** A worker: the main thread runs tasks; a reader thread takes frames and delivers cancels. */
    private static final class Worker {
        private final Bootstrap bootstrap;
        private final FrameChannel channel;
        private final ObjectInputFilter filter;
        private final SynchronousQueue<Frame> requests = new SynchronousQueue<>();
        private final ReentrantLock lock = new ReentrantLock();
        private final Thread runner = Thread.currentThread();
        private long current = -1; // guarded by lock: the task running now
        private long cancelled = -1; // guarded by lock: the last task a CANCEL named

        Worker(Bootstrap bootstrap, FrameChannel channel, ObjectInputFilter filter) {
            this.bootstrap = bootstrap;
            this.channel = channel;
            this.filter = filter;
        }

        void serve() throws Exception {
            try {
                configureLogging(bootstrap.log());
                if (bootstrap.body().length > 0) {
                    ((Callable<?>) Serial.deserialize(bootstrap.body(), filter)).call();
                }
            } catch (Throwable e) {
                channel.send(new Frame(Frame.BAD_INITIALIZER, Failures.serialize(e, bootstrap.maxFrameSize(), filter)));
                exit(0);
                return;
            }
            new Reader(this).start();
            channel.send(new Frame(Frame.READY, new byte[0]));
            while (true) {
                Frame request = requests.take();
                long sequence = request.sequence();
                lock.lock();
                try {
                    current = sequence;
                } finally {
                    lock.unlock();
                }
                Frame reply = run(sequence, request.payload());
                lock.lock();
                try {
                    current = -1;
                    Thread.interrupted(); // a cancel that came too late must not reach the next task
                } finally {
                    lock.unlock();
                }
                channel.send(reply);
            }
        }

        private boolean cancelRequested(long sequence) {
            lock.lock();
            try {
                return cancelled == sequence;
            } finally {
                lock.unlock();
            }
        }

        private Frame run(long sequence, byte[] payload) {
            try {
                if (cancelRequested(sequence)) {
                    return Frame.withSequence(Frame.CANCELLED, sequence, new byte[0]);
                }
                Callable<?> task = (Callable<?>) Serial.deserialize(payload, filter);
                Object value = task.call();
                byte[] bytes;
                try {
                    bytes = Serial.serialize(value, bootstrap.maxFrameSize(), "the task's result");
                } catch (Serial.TooLargeException e) {
                    return failure(sequence, new IllegalStateException(e.getMessage()));
                } catch (IOException e) {
                    return failure(
                            sequence, new IllegalStateException("the task's result cannot be serialized: " + e, e));
                }
                return Frame.withSequence(Frame.RESULT, sequence, bytes);
            } catch (Throwable e) {
                if (cancelRequested(sequence)) {
                    return Frame.withSequence(Frame.CANCELLED, sequence, new byte[0]);
                }
                return failure(sequence, e);
            }
        }

        private Frame failure(long sequence, Throwable e) {
            return Frame.withSequence(
                    Frame.EXCEPTION, sequence, Failures.serialize(e, bootstrap.maxFrameSize(), filter));
        }

        /** Reads frames: hands requests to the runner, interrupts it on a cancel, exits at EOF. */
        void read() {
            try {
                while (true) {
                    Frame frame = channel.receive();
                    if (frame.type() == Frame.REQUEST) {
                        requests.put(frame);
                    } else if (frame.type() == Frame.CANCEL) {
                        long sequence = frame.sequence();
                        lock.lock();
                        try {
                            cancelled = sequence;
                            if (current == sequence) {
                                runner.interrupt();
                            }
                        } finally {
                            lock.unlock();
                        }
                    } else {
                        throw new FrameException("unexpected frame type " + frame.type());
                    }
                }
            } catch (EOFException e) {
                exit(0); // the pool closed the connection
            } catch (IOException | InterruptedException e) {
                exit(3);
            }
        }
    }

    /** The worker's reader thread. */
    private static final class Reader extends Thread {
        private final Worker worker;

        Reader(Worker worker) {
            super("aiomisc-worker-reader");
            this.worker = worker;
            setDaemon(true);
        }

        @Override
        public void run() {
            worker.read();
        }
    }
}
