package io.aiomisc.nats;

import io.aiomisc.Entrypoint;
import io.aiomisc.Service;
import io.aiomisc.internal.process.Failures;
import io.aiomisc.internal.process.Serial;
import io.aiomisc.internal.process.SerialFilter;
import io.aiomisc.task.Timeout;
import io.nats.client.Connection;
import io.nats.client.ConsumerContext;
import io.nats.client.Dispatcher;
import io.nats.client.FetchConsumeOptions;
import io.nats.client.FetchConsumer;
import io.nats.client.JetStream;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.PublishOptions;
import io.nats.client.impl.Headers;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the tasks of a {@link DistributedWorkerPool}: pulls them from the pool's JetStream work queue,
 * at most {@link Builder#concurrency} at a time, each on a virtual thread; publishes the result (or
 * the task's exception), and only then acknowledges the task, so a node that dies mid-task loses
 * nothing: JetStream delivers the task again after the ack wait. While a task runs, the node tells
 * the server every third of the ack wait that it is still working on it, so a long task is not
 * redelivered while its node is alive.
 *
 * <p>Run one per machine (or several): as a {@link Service} of your own entrypoint, or with
 * {@link #main} on the application's class path (the task classes must be there):
 *
 * <pre>{@code
 * AIOMISC_NATS_SECRET_FILE=/etc/app/pool.secret \
 * java -cp app.jar:libs/* io.aiomisc.nats.WorkerNode --server nats://queue-1:4222 --pool reports --concurrency 8
 * }</pre>
 *
 * <p>A task frame without a valid signature is refused (terminated, never run, counted as
 * {@code bad_auth}); a task whose class is missing here, or that the deserialization filter refuses,
 * fails that task only (its caller gets the {@link ClassNotFoundException} or
 * {@link InvalidClassException}); a task that ran too long ({@code taskTimeout} of its pool) is
 * interrupted and fails with {@link java.util.concurrent.TimeoutException}.
 *
 * <p>Stopping: the node stops fetching, lets the running tasks finish for up to
 * {@link Builder#stopTimeout}, then interrupts the rest and gives them back to the queue
 * (negatively acknowledged: another node gets them at once), and closes its connection.
 * Thread-safe.
 */
public final class WorkerNode extends Service implements AutoCloseable {
    /** How often a node announces itself to the pool's producers ({@code processes}). */
    public static final Duration PRESENCE_INTERVAL = Duration.ofSeconds(2);

    /** Default {@link Builder#stopTimeout}: 10 s. */
    public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(10);

    /** The environment variable {@link #main} reads the shared secret from. */
    public static final String SECRET_ENV = "AIOMISC_NATS_SECRET";

    /** The environment variable naming a file {@link #main} reads the shared secret from. */
    public static final String SECRET_FILE_ENV = "AIOMISC_NATS_SECRET_FILE";

    static final Duration FETCH_WAIT = Duration.ofSeconds(1); // the client's shortest
    private static final int CANCELLED_MEMORY = 10_000;
    private static final Logger log = LoggerFactory.getLogger(WorkerNode.class);
    private static final ThreadLocal<String> CURRENT_TASK = new ThreadLocal<>();

    private enum State {
        NEW,
        RUNNING,
        STOPPING,
        CLOSED
    }

    private final NatsSettings settings;
    private final Frames frames;
    private final ObjectInputFilter filter;
    private final int concurrency;
    private final Duration stopTimeout;
    private final int maxFrameSize;
    private final String id;
    private final WorkerNodeStatistic statistic;
    private final Semaphore slots;
    private final Map<String, Running> running = new ConcurrentHashMap<>();
    private final Set<String> cancelled =
            Collections.newSetFromMap(Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > CANCELLED_MEMORY;
                }
            }));
    private final ReentrantLock lock = new ReentrantLock();
    private State state = State.NEW; // guarded by lock
    private volatile Connection connection;
    private volatile JetStream jetStream;
    private final List<Thread> loops = new ArrayList<>(); // guarded by lock
    private Thread heartbeat; // guarded by lock; runs until CLOSED, so tasks finishing during a stop stay ours

    /** A task being run: its thread and message, and whether its producer cancelled it. */
    private static final class Running {
        final Thread thread;
        final Message message;
        volatile boolean cancelled;

        Running(Thread thread, Message message) {
            this.thread = thread;
            this.message = message;
        }
    }

    private WorkerNode(Builder builder) {
        this.settings = builder.settings;
        this.frames = new Frames(settings.secret());
        this.filter = SerialFilter.compile(builder.deserializationFilter);
        this.concurrency = builder.concurrency;
        this.stopTimeout = builder.stopTimeout;
        this.maxFrameSize = builder.maxFrameSize;
        this.id = builder.nodeId != null ? builder.nodeId : defaultId();
        this.statistic = new WorkerNodeStatistic(builder.statisticName);
        this.slots = new Semaphore(concurrency);
    }

    private static String defaultId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "unknown";
        }
        return host + "-" + ProcessHandle.current().pid() + "-"
                + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * A builder; {@link Builder#settings} must be set.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The id of the distributed task running on the calling thread: the same on every delivery of a
     * task, for de-duplicating the effects of a task that runs twice (see
     * {@link DistributedWorkerPool}'s delivery notes). Empty outside a task.
     *
     * @return the task's id, or empty
     */
    public static Optional<String> currentTaskId() {
        return Optional.ofNullable(CURRENT_TASK.get());
    }

    /**
     * Connects, creates the pool's streams and consumer when missing, and starts pulling tasks.
     *
     * <p><b>Blocks</b> while connecting. <b>Interrupt:</b> throws {@link InterruptedException};
     * nothing stays open.
     *
     * @throws IOException           if no server can be reached or JetStream refuses the streams
     * @throws IllegalStateException if the node was started before or closed
     * @throws InterruptedException  if interrupted while connecting
     */
    @Override
    public void start() throws Exception {
        lock.lock();
        try {
            if (state != State.NEW) {
                throw new IllegalStateException("the worker node was started before; build a new one");
            }
            Connection opened = Nats.connect(settings.options("aiomisc-node-" + id));
            try {
                Streams.ensure(opened.jetStreamManagement(), settings);
                ConsumerContext tasks = opened.getConsumerContext(settings.taskStream(), settings.workerConsumer());
                Dispatcher cancellations = opened.createDispatcher();
                cancellations.subscribe(settings.cancelSubject(), this::cancel);
                connection = opened;
                jetStream = opened.jetStream();
                state = State.RUNNING;
                loops.add(Thread.ofVirtual().name("aiomisc-nats-node-fetch").start(() -> fetch(tasks)));
                heartbeat =
                        Thread.ofVirtual().name("aiomisc-nats-node-heartbeat").start(this::heartbeat);
            } catch (Exception | Error e) {
                state = State.NEW;
                opened.close();
                throw e;
            }
        } catch (io.nats.client.JetStreamApiException e) {
            throw new IOException("JetStream refused the pool's streams: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
        log.info("Worker node {} serving pool {} with {} slots", id, settings.pool(), concurrency);
    }

    private boolean isRunning() {
        lock.lock();
        try {
            return state == State.RUNNING;
        } finally {
            lock.unlock();
        }
    }

    private void fetch(ConsumerContext tasks) {
        long failures = 0;
        while (isRunning()) {
            int granted;
            try {
                slots.acquire();
                granted = 1 + slots.drainPermits();
            } catch (InterruptedException e) {
                return;
            }
            int started = 0;
            try (FetchConsumer fetch = tasks.fetch(FetchConsumeOptions.builder()
                    .maxMessages(granted)
                    .expiresIn(FETCH_WAIT.toMillis())
                    .build())) {
                for (Message next = fetch.nextMessage(); next != null; next = fetch.nextMessage()) {
                    started++;
                    Message message = next;
                    Thread.ofVirtual().name("aiomisc-nats-task").start(() -> {
                        try {
                            handle(message);
                        } finally {
                            slots.release();
                        }
                    });
                }
                failures = 0;
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                if (!isRunning()) {
                    return;
                }
                failures++;
                if (failures == 1) {
                    log.warn("Fetching tasks failed (the broker may be restarting); retrying: {}", e.toString());
                } else {
                    log.debug("Fetching tasks failed again", e);
                }
                try {
                    DistributedWorkerPool.backOff(failures);
                } catch (InterruptedException interrupted) {
                    return;
                }
            } finally {
                slots.release(granted - started);
            }
        }
    }

    private void handle(Message message) {
        statistic.received.increment();
        if (!frames.verifyTask(message)) {
            statistic.badAuth.increment();
            log.warn("A task frame on {} without a valid signature was refused", message.getSubject());
            message.term();
            return;
        }
        String task = Frames.header(message, Frames.TASK_ID);
        String producer = Frames.header(message, Frames.PRODUCER);
        long delivery = message.metaData().deliveredCount();
        if (delivery > 1) {
            statistic.redelivered.increment();
        }
        Running run = new Running(Thread.currentThread(), message);
        running.put(task, run);
        // checked after the registration: a cancellation that comes later finds the task running
        if (cancelled.contains(task)) {
            running.remove(task);
            statistic.cancelled.increment();
            message.ack();
            return;
        }
        statistic.running.increment();
        long started = System.nanoTime();
        String outcome;
        byte[] payload;
        int limit = resultLimit(task, delivery);
        CURRENT_TASK.set(task);
        try {
            Object value = call(message, task);
            payload = serializeResult(value, limit);
            outcome = Frames.VALUE;
        } catch (Exception | Error e) {
            if (run.cancelled || stopping()) {
                giveBack(run, task);
                return;
            }
            outcome = Frames.ERROR;
            payload = Failures.serialize(e, limit);
        } finally {
            CURRENT_TASK.remove();
            statistic.sumTime.addNanos(System.nanoTime() - started);
            running.remove(task);
            statistic.running.decrement();
        }
        if (run.cancelled) {
            giveBack(run, task);
            return;
        }
        if (Frames.VALUE.equals(outcome)) {
            statistic.success.increment();
        } else {
            statistic.error.increment();
        }
        Headers headers = frames.result(task, outcome, id, delivery, payload);
        if (publishResult(settings.resultSubject(producer), headers, payload, task + "/" + delivery)) {
            message.ack();
        } else {
            message.nak(); // stopping before the result was stored: another node runs it again
        }
    }

    /**
     * The largest result payload: {@link Builder#maxFrameSize}, or less when the server's
     * {@code max_payload} leaves less room beside the frame's headers (a frame the server refuses
     * would be retried forever).
     */
    private int resultLimit(String task, long delivery) {
        Connection current = connection;
        long server = current == null ? 0 : current.getMaxPayload();
        if (server <= 0) {
            return maxFrameSize;
        }
        long headers =
                frames.result(task, Frames.VALUE, id, delivery, new byte[0]).serializedLength();
        long room = server - headers - DistributedWorkerPool.MESSAGE_ID_ROOM;
        return (int) Math.max(1024, Math.min(maxFrameSize, room));
    }

    private byte[] serializeResult(Object value, int limit) throws IOException {
        try {
            return Serial.serialize(value, limit, "the task's result");
        } catch (Serial.TooLargeException e) {
            if (limit >= maxFrameSize) {
                throw e;
            }
            throw new IOException("the task's result is larger than the NATS server's max_payload allows ("
                    + limit + " bytes beside the frame's headers; maxFrameSize is " + maxFrameSize
                    + ") when serialized: raise max_payload on the server, or return less");
        }
    }

    /** A cancelled task is acknowledged (its caller is gone); one interrupted by the node's stop goes back. */
    private void giveBack(Running run, String task) {
        if (run.cancelled) {
            statistic.cancelled.increment();
            run.message.ack();
        } else {
            run.message.nak();
        }
        Thread.interrupted(); // the task's interrupt is spent
    }

    private Object call(Message message, String task) throws Exception {
        Object decoded;
        try {
            decoded = Serial.deserialize(message.getData(), filter);
        } catch (ClassNotFoundException e) {
            throw new ClassNotFoundException(
                    "task " + task + " needs class " + e.getMessage()
                            + ", which is not on the class path of worker node " + id,
                    e);
        }
        if (!(decoded instanceof java.util.concurrent.Callable<?> callable)) {
            throw new InvalidClassException(
                    "task " + task + " is a " + decoded.getClass().getName() + ", not a WorkerTask");
        }
        long timeout = Long.parseLong(Frames.header(message, Frames.TIMEOUT));
        return timeout > 0 ? Timeout.run(Duration.ofMillis(timeout), callable) : callable.call();
    }

    /** Publishes a result until the broker stores it; false if the node stops first. */
    private boolean publishResult(String subject, Headers headers, byte[] payload, String messageId) {
        long failures = 0;
        while (true) {
            JetStream current = jetStream;
            if (current == null) {
                return false;
            }
            try {
                current.publish(
                        subject,
                        headers,
                        payload,
                        PublishOptions.builder().messageId(messageId).build());
                return true;
            } catch (Exception e) {
                if (state() == State.CLOSED) {
                    return false;
                }
                failures++;
                if (failures == 3) {
                    log.warn(
                            "The result of task {} is not stored yet ({}); retrying until it is",
                            messageId,
                            e.toString());
                }
                try {
                    DistributedWorkerPool.backOff(failures);
                } catch (InterruptedException interrupted) {
                    return false;
                }
            }
        }
    }

    private boolean stopping() {
        State current = state();
        return current == State.STOPPING || current == State.CLOSED;
    }

    private State state() {
        lock.lock();
        try {
            return state;
        } finally {
            lock.unlock();
        }
    }

    /** Tells the server, every third of the ack wait, that the running tasks are still being worked on; announces the node. */
    private void heartbeat() {
        long every = Math.max(100, Math.min(settings.ackWait().toMillis() / 3, PRESENCE_INTERVAL.toMillis()));
        // while stopping too: a task still finishing within the stop timeout must not be redelivered meanwhile
        while (state() != State.CLOSED) {
            for (Running run : running.values()) {
                run.message.inProgress();
            }
            Connection current = connection;
            if (current != null) {
                try {
                    current.publish(settings.nodeSubject(), frames.presence(id), new byte[0]);
                } catch (RuntimeException e) {
                    log.debug("Could not announce node {}", id, e);
                }
            }
            try {
                Thread.sleep(every); // a period, not a wait for a condition
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void cancel(Message message) {
        if (!frames.verifyCancel(message)) {
            statistic.badAuth.increment();
            log.warn("A cancellation on {} without a valid signature was refused", message.getSubject());
            return;
        }
        String task = Frames.header(message, Frames.TASK_ID);
        cancelled.add(task); // skipped if it comes (again)
        Running run = running.get(task);
        if (run != null && Boolean.parseBoolean(Frames.header(message, Frames.INTERRUPT))) {
            run.cancelled = true;
            run.thread.interrupt();
        }
    }

    /** @return this node's id (host, pid and a random part unless the builder set one) */
    public String id() {
        return id;
    }

    /** @return this node's statistic */
    public WorkerNodeStatistic statistic() {
        return statistic;
    }

    /** @return the tasks this node may run at once */
    public int concurrency() {
        return concurrency;
    }

    @Override
    public void stop(Throwable exception) {
        close();
    }

    /**
     * Stops the node as the class description says. Idempotent.
     *
     * <p><b>Blocks</b> up to {@link Builder#stopTimeout} while running tasks finish, then briefly while
     * the rest are interrupted. <b>Interrupt:</b> cuts the wait short (the remaining tasks are
     * interrupted and given back at once); the interrupt status is kept.
     */
    @Override
    public void close() {
        List<Thread> threads;
        Thread beating;
        lock.lock();
        try {
            if (state == State.CLOSED || state == State.STOPPING) {
                return;
            }
            boolean wasRunning = state == State.RUNNING;
            state = wasRunning ? State.STOPPING : State.CLOSED;
            threads = new ArrayList<>(loops);
            beating = heartbeat;
        } finally {
            lock.unlock();
        }
        boolean interrupted = false;
        for (Thread thread : threads) {
            thread.interrupt();
        }
        try {
            for (Thread thread : threads) {
                thread.join();
            }
            long deadline = System.nanoTime() + stopTimeout.toNanos();
            while (!running.isEmpty() && System.nanoTime() < deadline) {
                if (slots.tryAcquire(concurrency, 10, TimeUnit.MILLISECONDS)) { // every slot free: nothing runs
                    slots.release(concurrency);
                    break;
                }
            }
        } catch (InterruptedException e) {
            interrupted = true;
        }
        for (Running run : running.values()) {
            run.thread.interrupt(); // given back to the queue by its handler
        }
        try {
            if (!slots.tryAcquire(concurrency, 5, TimeUnit.SECONDS)) {
                log.warn("Worker node {}: {} tasks ignored their interrupt; closing anyway", id, running.size());
            }
        } catch (InterruptedException e) {
            interrupted = true;
        }
        lock.lock();
        try {
            state = State.CLOSED;
        } finally {
            lock.unlock();
        }
        if (beating != null) {
            beating.interrupt();
            try {
                beating.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        Connection current = connection;
        connection = null;
        jetStream = null;
        if (current != null) {
            try {
                current.close();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        log.info("Worker node {} stopped", id);
    }

    @Override
    public String toString() {
        return "WorkerNode[" + id + ", pool " + settings.pool() + "]";
    }

    /**
     * Runs a node until SIGTERM or SIGINT, in an entrypoint of its own. Options: {@code --server URL}
     * (repeatable; default {@value NatsSettings#DEFAULT_SERVER}), {@code --pool NAME},
     * {@code --subject-prefix PREFIX}, {@code --concurrency N} (default: the CPUs),
     * {@code --ack-wait DURATION} (ISO-8601), {@code --max-deliver N}, {@code --creds FILE},
     * {@code --filter PATTERN}, {@code --node-id ID}. The shared secret comes from the file named by
     * {@value #SECRET_FILE_ENV} or from {@value #SECRET_ENV}, never from the command line. A bad option
     * prints why and exits with status 2.
     *
     * @param args the options
     * @throws Exception if the node cannot start
     */
    public static void main(String[] args) throws Exception {
        WorkerNode node;
        try {
            node = fromArguments(args, System.getenv());
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("WorkerNode: " + e.getMessage());
            System.exit(2);
            return;
        }
        try (Entrypoint entrypoint =
                Entrypoint.builder().services(node).catchSignals(true).start()) {
            entrypoint.runForever();
        }
    }

    private static final Set<String> OPTIONS = Set.of(
            "--server",
            "--pool",
            "--subject-prefix",
            "--concurrency",
            "--ack-wait",
            "--max-deliver",
            "--creds",
            "--filter",
            "--node-id");

    static WorkerNode fromArguments(String[] args, Map<String, String> environment) {
        NatsSettings.Builder settings = NatsSettings.builder();
        Builder node = builder();
        List<String> servers = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (!OPTIONS.contains(option)) {
                throw new IllegalArgumentException("unknown option " + option);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            String value = args[++i];
            switch (option) {
                case "--server" -> servers.add(value);
                case "--pool" -> settings.pool(value);
                case "--subject-prefix" -> settings.subjectPrefix(value);
                case "--concurrency" -> node.concurrency(parseInt(option, value));
                case "--ack-wait" -> settings.ackWait(parseDuration(option, value));
                case "--max-deliver" -> settings.maxDeliver(parseInt(option, value));
                case "--creds" -> settings.credentials(Path.of(value));
                case "--filter" -> node.deserializationFilter(value);
                case "--node-id" -> node.nodeId(value);
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        if (!servers.isEmpty()) {
            settings.servers(servers.toArray(String[]::new));
        }
        settings.secret(secret(environment));
        return node.settings(settings.build()).build();
    }

    private static byte[] secret(Map<String, String> environment) {
        String file = environment.get(SECRET_FILE_ENV);
        if (file != null) {
            try {
                return Files.readString(Path.of(file)).strip().getBytes(StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalArgumentException(SECRET_FILE_ENV + " names a file that cannot be read: " + file, e);
            }
        }
        String secret = environment.get(SECRET_ENV);
        if (secret == null) {
            throw new IllegalArgumentException(
                    "the shared secret is missing: set " + SECRET_FILE_ENV + " or " + SECRET_ENV);
        }
        return secret.getBytes(StandardCharsets.UTF_8);
    }

    private static int parseInt(String option, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be an integer: '" + value + "'");
        }
    }

    private static Duration parseDuration(String option, String value) {
        try {
            return Duration.parse(value);
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException(option + " must be an ISO-8601 duration such as PT30S: '" + value + "'");
        }
    }

    /** Builds a {@link WorkerNode}. Not thread-safe. */
    public static final class Builder {
        private NatsSettings settings;
        private int concurrency = Runtime.getRuntime().availableProcessors();
        private String deserializationFilter;
        private Duration stopTimeout = DEFAULT_STOP_TIMEOUT;
        private int maxFrameSize = DistributedWorkerPool.DEFAULT_MAX_FRAME_SIZE;
        private String nodeId;
        private String statisticName;

        private Builder() {}

        /**
         * Where the node meets its pool. Required.
         *
         * @param settings the servers, pool name, secret and delivery settings
         * @return this builder
         */
        public Builder settings(NatsSettings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /**
         * The most tasks run at once. Default: the CPUs of this machine.
         *
         * @param concurrency 1..10,000
         * @return this builder
         */
        public Builder concurrency(int concurrency) {
            if (concurrency < 1 || concurrency > 10_000) {
                throw new IllegalArgumentException("concurrency must be between 1 and 10000: " + concurrency);
            }
            this.concurrency = concurrency;
            return this;
        }

        /**
         * An {@link ObjectInputFilter} pattern consulted before the default filter for every task.
         *
         * @param pattern a filter pattern
         * @return this builder
         * @throws IllegalArgumentException if the pattern is malformed
         */
        public Builder deserializationFilter(String pattern) {
            SerialFilter.compile(pattern);
            this.deserializationFilter = pattern;
            return this;
        }

        /**
         * How long {@link #close()} lets running tasks finish before interrupting them. Default 10 s.
         *
         * @param timeout zero or more
         * @return this builder
         */
        public Builder stopTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "stopTimeout");
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("stopTimeout must not be negative: " + timeout);
            }
            this.stopTimeout = timeout;
            return this;
        }

        /**
         * The largest serialized result; a larger one fails its task with an error naming the limit.
         * Default 1 MiB.
         *
         * @param bytes 1 KiB .. 64 MiB
         * @return this builder
         */
        public Builder maxFrameSize(int bytes) {
            this.maxFrameSize = Frames.requireFrameSize(bytes);
            return this;
        }

        /**
         * The node's id in results, logs and {@link DistributedWorkerPool#nodes()}. Default: host name,
         * pid and a random part.
         *
         * @param nodeId letters, digits, {@code .}, {@code _} and {@code -}
         * @return this builder
         */
        public Builder nodeId(String nodeId) {
            Objects.requireNonNull(nodeId, "nodeId");
            if (!nodeId.matches("[A-Za-z0-9._-]{1,128}")) {
                throw new IllegalArgumentException(
                        "nodeId must be 1..128 letters, digits, '.', '_' or '-': '" + nodeId + "'");
            }
            this.nodeId = nodeId;
            return this;
        }

        /**
         * The name of the node's {@link WorkerNodeStatistic}. Default: none.
         *
         * @param name the name
         * @return this builder
         */
        public Builder statisticName(String name) {
            this.statisticName = name;
            return this;
        }

        /**
         * Builds the node (not connected).
         *
         * @return a new node
         * @throws IllegalStateException if no settings were given
         */
        public WorkerNode build() {
            if (settings == null) {
                throw new IllegalStateException("settings are required");
            }
            return new WorkerNode(this);
        }
    }
}
