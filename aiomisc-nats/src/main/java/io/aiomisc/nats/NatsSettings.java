package io.aiomisc.nats;

import io.aiomisc.internal.Durations;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * Where a {@link DistributedWorkerPool} and its {@link WorkerNode}s meet: the NATS servers, how to
 * authenticate, the pool's name (from which the JetStream streams, the consumer and the subjects are
 * named), the shared secret every frame is signed with, and the work queue's delivery settings.
 * Producers and nodes of one pool must use equal settings (the servers may differ per machine).
 * Immutable; built by {@link #builder()}.
 *
 * <p>Names for pool {@code orders} and subject prefix {@code aiomisc} (the defaults are pool
 * {@code default}, prefix {@code aiomisc}):
 * <ul>
 * <li>stream {@code AIOMISC_ORDERS_TASKS} (work-queue retention, file storage) on subject
 * {@code aiomisc.orders.tasks}, consumed by the durable pull consumer {@code workers};</li>
 * <li>stream {@code AIOMISC_ORDERS_RESULTS} (file storage, results kept {@link #RESULT_RETENTION})
 * on {@code aiomisc.orders.results.<producer id>}, one consumer per producer;</li>
 * <li>core NATS subjects {@code aiomisc.orders.cancel} (cancellations) and
 * {@code aiomisc.orders.nodes} (node presence).</li>
 * </ul>
 */
public final class NatsSettings {
    /** The server when none is given: a local nats-server on its default port. */
    public static final String DEFAULT_SERVER = "nats://127.0.0.1:4222";
    /** Default {@link Builder#ackWait}: 30 s. */
    public static final Duration DEFAULT_ACK_WAIT = Duration.ofSeconds(30);
    /** Default {@link Builder#maxDeliver}: 3 deliveries. */
    public static final int DEFAULT_MAX_DELIVER = 3;
    /** Default {@link Builder#connectTimeout}: 5 s. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** How long the results stream keeps a result nobody consumed (its producer is gone): 1 day. */
    public static final Duration RESULT_RETENTION = Duration.ofDays(1);
    /** The shortest shared secret accepted: 16 bytes (128 bits). */
    public static final int MIN_SECRET_BYTES = 16;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_-]{1,32}(\\.[A-Za-z0-9_-]{1,32}){0,3}");

    private final List<String> servers;
    private final String pool;
    private final String subjectPrefix;
    private final byte[] secret;
    private final Duration ackWait;
    private final int maxDeliver;
    private final Duration connectTimeout;
    private final Path credentials;
    private final String user;
    private final char[] password;
    private final char[] token;
    private final SSLContext sslContext;

    private NatsSettings(Builder builder) {
        this.servers = List.copyOf(builder.servers.isEmpty() ? List.of(DEFAULT_SERVER) : builder.servers);
        this.pool = builder.pool;
        this.subjectPrefix = builder.subjectPrefix;
        this.secret = builder.secret.clone();
        this.ackWait = builder.ackWait;
        this.maxDeliver = builder.maxDeliver;
        this.connectTimeout = builder.connectTimeout;
        this.credentials = builder.credentials;
        this.user = builder.user;
        this.password = builder.password == null ? null : builder.password.clone();
        this.token = builder.token == null ? null : builder.token.clone();
        this.sslContext = builder.sslContext;
    }

    /**
     * A builder; {@link Builder#secret} must be set.
     *
     * @return a new builder with the defaults
     */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the NATS server URLs, in order of preference */
    public List<String> servers() {
        return servers;
    }

    /** @return the pool's name */
    public String pool() {
        return pool;
    }

    /** @return the first tokens of every subject */
    public String subjectPrefix() {
        return subjectPrefix;
    }

    /** @return how long a node may hold a task without acknowledging it before it is redelivered */
    public Duration ackWait() {
        return ackWait;
    }

    /** @return how many times a task is delivered at most */
    public int maxDeliver() {
        return maxDeliver;
    }

    /** @return how long connecting to a server may take */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** @return the name of the stream of tasks */
    public String taskStream() {
        return "AIOMISC_" + pool.toUpperCase(Locale.ROOT).replace('-', '_') + "_TASKS";
    }

    /** @return the name of the stream of results */
    public String resultStream() {
        return "AIOMISC_" + pool.toUpperCase(Locale.ROOT).replace('-', '_') + "_RESULTS";
    }

    /** @return the durable consumer the nodes share */
    public String workerConsumer() {
        return "workers";
    }

    /** @return the subject tasks are published on */
    public String taskSubject() {
        return subjectPrefix + "." + pool + ".tasks";
    }

    /** @return the subject prefix of results, followed by the producer's id */
    public String resultSubject(String producer) {
        return subjectPrefix + "." + pool + ".results." + producer;
    }

    /** @return the core NATS subject of cancellations */
    public String cancelSubject() {
        return subjectPrefix + "." + pool + ".cancel";
    }

    /** @return the core NATS subject of node presence */
    public String nodeSubject() {
        return subjectPrefix + "." + pool + ".nodes";
    }

    byte[] secret() {
        return secret;
    }

    io.nats.client.Options options(String connectionName) {
        io.nats.client.Options.Builder options = new io.nats.client.Options.Builder()
                .servers(servers.toArray(String[]::new))
                .connectionName(connectionName)
                .connectionTimeout(connectTimeout)
                .maxReconnects(-1) // forever: a restarted broker must not end the pool
                .reconnectWait(Duration.ofMillis(250))
                .errorListener(new QuietErrorListener());
        if (credentials != null) {
            options.credentialPath(credentials.toString());
        }
        if (user != null) {
            options.userInfo(user.toCharArray(), password);
        }
        if (token != null) {
            options.token(token);
        }
        if (sslContext != null) {
            options.sslContext(sslContext);
        }
        return options.build();
    }

    @Override
    public String toString() {
        return "NatsSettings[servers=" + servers + ", pool=" + pool + ", subjectPrefix=" + subjectPrefix + ", ackWait="
                + ackWait + ", maxDeliver=" + maxDeliver + ", secret=***]";
    }

    /** Builds {@link NatsSettings}; validates each value as it is set. Not thread-safe. */
    public static final class Builder {
        private final List<String> servers = new ArrayList<>();
        private String pool = "default";
        private String subjectPrefix = "aiomisc";
        private byte[] secret;
        private Duration ackWait = DEFAULT_ACK_WAIT;
        private int maxDeliver = DEFAULT_MAX_DELIVER;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Path credentials;
        private String user;
        private char[] password;
        private char[] token;
        private SSLContext sslContext;

        private Builder() {}

        /**
         * The NATS servers ({@code nats://host:port}, {@code tls://host:port}); the client connects to
         * one and fails over to the others. Default: {@value NatsSettings#DEFAULT_SERVER}.
         *
         * @param urls one or more server URLs
         * @return this builder
         * @throws IllegalArgumentException if none is given, or one is blank or has no scheme
         */
        public Builder servers(String... urls) {
            Objects.requireNonNull(urls, "urls");
            if (urls.length == 0) {
                throw new IllegalArgumentException("servers must name at least one server");
            }
            List<String> checked = new ArrayList<>();
            for (String url : urls) {
                Objects.requireNonNull(url, "servers contains null");
                if (!url.matches("(nats|tls|ws|wss)://[^\\s]+")) {
                    throw new IllegalArgumentException(
                            "servers must be URLs such as nats://127.0.0.1:4222: '" + url + "'");
                }
                checked.add(url);
            }
            servers.clear();
            servers.addAll(checked);
            return this;
        }

        /**
         * The pool's name: producers and nodes with the same name share its queue. Default
         * {@code default}.
         *
         * @param name letters, digits, {@code _} and {@code -}; 1..64 characters
         * @return this builder
         * @throws IllegalArgumentException if the name has other characters
         */
        public Builder pool(String name) {
            Objects.requireNonNull(name, "pool");
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("pool must be 1..64 letters, digits, '_' or '-': '" + name + "'");
            }
            this.pool = name;
            return this;
        }

        /**
         * The first tokens of every subject (default {@code aiomisc}), for deployments that give
         * applications subject namespaces.
         *
         * @param prefix one to four dot-separated tokens of letters, digits, {@code _}, {@code -}
         * @return this builder
         * @throws IllegalArgumentException if the prefix is malformed
         */
        public Builder subjectPrefix(String prefix) {
            Objects.requireNonNull(prefix, "subjectPrefix");
            if (!PREFIX.matcher(prefix).matches()) {
                throw new IllegalArgumentException(
                        "subjectPrefix must be 1..4 dot-separated tokens of letters, digits, '_' or '-': '" + prefix
                                + "'");
            }
            this.subjectPrefix = prefix;
            return this;
        }

        /**
         * The secret every task, result and cancellation is signed with (HMAC-SHA256): a client of the
         * broker without it can neither inject work nor forge results. Required; the same on producers
         * and nodes. Keep it out of argv and logs (a node's {@code main} reads it from a file or an
         * environment variable).
         *
         * @param secret at least {@value NatsSettings#MIN_SECRET_BYTES} bytes; copied
         * @return this builder
         * @throws IllegalArgumentException if it is shorter
         */
        public Builder secret(byte[] secret) {
            Objects.requireNonNull(secret, "secret");
            if (secret.length < MIN_SECRET_BYTES) {
                throw new IllegalArgumentException("secret must be at least " + MIN_SECRET_BYTES + " bytes, not "
                        + secret.length + " (the value is not shown)");
            }
            this.secret = secret.clone();
            return this;
        }

        /**
         * As {@link #secret(byte[])}, with the UTF-8 bytes of {@code secret}.
         *
         * @param secret at least {@value NatsSettings#MIN_SECRET_BYTES} bytes in UTF-8
         * @return this builder
         */
        public Builder secret(String secret) {
            Objects.requireNonNull(secret, "secret");
            return secret(secret.getBytes(StandardCharsets.UTF_8));
        }

        /**
         * How long a node may hold a task without acknowledging it before JetStream delivers it again
         * (to any node). A node running a long task tells the server it is still working every third of
         * this, so only a node that died or lost its connection lets a task be redelivered. Default
         * 30 s.
         *
         * @param ackWait 1 s .. 1 day
         * @return this builder
         */
        public Builder ackWait(Duration ackWait) {
            Objects.requireNonNull(ackWait, "ackWait");
            if (ackWait.compareTo(Duration.ofSeconds(1)) < 0 || ackWait.compareTo(Duration.ofDays(1)) > 0) {
                throw new IllegalArgumentException("ackWait must be between PT1S and P1D: " + ackWait);
            }
            this.ackWait = ackWait;
            return this;
        }

        /**
         * How many times a task is delivered at most; when the last delivery is not acknowledged in
         * time either, the producer's task fails with {@code WorkerDiedException}. Default 3.
         *
         * @param maxDeliver 1..1000
         * @return this builder
         */
        public Builder maxDeliver(int maxDeliver) {
            if (maxDeliver < 1 || maxDeliver > 1000) {
                throw new IllegalArgumentException("maxDeliver must be between 1 and 1000: " + maxDeliver);
            }
            this.maxDeliver = maxDeliver;
            return this;
        }

        /**
         * How long connecting to a server may take. Default 5 s.
         *
         * @param timeout positive
         * @return this builder
         */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = Durations.requirePositive("connectTimeout", timeout);
            return this;
        }

        /**
         * A NATS credentials file (a user JWT and its NKey seed, as {@code nsc} writes it).
         *
         * @param file the {@code .creds} file
         * @return this builder
         */
        public Builder credentials(Path file) {
            this.credentials = Objects.requireNonNull(file, "credentials");
            return this;
        }

        /**
         * User and password authentication.
         *
         * @param user     the user
         * @param password the password; copied
         * @return this builder
         */
        public Builder userInfo(String user, char[] password) {
            this.user = Objects.requireNonNull(user, "user");
            this.password = Objects.requireNonNull(password, "password").clone();
            return this;
        }

        /**
         * Token authentication.
         *
         * @param token the token; copied
         * @return this builder
         */
        public Builder token(char[] token) {
            this.token = Objects.requireNonNull(token, "token").clone();
            return this;
        }

        /**
         * TLS to the servers with this context (its trust store must trust the servers' certificates;
         * its key store holds the client's certificate when the servers verify clients).
         *
         * @param context the TLS context
         * @return this builder
         */
        public Builder sslContext(SSLContext context) {
            this.sslContext = Objects.requireNonNull(context, "sslContext");
            return this;
        }

        /**
         * Builds the settings; the builder can be used further.
         *
         * @return immutable settings
         * @throws IllegalStateException if no secret was set
         */
        public NatsSettings build() {
            if (secret == null) {
                throw new IllegalStateException("secret is required: every frame is signed with it");
            }
            return new NatsSettings(this);
        }

        @Override
        public String toString() {
            return "NatsSettings.Builder[servers=" + servers + ", pool=" + pool + ", secret="
                    + (secret == null ? "unset" : "***") + "]";
        }
    }
}
