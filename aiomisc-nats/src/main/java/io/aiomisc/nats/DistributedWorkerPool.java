package io.aiomisc.nats;

import io.aiomisc.Service;
import io.aiomisc.internal.Durations;
import io.aiomisc.internal.process.Serial;
import io.aiomisc.internal.process.SerialFilter;
import io.aiomisc.task.Task;
import io.aiomisc.worker.WorkerDiedException;
import io.aiomisc.worker.WorkerTask;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.ConsumeOptions;
import io.nats.client.ConsumerContext;
import io.nats.client.Dispatcher;
import io.nats.client.IterableConsumer;
import io.nats.client.JetStream;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.PublishOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.Headers;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectInputFilter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker pool across machines: {@code WorkerPool}'s {@link #createTask} → {@link Task} model with
 * the tasks run by {@link WorkerNode}s on any number of machines, through a NATS JetStream work queue.
 *
 * <pre>{@code
 * NatsSettings settings = NatsSettings.builder()
 *         .servers("nats://queue-1:4222", "nats://queue-2:4222")
 *         .pool("reports")
 *         .secret(secretBytes)
 *         .build();
 * try (DistributedWorkerPool pool = DistributedWorkerPool.builder().settings(settings).build()) {
 *     Task<Report> task = pool.createTask(() -> Reports.render(42));   // a WorkerTask: Serializable
 *     Report report = task.await();
 * }
 * }</pre>
 *
 * <p><b>Delivery is at least once.</b> A task is stored by JetStream before {@link #createTask}'s task
 * counts as submitted; a node acknowledges it only after its result is stored. A node that dies (or
 * loses its connection) mid-task lets JetStream deliver the task again after
 * {@link NatsSettings#ackWait()}, to any node; after {@link NatsSettings#maxDeliver()} deliveries the
 * task fails with {@link WorkerDiedException}. So a task may <em>run</em> more than once: make tasks
 * idempotent, or de-duplicate their effects with {@link WorkerNode#currentTaskId()} (the same on every
 * delivery). The caller sees each task's outcome once: the first result wins, later ones are dropped.
 *
 * <p>What carries over from the local pool: the task's own exception comes back as itself (class,
 * message, cause, the node's stack trace; a stand-in naming its class when it cannot be sent); a
 * result is read through the same {@link ObjectInputFilter} (size and depth limits, the JDK's value
 * types and the application's own classes, plus {@link Builder#deserializationFilter}); interrupting
 * a thread in {@code await()} cancels the task; {@code cancel(true)} interrupts the task on the node
 * running it, and a node that has not started it skips it; the statistic has the same names, plus
 * {@code redelivered}.
 *
 * <p><b>Security.</b> Every task, result and cancellation is signed with HMAC-SHA256 over the pool's
 * shared secret ({@link NatsSettings.Builder#secret}): a client of the broker without the secret can
 * neither inject work nor forge results (refused frames are counted as {@code bad_auth}). Use NATS
 * TLS and credentials ({@link NatsSettings.Builder#sslContext}, {@link NatsSettings.Builder#credentials})
 * to keep others off the broker and off the wire; the signature does not encrypt.
 *
 * <p>A {@link Service}: an entrypoint starts and stops it; alone, {@link #createTask} starts it (it
 * connects), and {@link #close()} stops it. Thread-safe.
 */
public final class DistributedWorkerPool extends Service implements AutoCloseable {
    /** Default {@link Builder#maxFrameSize}: 1 MiB, a nats-server's default {@code max_payload}. */
    public static final int DEFAULT_MAX_FRAME_SIZE = 1 << 20;

    /** How long a result fetch waits on an idle queue before asking again. */
    static final Duration FETCH_WAIT = Duration.ofSeconds(1); // the client's shortest

    /** How long each pull request of the continuous results pull lasts before the client renews it. */
    static final Duration CONSUME_EXPIRES = Duration.ofSeconds(5);

    /** The results consumer's ack wait: a result the client dropped (a reconnect) is delivered again after it. */
    static final Duration RESULT_ACK_WAIT = Duration.ofSeconds(5);

    /** The longest pause between two publish attempts of a task while the broker is unreachable. */
    static final Duration MAX_RETRY_PAUSE = Duration.ofSeconds(2);

    /** Room kept in a frame for the {@code Nats-Msg-Id} header JetStream publishing adds. */
    static final int MESSAGE_ID_ROOM = 128;

    private static final Logger log = LoggerFactory.getLogger(DistributedWorkerPool.class);
    private static final Pattern STREAM_SEQ = Pattern.compile("\"stream_seq\"\\s*:\\s*(\\d+)");
    private static final Pattern DELIVERIES = Pattern.compile("\"deliveries\"\\s*:\\s*(\\d+)");

    private enum State {
        NEW,
        RUNNING,
        CLOSED
    }

    private final NatsSettings settings;
    private final Frames frames;
    private final ObjectInputFilter filter;
    private final Duration taskTimeout; // null: none
    private final int maxFrameSize;
    private final DistributedWorkerPoolStatistic statistic;
    private final String producer = UUID.randomUUID().toString().replace("-", "");
    private final Map<String, RemoteTask<?>> pending = new ConcurrentHashMap<>();
    private final Map<Long, String> bySequence = new ConcurrentHashMap<>();
    private final Map<String, Long> nodes = new ConcurrentHashMap<>(); // node id -> last seen (nanoTime)
    private final ReentrantLock lock = new ReentrantLock();
    private State state = State.NEW; // guarded by lock
    private volatile Connection connection;
    private volatile JetStream jetStream;
    private volatile boolean reconnected; // set on a reconnection; the results reader then pulls anew
    private Thread reader; // guarded by lock
    private Dispatcher dispatcher; // guarded by lock

    private DistributedWorkerPool(Builder builder) {
        this.settings = builder.settings;
        this.frames = new Frames(settings.secret());
        this.filter = SerialFilter.compile(builder.deserializationFilter);
        this.taskTimeout = builder.taskTimeout;
        this.maxFrameSize = builder.maxFrameSize;
        this.statistic = new DistributedWorkerPoolStatistic(builder.statisticName);
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
     * Connects to the broker, creates the pool's streams and consumer when missing, and starts
     * reading results. Idempotent while running.
     *
     * <p><b>Blocks</b> while connecting (at most {@link NatsSettings#connectTimeout()} per server).
     * <b>Interrupt:</b> stops connecting and throws {@link InterruptedException}; nothing stays open.
     *
     * @throws IOException            if no server can be reached, or JetStream refuses the streams
     * @throws IllegalStateException  if the pool is closed
     * @throws InterruptedException   if interrupted while connecting
     */
    @Override
    public void start() throws Exception {
        lock.lock();
        try {
            switch (state) {
                case RUNNING -> {
                    return;
                }
                case CLOSED -> throw new IllegalStateException("the pool is closed");
                case NEW -> {}
            }
            Connection opened = Nats.connect(settings.options("aiomisc-pool-" + producer));
            try {
                Streams.ensure(opened.jetStreamManagement(), settings);
                ConsumerContext results = opened.getStreamContext(settings.resultStream())
                        .createOrUpdateConsumer(ConsumerConfiguration.builder()
                                .durable("results-" + producer)
                                .filterSubject(settings.resultSubject(producer))
                                .ackPolicy(AckPolicy.Explicit)
                                // a result is handled as soon as it is read: one lost on the way comes back soon
                                .ackWait(RESULT_ACK_WAIT)
                                .inactiveThreshold(Duration.ofHours(1))
                                .build());
                opened.addConnectionListener((ignored, event) -> {
                    if (event == ConnectionListener.Events.RECONNECTED
                            || event == ConnectionListener.Events.RESUBSCRIBED) {
                        reconnected = true;
                    }
                });
                Dispatcher events = opened.createDispatcher();
                events.subscribe(
                        "$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES." + settings.taskStream() + "."
                                + settings.workerConsumer(),
                        this::deliveriesExhausted);
                events.subscribe(settings.nodeSubject(), this::nodeSeen);
                connection = opened;
                jetStream = opened.jetStream();
                dispatcher = events;
                reader = Thread.ofVirtual()
                        .name("aiomisc-nats-results-" + settings.pool())
                        .start(() -> readResults(results));
                state = State.RUNNING;
            } catch (Exception | Error e) {
                opened.close();
                throw e;
            }
        } catch (io.nats.client.JetStreamApiException e) {
            throw new IOException("JetStream refused the pool's streams: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
        log.debug("Distributed worker pool {} connected as producer {}", settings.pool(), producer);
    }

    /**
     * Sends {@code task} to the pool's nodes; returns at once (the task is published asynchronously and
     * republished with the same id until the broker stores it, so a broker restart loses nothing).
     * Starts the pool first if it is not running (which blocks while connecting).
     *
     * @param task the task; serializable, with everything it holds
     * @param <R>  the task's result type
     * @return the task's handle: {@code await()} returns the result or throws the task's exception
     * @throws NullPointerException     if {@code task} is null
     * @throws IllegalArgumentException if {@code task} cannot be serialized (the cause says why) or is
     *                                  larger than {@link Builder#maxFrameSize} or than the server's
     *                                  {@code max_payload} allows (nothing is sent)
     * @throws IllegalStateException    if the pool is closed, or cannot connect (the cause says why)
     */
    public <R> Task<R> createTask(WorkerTask<R> task) {
        Objects.requireNonNull(task, "task");
        byte[] payload;
        try {
            payload = Serial.serialize(task, maxFrameSize, "the task");
        } catch (Serial.TooLargeException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        } catch (NotSerializableException e) {
            throw new IllegalArgumentException("the task cannot be serialized: " + e, e);
        } catch (IOException e) {
            throw new IllegalArgumentException("the task cannot be serialized: " + e, e);
        }
        ensureRunning();
        String id = UUID.randomUUID().toString();
        long timeout = taskTimeout == null ? 0 : taskTimeout.toMillis();
        Headers headers = frames.task(id, producer, timeout, payload);
        Connection current = connection;
        long serverLimit = current == null ? 0 : current.getMaxPayload();
        if (serverLimit > 0 && payload.length + headers.serializedLength() + MESSAGE_ID_ROOM > serverLimit) {
            // the client would refuse it on every attempt: it would be retried forever
            throw new IllegalArgumentException("the task is " + payload.length + " bytes when serialized, too large"
                    + " for the NATS server's max_payload of " + serverLimit + " bytes with the frame's headers"
                    + " (maxFrameSize is " + maxFrameSize + "): raise max_payload on the server, or send less");
        }
        RemoteTask<R> remote = new RemoteTask<>(this, id);
        pending.put(id, remote);
        statistic.taskAdded.increment();
        publish(remote, headers, payload, 0);
        return remote;
    }

    private void ensureRunning() {
        lock.lock();
        try {
            if (state == State.CLOSED) {
                throw new IllegalStateException("the pool is closed");
            }
            if (state == State.RUNNING) {
                return;
            }
        } finally {
            lock.unlock();
        }
        try {
            start();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while connecting to NATS", e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the pool: " + e.getMessage(), e);
        }
    }

    /** Publishes a task until the broker stores it (the same id each time: JetStream drops repeats). */
    private void publish(RemoteTask<?> task, Headers headers, byte[] payload, int attempt) {
        JetStream current = jetStream;
        if (current == null || task.isDone()) {
            return;
        }
        CompletableFuture<PublishAck> sent;
        try {
            sent = current.publishAsync(
                    settings.taskSubject(),
                    headers,
                    payload,
                    PublishOptions.builder().messageId(task.id).build());
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        sent.whenComplete((ack, failure) -> {
            if (failure == null) {
                task.sequence = ack.getSeqno();
                bySequence.put(ack.getSeqno(), task.id);
                if (!ack.isDuplicate()) {
                    statistic.submitted.increment();
                }
                return;
            }
            if (!isRunning() || task.isDone()) {
                return;
            }
            long pause = Math.min(MAX_RETRY_PAUSE.toMillis(), 50L << Math.min(attempt, 6));
            if (attempt == 3) {
                log.warn(
                        "Task {} not stored by the broker yet ({}); retrying until it is", task.id, failure.toString());
            }
            // the executor must start the thread: a ThreadFactory::newThread reference only creates it
            CompletableFuture.delayedExecutor(pause, TimeUnit.MILLISECONDS, command -> Thread.ofVirtual()
                            .name("aiomisc-nats-republish")
                            .start(command))
                    .execute(() -> publish(task, headers, payload, attempt + 1));
        });
    }

    private boolean isRunning() {
        lock.lock();
        try {
            return state == State.RUNNING;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Reads this producer's results with one continuous pull (the client keeps pull requests open and
     * renews them): a loop of short fetches would drop a result that arrives as a fetch expires, and
     * the server would deliver it again only after the consumer's ack wait.
     */
    private void readResults(ConsumerContext results) {
        long failures = 0;
        while (isRunning()) {
            reconnected = false;
            try (IterableConsumer consumer = results.iterate(ConsumeOptions.builder()
                    .batchSize(256)
                    .expiresIn(CONSUME_EXPIRES.toMillis())
                    .build())) {
                while (isRunning()) {
                    Message message = consumer.nextMessage(FETCH_WAIT);
                    if (message != null) {
                        result(message);
                        failures = 0;
                    } else {
                        forgetSilentNodes();
                        if (consumer.isFinished() || reconnected) {
                            break; // a new pull: a restarted server forgot the old one's requests
                        }
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                if (!isRunning()) {
                    return;
                }
                failures++;
                if (failures == 1) {
                    log.warn("Reading results failed (the broker may be restarting); retrying: {}", e.toString());
                } else {
                    log.debug("Reading results failed again", e);
                }
                try {
                    backOff(failures);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    /**
     * Waits before the next attempt while the broker is away: 50 ms per failure so far, at most
     * {@link #MAX_RETRY_PAUSE} (a back-off, not a wait for a condition).
     */
    static void backOff(long failures) throws InterruptedException {
        Thread.sleep(Math.min(MAX_RETRY_PAUSE.toMillis(), 50L * failures));
    }

    private void result(Message message) {
        if (!frames.verifyResult(message)) {
            statistic.badAuth.increment();
            log.warn("A result frame on {} without a valid signature was refused", message.getSubject());
            message.term();
            return;
        }
        String id = Frames.header(message, Frames.TASK_ID);
        RemoteTask<?> task = pending.remove(id);
        if (task == null) {
            message.ack(); // a second delivery's result, or a cancelled task's: the caller has its outcome
            return;
        }
        if (task.sequence > 0) {
            bySequence.remove(task.sequence);
        }
        complete(task, message);
        message.ack();
    }

    @SuppressWarnings("unchecked")
    private void complete(RemoteTask<?> task, Message message) {
        statistic.done.increment();
        statistic.sumTime.addNanos(System.nanoTime() - task.publishedAt);
        String delivery = Frames.header(message, Frames.DELIVERY);
        if (delivery != null && !delivery.equals("1")) {
            statistic.redelivered.increment();
        }
        Object value;
        try {
            value = Serial.deserialize(message.getData(), filter);
        } catch (Exception | LinkageError e) {
            statistic.error.increment();
            task.fail(new IllegalStateException(
                    "the result of " + task + " from node " + Frames.header(message, Frames.NODE) + " cannot be read: "
                            + e,
                    e));
            return;
        }
        if (Frames.VALUE.equals(Frames.header(message, Frames.OUTCOME))) {
            statistic.success.increment();
            ((RemoteTask<Object>) task).complete(value);
        } else {
            statistic.error.increment();
            task.fail(
                    value instanceof Throwable thrown
                            ? thrown
                            : new IllegalStateException("node sent a failure that is not an exception: " + value));
        }
    }

    /** JetStream's advisory that a task reached maxDeliver without an acknowledgement. */
    private void deliveriesExhausted(Message message) {
        String json = new String(message.getData(), StandardCharsets.UTF_8);
        Matcher sequence = STREAM_SEQ.matcher(json);
        if (!sequence.find()) {
            return;
        }
        long seq = Long.parseLong(sequence.group(1));
        String id = bySequence.remove(seq);
        if (id == null) {
            return; // another producer's task
        }
        Matcher deliveries = DELIVERIES.matcher(json);
        String count = deliveries.find() ? deliveries.group(1) : Integer.toString(settings.maxDeliver());
        RemoteTask<?> task = pending.remove(id);
        if (task != null) {
            statistic.done.increment();
            statistic.error.increment();
            task.fail(new WorkerDiedException("task " + id + " was delivered " + count
                    + " times and no node finished it within the ack wait of " + settings.ackWait()
                    + " (the nodes died, hung or lost their connection)"));
        }
        Thread.ofVirtual().name("aiomisc-nats-delete").start(() -> deleteTask(seq));
    }

    /** Removes a task nobody will acknowledge from the work queue (it would stay there forever). */
    private void deleteTask(long sequence) {
        Connection current = connection;
        if (current == null) {
            return;
        }
        try {
            current.jetStreamManagement().deleteMessage(settings.taskStream(), sequence, false);
        } catch (Exception e) {
            log.debug("Could not delete exhausted task {} from {}", sequence, settings.taskStream(), e);
        }
    }

    private void nodeSeen(Message message) {
        if (!frames.verifyPresence(message)) {
            return;
        }
        String node = Frames.header(message, Frames.NODE);
        nodes.put(node, System.nanoTime());
        forgetSilentNodes();
    }

    /**
     * Forgets the nodes not heard from in three presence intervals and sets {@code processes}; also
     * called by the results reader (at least every {@link #FETCH_WAIT}), so that the count falls to
     * zero when the last node stops and nobody announces anything any more.
     */
    private void forgetSilentNodes() {
        long horizon =
                System.nanoTime() - WorkerNode.PRESENCE_INTERVAL.multipliedBy(3).toNanos();
        nodes.values().removeIf(seen -> seen - horizon < 0);
        lock.lock(); // one writer at a time: the dispatcher and the results reader both call this
        try {
            statistic.processes.add(nodes.size() - statistic.processes.value());
        } finally {
            lock.unlock();
        }
    }

    /** Called by a task cancelled by its caller: drop it here, and tell the nodes. */
    void cancelled(RemoteTask<?> task, boolean interrupt) {
        if (pending.remove(task.id) == null) {
            return;
        }
        if (task.sequence > 0) {
            bySequence.remove(task.sequence);
        }
        Connection current = connection;
        if (current != null) { // even without interrupt: a node that has not started it must skip it
            try {
                current.publish(settings.cancelSubject(), frames.cancel(task.id, interrupt), new byte[0]);
            } catch (RuntimeException e) {
                log.debug("Could not publish the cancellation of {}", task, e);
            }
        }
    }

    /**
     * The ids of the worker nodes of this pool seen alive in the last few seconds (nodes announce
     * themselves every {@link WorkerNode#PRESENCE_INTERVAL}).
     *
     * @return a snapshot
     */
    public Set<String> nodes() {
        long horizon =
                System.nanoTime() - WorkerNode.PRESENCE_INTERVAL.multipliedBy(3).toNanos();
        List<String> alive = new ArrayList<>();
        nodes.forEach((node, seen) -> {
            if (seen - horizon >= 0) {
                alive.add(node);
            }
        });
        return Set.copyOf(alive);
    }

    /** @return the pool's settings */
    public NatsSettings settings() {
        return settings;
    }

    /** @return this pool's statistic */
    public DistributedWorkerPoolStatistic statistic() {
        return statistic;
    }

    /** @return the id under which this producer receives its results */
    public String producerId() {
        return producer;
    }

    @Override
    public void stop(Throwable exception) {
        close();
    }

    /**
     * Fails the tasks still waiting for a result with {@link CancellationException} (their nodes may
     * still run them), deletes this producer's results consumer and closes the connection.
     * Idempotent.
     *
     * <p><b>Blocks</b> until the connection is closed (briefly). <b>Interrupt:</b> the connection is
     * closed regardless; the interrupt status is kept.
     */
    @Override
    public void close() {
        Connection current;
        Thread results;
        lock.lock();
        try {
            if (state == State.CLOSED) {
                return;
            }
            boolean wasRunning = state == State.RUNNING;
            state = State.CLOSED;
            current = wasRunning ? connection : null;
            results = reader;
        } finally {
            lock.unlock();
        }
        CancellationException closed = new CancellationException("the distributed worker pool was closed");
        for (RemoteTask<?> task : new ArrayList<>(pending.values())) {
            pending.remove(task.id);
            task.fail(closed);
        }
        boolean interrupted = false;
        if (results != null) {
            results.interrupt();
            try {
                results.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (current != null) {
            try {
                current.jetStreamManagement().deleteConsumer(settings.resultStream(), "results-" + producer);
            } catch (Exception e) {
                log.debug("Could not delete the results consumer of {}", producer, e);
            }
            try {
                current.close();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        connection = null;
        jetStream = null;
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "DistributedWorkerPool[" + settings.pool() + ", producer " + producer + "]";
    }

    /** Builds a {@link DistributedWorkerPool}. Not thread-safe. */
    public static final class Builder {
        private NatsSettings settings;
        private Duration taskTimeout;
        private String deserializationFilter;
        private int maxFrameSize = DEFAULT_MAX_FRAME_SIZE;
        private String statisticName;

        private Builder() {}

        /**
         * Where the pool meets its nodes. Required.
         *
         * @param settings the servers, pool name, secret and delivery settings
         * @return this builder
         */
        public Builder settings(NatsSettings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /**
         * The longest a task may run on a node: it is interrupted then and fails with
         * {@link java.util.concurrent.TimeoutException}. Default: no limit.
         *
         * @param timeout positive
         * @return this builder
         */
        public Builder taskTimeout(Duration timeout) {
            this.taskTimeout = Durations.requirePositive("taskTimeout", timeout);
            return this;
        }

        /**
         * An {@link ObjectInputFilter} pattern consulted before the default filter for every result, as
         * {@code WorkerPool.Builder.deserializationFilter}.
         *
         * @param pattern a filter pattern, e.g. {@code "com.example.dto.*"}
         * @return this builder
         * @throws IllegalArgumentException if the pattern is malformed
         */
        public Builder deserializationFilter(String pattern) {
            SerialFilter.compile(pattern);
            this.deserializationFilter = pattern;
            return this;
        }

        /**
         * The largest serialized task; a larger one is refused by {@link #createTask}. Default 1 MiB (a
         * nats-server's default {@code max_payload}; raise both together).
         *
         * @param bytes 1 KiB .. 64 MiB
         * @return this builder
         */
        public Builder maxFrameSize(int bytes) {
            this.maxFrameSize = Frames.requireFrameSize(bytes);
            return this;
        }

        /**
         * The name of the pool's {@link DistributedWorkerPoolStatistic}. Default: none.
         *
         * @param name the name
         * @return this builder
         */
        public Builder statisticName(String name) {
            this.statisticName = name;
            return this;
        }

        /**
         * Builds the pool (not connected).
         *
         * @return a new pool
         * @throws IllegalStateException if no settings were given
         */
        public DistributedWorkerPool build() {
            if (settings == null) {
                throw new IllegalStateException("settings are required");
            }
            return new DistributedWorkerPool(this);
        }
    }
}
