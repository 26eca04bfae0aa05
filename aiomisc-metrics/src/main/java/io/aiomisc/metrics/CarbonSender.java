package io.aiomisc.metrics;

import io.aiomisc.internal.Durations;
import io.aiomisc.service.PeriodicService;
import io.aiomisc.stats.Metric;
import io.aiomisc.stats.Statistics;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends every {@link Statistics} metric to Graphite (Carbon) in its plaintext protocol, over UDP
 * or TCP: aiomisc's {@code CarbonSender}, with its defaults.
 *
 * <pre>{@code
 * CarbonSender carbon = CarbonSender.builder()
 *         .host("graphite.internal").protocol("tcp").namespace("myapp", hostName)
 *         .build();
 * // every 5 s: myapp.web_1.ThreadPoolStatistic.default.submitted 42 1700000000
 * }</pre>
 *
 * <p><b>Lines.</b> One line per metric, {@code <namespace>.<kind>.<name>.<metric> <value> <epoch
 * seconds>\n}: the namespace parts each cleaned by {@link #stripNamespace} and joined by dots (no
 * namespace, no prefix); {@code kind} and {@code metric} as {@link Statistics} reports them;
 * {@code name} with every run of characters other than letters, digits, {@code _} and {@code -}
 * replaced by {@code _} ({@value StatisticsMeterBinder#NO_NAME} for a statistic without a name).
 * Live statistics of the same kind and name are summed, as Graphite keeps one value per path and
 * time. Counters are integers, time counters seconds in plain decimal notation ({@code 0.00012},
 * never {@code 1.2E-4}); a value that is not finite is left out.
 *
 * <p><b>Sending.</b> The first send comes at start, then one every {@code interval} (5 s) after
 * the previous one ended, and a last one at stop, so the final counts are not lost. UDP sends
 * datagrams of whole lines of at most {@value #DATAGRAM_SIZE} bytes on a connected socket (a
 * Graphite that is down shows as a failure at the next send, when the ICMP error surfaces); TCP
 * connects, writes every line and closes, every send. A send that does not finish within
 * {@code timeout} (2 s) is abandoned. The host is resolved at start (a host that does not resolve
 * fails the start) and again after a failed send. A dead, slow or unresolvable Graphite never blocks the
 * program beyond that timeout, on the sender's own task, and never throws: the send's lines are
 * dropped, {@link CarbonSenderStatistic#failures} counts it, and a warning is logged, once until
 * a send succeeds again (over UDP: two sends in a row, as a lost datagram shows only at the next).
 *
 * <p>Configuration is immutable; the service is started and stopped by an entrypoint.
 */
public final class CarbonSender extends PeriodicService {
    /** The largest UDP datagram sent, in bytes: {@value}, below the common 1500-byte MTU. */
    public static final int DATAGRAM_SIZE = 1400;

    private static final Logger log = LoggerFactory.getLogger(CarbonSender.class);
    private static final Pattern NOT_WORD = Pattern.compile("[^\\w\\-]+", Pattern.UNICODE_CHARACTER_CLASS);

    private final String host;
    private final int port;
    private final String protocol;
    private final Duration timeout;
    private final String prefix;
    private final Clock clock;
    /** Cleaned statistic names: the regex runs once per name, not once per line and send. */
    private final Map<String, String> segments = new ConcurrentHashMap<>();

    private final CarbonSenderStatistic statistic = new CarbonSenderStatistic("carbon-sender");
    private final ReentrantLock lock = new ReentrantLock();
    private DatagramChannel udp; // guarded by lock
    private InetSocketAddress target; // guarded by lock; resolved at start, again after a failure
    private boolean failing; // guarded by lock
    private int sentSinceFailure; // guarded by lock: sends that went out since the last failure

    private CarbonSender(Builder builder) {
        super(builder.interval, Duration.ZERO);
        this.host = builder.host;
        this.port = builder.port;
        this.protocol = builder.protocol;
        this.timeout = builder.timeout;
        this.clock = builder.clock;
        List<String> parts = new ArrayList<>();
        for (String part : builder.namespace) {
            String clean = stripNamespace(part);
            if (!clean.isEmpty()) {
                parts.add(clean);
            }
        }
        this.prefix = parts.isEmpty() ? "" : String.join(".", parts) + ".";
    }

    /**
     * A builder with aiomisc's defaults: {@code 127.0.0.1:2003}, UDP, every 5 s, no namespace,
     * a 2 s send timeout, the system clock.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Cleans a namespace part as aiomisc's {@code strip_carbon_ns}: every run of characters other
     * than letters, digits, {@code _} and {@code -} becomes {@code _}, leading and trailing
     * {@code _} are removed, and the result is lower-cased: {@code "Hello.World@123/Test"} →
     * {@code "hello_world_123_test"}.
     *
     * @param value the text to clean
     * @return the cleaned text; empty when nothing is left
     * @throws NullPointerException if {@code value} is null
     */
    public static String stripNamespace(String value) {
        return trimUnderscores(NOT_WORD.matcher(value).replaceAll("_")).toLowerCase(Locale.ROOT);
    }

    /**
     * This sender's counters: sends, lines and failures.
     *
     * @return the statistic, named {@code carbon-sender}
     */
    public CarbonSenderStatistic statistic() {
        return statistic;
    }

    /**
     * The lines one send would send now, without sending them: what Graphite would receive.
     * Never blocks.
     *
     * @return the lines, each ending with {@code \n}
     */
    public List<String> lines() {
        long now = clock.instant().getEpochSecond();
        Map<String, Number> sums = new LinkedHashMap<>();
        for (Metric metric : Statistics.all()) {
            String path = prefix + metric.kind() + "." + segmentOf(metric.name()) + "." + metric.metric();
            sums.merge(path, metric.value(), CarbonSender::add);
        }
        List<String> lines = new ArrayList<>(sums.size());
        for (Map.Entry<String, Number> entry : sums.entrySet()) {
            Number value = entry.getValue();
            if (value instanceof Double d && !Double.isFinite(d)) {
                continue;
            }
            lines.add(entry.getKey() + " " + format(value) + " " + now + "\n");
        }
        return lines;
    }

    /**
     * Resolves the host, so that a host that does not resolve fails the start, then starts
     * sending. Blocks for the resolution.
     *
     * @throws IllegalArgumentException naming the host if it does not resolve (the cause is the
     *                                  {@link UnknownHostException})
     */
    @Override
    public void start() {
        InetSocketAddress resolved;
        try {
            resolved = resolve();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("Carbon host cannot be resolved: host=" + host, e);
        }
        lock.lock();
        try {
            target = resolved;
            failing = false;
            sentSinceFailure = 0;
        } finally {
            lock.unlock();
        }
        super.start();
        log.info("Sending statistics to carbon {}://{}:{} every {}", protocol, host, port, interval());
    }

    /**
     * Stops the periodic sends, then sends once more so that the final values are not lost.
     * Blocks for at most the running send's timeout plus the last send's.
     */
    @Override
    public void stop(Throwable exception) throws InterruptedException {
        super.stop(exception);
        callback();
        lock.lock();
        try {
            closeUdp();
        } finally {
            lock.unlock();
        }
    }

    /** One send: never throws; a failure is counted and logged. */
    @Override
    protected void callback() {
        List<String> lines = lines();
        lock.lock();
        try {
            try {
                if ("tcp".equals(protocol)) {
                    sendTcp(lines);
                } else {
                    sendUdp(lines);
                }
            } catch (IOException | RuntimeException e) {
                statistic.failures.increment();
                sentSinceFailure = 0;
                closeUdp();
                target = null; // resolved again at the next send: the host may have moved
                if (!failing) {
                    failing = true;
                    log.warn(
                            "Cannot send {} lines to carbon {}://{}:{} (dropped; warning again after it recovers): {}",
                            lines.size(),
                            protocol,
                            host,
                            port,
                            e.toString());
                } else {
                    log.debug("Cannot send to carbon {}://{}:{}: {}", protocol, host, port, e.toString());
                }
                return;
            }
            statistic.sends.increment();
            statistic.lines.add(lines.size());
            sentSinceFailure++;
            // A UDP write succeeds even when nobody listens: the ICMP error only fails the next
            // write, so a Graphite that is down alternates "sent" and failed. Only a second
            // send in a row proves it listens again; TCP's one send does.
            if (failing && ("tcp".equals(protocol) || sentSinceFailure >= 2)) {
                failing = false;
                log.info("Carbon {}://{}:{} receives statistics again", protocol, host, port);
            }
        } finally {
            lock.unlock();
        }
    }

    private InetSocketAddress resolve() throws UnknownHostException {
        return new InetSocketAddress(InetAddress.getByName(host), port);
    }

    /** The cached address; resolved again after a failed send. */
    private InetSocketAddress target() throws UnknownHostException {
        if (target == null) {
            target = resolve();
        }
        return target;
    }

    private void sendUdp(List<String> lines) throws IOException {
        InetSocketAddress address = target();
        if (udp != null && !address.equals(udp.getRemoteAddress())) {
            closeUdp();
        }
        if (udp == null) {
            DatagramChannel channel = DatagramChannel.open(
                    address.getAddress() instanceof Inet6Address
                            ? StandardProtocolFamily.INET6
                            : StandardProtocolFamily.INET);
            try {
                channel.connect(address);
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
            udp = channel;
        }
        ByteBuffer datagram = ByteBuffer.allocate(DATAGRAM_SIZE);
        for (String line : lines) {
            byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
            if (bytes.length > DATAGRAM_SIZE) {
                continue; // cannot be sent whole; a path this long is refused by Graphite anyway
            }
            if (datagram.remaining() < bytes.length) {
                udp.write(datagram.flip());
                datagram.clear();
            }
            datagram.put(bytes);
        }
        if (datagram.position() > 0) {
            udp.write(datagram.flip());
        }
    }

    private void sendTcp(List<String> lines) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        StringBuilder text = new StringBuilder(lines.size() * 64);
        for (String line : lines) {
            text.append(line);
        }
        ByteBuffer data = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
        try (SocketChannel channel = SocketChannel.open();
                Selector selector = Selector.open()) {
            channel.configureBlocking(false);
            if (!channel.connect(target())) {
                SelectionKey key = channel.register(selector, SelectionKey.OP_CONNECT);
                while (!channel.finishConnect()) {
                    await(selector, deadline, "connect");
                }
                key.interestOps(SelectionKey.OP_WRITE);
            } else {
                channel.register(selector, SelectionKey.OP_WRITE);
            }
            while (data.hasRemaining()) {
                if (channel.write(data) == 0) {
                    await(selector, deadline, "write");
                }
            }
        }
    }

    private void await(Selector selector, long deadline, String what) throws IOException {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
            throw new SocketTimeoutException(what + " timed out after " + timeout.toMillis() + " ms");
        }
        selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(remaining)));
        selector.selectedKeys().clear();
        if (Thread.currentThread().isInterrupted()) {
            throw new IOException(what + " interrupted");
        }
    }

    private void closeUdp() {
        if (udp != null) {
            try {
                udp.close();
            } catch (IOException ignored) {
                // nothing to release beyond the descriptor, which close frees either way
            }
            udp = null;
        }
    }

    private static Number add(Number a, Number b) {
        if (a instanceof Long x && b instanceof Long y) {
            return x + y;
        }
        return a.doubleValue() + b.doubleValue();
    }

    /** {@code name} cleaned for a path, cached (the cache is dropped when it grows past 10,000). */
    private String segmentOf(String name) {
        if (name == null) {
            return StatisticsMeterBinder.NO_NAME;
        }
        String cached = segments.get(name);
        if (cached == null) {
            if (segments.size() > 10_000) {
                segments.clear(); // names that come and go must not grow the cache for ever
            }
            cached = segment(name);
            segments.put(name, cached);
        }
        return cached;
    }

    /** Integers as they are; decimals in plain notation ({@code 0.00012}, not {@code 1.2E-4}). */
    private static String format(Number value) {
        if (value instanceof Double || value instanceof Float) {
            return BigDecimal.valueOf(value.doubleValue()).toPlainString();
        }
        return value.toString();
    }

    private static String segment(String name) {
        if (name == null) {
            return StatisticsMeterBinder.NO_NAME;
        }
        String clean = trimUnderscores(NOT_WORD.matcher(name).replaceAll("_"));
        return clean.isEmpty() ? StatisticsMeterBinder.NO_NAME : clean;
    }

    private static String trimUnderscores(String value) {
        int start = 0;
        int end = value.length();
        while (start < end && value.charAt(start) == '_') {
            start++;
        }
        while (end > start && value.charAt(end - 1) == '_') {
            end--;
        }
        return value.substring(start, end);
    }

    @Override
    public String toString() {
        return "CarbonSender[" + protocol + "://" + host + ":" + port + "]";
    }

    /**
     * Configuration of a {@link CarbonSender}; every setter checks its value at once. Not
     * thread-safe.
     */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = 2003;
        private String protocol = "udp";
        private Duration interval = Duration.ofSeconds(5);
        private Duration timeout = Duration.ofSeconds(2);
        private List<String> namespace = List.of();
        private Clock clock = Clock.systemUTC();

        private Builder() {}

        /**
         * Graphite's host.
         *
         * @param host a host name or IP address; default {@code 127.0.0.1}; resolved at start and
         *             again at every send
         * @return this builder
         * @throws IllegalArgumentException if {@code host} is blank
         * @throws NullPointerException     if {@code host} is null
         */
        public Builder host(String host) {
            Objects.requireNonNull(host, "host");
            if (host.isBlank()) {
                throw new IllegalArgumentException("host must not be blank: '" + host + "'");
            }
            this.host = host;
            return this;
        }

        /**
         * Graphite's port.
         *
         * @param port 1..65535; default 2003
         * @return this builder
         * @throws IllegalArgumentException naming the value if it is outside 1..65535
         */
        public Builder port(int port) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port must be in 1..65535: " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * The transport.
         *
         * @param protocol {@code "udp"} (the default) or {@code "tcp"}, in any case; aiomisc's
         *                 {@code "pickle"} is not supported
         * @return this builder
         * @throws IllegalArgumentException naming the value if it is another protocol
         * @throws NullPointerException     if {@code protocol} is null
         */
        public Builder protocol(String protocol) {
            String lower = Objects.requireNonNull(protocol, "protocol").toLowerCase(Locale.ROOT);
            if (!lower.equals("udp") && !lower.equals("tcp")) {
                throw new IllegalArgumentException("protocol must be \"udp\" or \"tcp\": '" + protocol + "'");
            }
            this.protocol = lower;
            return this;
        }

        /**
         * The pause between the end of a send and the next one.
         *
         * @param interval positive; default 5 s (aiomisc's {@code send_interval})
         * @return this builder
         * @throws IllegalArgumentException if {@code interval} is not positive
         * @throws NullPointerException     if {@code interval} is null
         */
        public Builder interval(Duration interval) {
            this.interval = Durations.requirePositive("interval", interval);
            return this;
        }

        /**
         * How long one send may take (TCP connect and writes) before it is abandoned and counted as
         * a failure.
         *
         * @param timeout positive; default 2 s
         * @return this builder
         * @throws IllegalArgumentException if {@code timeout} is not positive
         * @throws NullPointerException     if {@code timeout} is null
         */
        public Builder timeout(Duration timeout) {
            this.timeout = Durations.requirePositive("timeout", timeout);
            return this;
        }

        /**
         * The path prefix: each part cleaned by {@link #stripNamespace}, empty parts dropped, the
         * rest joined by dots.
         *
         * @param parts the parts; none (the default) for no prefix
         * @return this builder
         * @throws NullPointerException if {@code parts} or one of them is null
         */
        public Builder namespace(String... parts) {
            Objects.requireNonNull(parts, "parts");
            for (int i = 0; i < parts.length; i++) {
                Objects.requireNonNull(parts[i], "namespace part " + i);
            }
            this.namespace = List.of(parts);
            return this;
        }

        /**
         * The clock the lines' timestamps are read from.
         *
         * @param clock default the system clock
         * @return this builder
         * @throws NullPointerException if {@code clock} is null
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * A sender with this configuration.
         *
         * @return a new, unstarted sender
         */
        public CarbonSender build() {
            return new CarbonSender(this);
        }
    }
}
