package io.aiomisc.log;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import io.aiomisc.time.TimeSource;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Sends every event to a syslog server as one <a href="https://www.rfc-editor.org/rfc/rfc5424">RFC
 * 5424</a> message in one UDP datagram (<a href="https://www.rfc-editor.org/rfc/rfc5426">RFC
 * 5426</a>): aiomisc's {@code syslog} log format.
 *
 * <pre>{@code
 * SyslogAppender syslog = SyslogAppender.localhost();
 * syslog.setContext(loggerContext);
 * syslog.setAppName("billing");
 * syslog.start();
 * loggerContext.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(syslog);
 * }</pre>
 *
 * <p>A message reads {@code <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID - STRUCTURED-DATA MSG}, for
 * example {@code <14>1 2026-11-22T01:02:03.456+01:00 web1 billing 4242 - [mdc@32473
 * request="7f3a"] BOMcharged 12 EUR}, where BOM stands for the three bytes of a UTF-8 byte order
 * mark:
 *
 * <ul>
 *   <li>PRI is {@code facility * 8 + severity}, the severity from {@link Severity#syslogSeverity()}
 *       (a critical record is an ERROR with {@link Severity#CRITICAL_MARKER});
 *   <li>TIMESTAMP is the event's time with milliseconds and the offset of the system time zone
 *       ({@code Z} for UTC);
 *   <li>HOSTNAME is the local host name, looked up once by {@link #start()} ({@code -} if the
 *       lookup fails or the name is not 1 to 255 printable US-ASCII characters);
 *   <li>PROCID is this process's pid; MSGID is always {@code -};
 *   <li>STRUCTURED-DATA is {@code -} when the event's MDC is empty, else one element {@code
 *       [mdc@32473 key="value" ...]} (32473 is the enterprise number IANA reserves for examples):
 *       parameters sorted by key; in a key, each character that RFC 5424 does not allow in a
 *       parameter name becomes {@code _}, and keys are cut to 32 characters; in a value, {@code "},
 *       {@code \} and {@code ]} are escaped with {@code \}. If the header and the structured data
 *       would leave no room for the message within {@link #setMaxMessageBytes maxMessageBytes},
 *       the structured data is replaced by {@code -};
 *   <li>MSG is a UTF-8 byte order mark, the event's formatted message and, if the event carries a
 *       throwable, a newline and the full stack trace (causes and suppressed exceptions included).
 *       The logger name is not part of it: aiomisc's syslog format is the bare message.
 * </ul>
 *
 * <p>A message longer than {@code maxMessageBytes} is cut on a UTF-8 character boundary to fit;
 * it is never split across datagrams.
 *
 * <p><b>Why UDP.</b> aiomisc writes to the unix datagram socket {@code /dev/log} when it exists,
 * and to {@code localhost:514} over UDP otherwise. The JDK cannot send to a unix <em>datagram</em>
 * socket (its unix domain sockets are stream sockets only), so this appender always uses UDP; on a
 * host whose syslog daemon listens on {@code /dev/log} only, enable its UDP input (rsyslog: {@code
 * imudp}; syslog-ng: {@code udp()}).
 *
 * <p><b>Failures.</b> Sending never throws into the logging call. A datagram that cannot be sent
 * (no route, message too long for the network, ...) is dropped, counted in {@link #failures()} and
 * reported to Logback's status manager as an error, at most once every 10 seconds (the report
 * says how many failures it stands for). UDP itself gives no delivery guarantee: a datagram sent
 * to a port nobody listens on, or dropped by a full receive buffer, is lost without a failure.
 *
 * <p><b>Lifecycle and thread safety.</b> Configure with the setters, then {@link #start()}: it
 * opens the UDP socket; {@link #stop()} closes it. The setters throw {@link IllegalStateException}
 * while the appender is started, so a running appender's options never change. {@code append} may
 * be called concurrently from any number of threads, platform or virtual; an interrupted thread
 * still sends and keeps its interrupt status, and the socket stays open. {@link #start()} and
 * {@link #stop()} are idempotent and thread-safe; an event appended while the appender stops is
 * either sent or dropped without being counted as a failure.
 *
 * <p>This appender is configured in code: it has no no-argument constructor, so Joran (logback.xml)
 * cannot create it.
 */
public final class SyslogAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {
    private static final int DEFAULT_PORT = 514;
    private static final int DEFAULT_FACILITY = 1;
    private static final int MAX_FACILITY = 23;
    private static final int DEFAULT_MAX_MESSAGE_BYTES = 8192;
    /** RFC 5426, section 3.2: every receiver accepts messages of up to 480 octets over IPv4. */
    private static final int MIN_MAX_MESSAGE_BYTES = 480;

    private static final int MAX_APP_NAME = 48;
    private static final int MAX_HOSTNAME = 255;
    private static final int MAX_PARAM_NAME = 32;
    private static final String FALLBACK_APP_NAME = "java";
    private static final String NIL = "-";
    private static final String SD_ID = "mdc@32473";
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    private static final long REPORT_INTERVAL_NANOS = Duration.ofSeconds(10).toNanos();
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX");

    private final InetSocketAddress target;
    private final TimeSource time;
    private final ReentrantLock lifecycle = new ReentrantLock();
    private final AtomicLong failures = new AtomicLong();
    /** Failures since the last report to the status manager. */
    private final AtomicLong unreported = new AtomicLong();
    /** The {@link TimeSource#nanoTime()} from which the next failure may be reported. */
    private final AtomicLong nextReport;

    // Options: written by the setters before start, read by start.
    private volatile String appName = defaultAppName(System.getProperty("sun.java.command"));
    private volatile int facility = DEFAULT_FACILITY;
    private volatile int maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES;

    /** Non-null exactly while started; written under {@link #lifecycle}. */
    private volatile Session session;

    /**
     * An appender that sends to {@code target}, with the default options; call {@link #start()}
     * before use.
     *
     * @param target the syslog server's UDP address
     * @throws NullPointerException if {@code target} is null
     * @throws IllegalArgumentException if {@code target} is unresolved or its port is 0
     */
    public SyslogAppender(InetSocketAddress target) {
        this(target, TimeSource.system());
    }

    /** For tests: {@code time} paces the failure reports. */
    SyslogAppender(InetSocketAddress target, TimeSource time) {
        Objects.requireNonNull(target, "target");
        if (target.isUnresolved()) {
            throw new IllegalArgumentException("target must be a resolved address: " + target);
        }
        if (target.getPort() == 0) {
            throw new IllegalArgumentException("target port must be 1..65535: " + target);
        }
        this.target = target;
        this.time = Objects.requireNonNull(time, "time");
        this.nextReport = new AtomicLong(time.nanoTime() - REPORT_INTERVAL_NANOS);
    }

    /**
     * An appender that sends to aiomisc's default syslog address, UDP port 514 of the loopback
     * address ({@link InetAddress#getLoopbackAddress()}: 127.0.0.1, or ::1 when {@code
     * java.net.preferIPv6Addresses} is true), with the default options.
     *
     * @return a new appender, not started
     */
    public static SyslogAppender localhost() {
        return new SyslogAppender(new InetSocketAddress(InetAddress.getLoopbackAddress(), DEFAULT_PORT));
    }

    /**
     * The syslog server's address, as given to the constructor.
     *
     * @return where datagrams go
     */
    public InetSocketAddress getTarget() {
        return target;
    }

    /**
     * The APP-NAME field; see {@link #setAppName}.
     *
     * @return the APP-NAME of every message
     */
    public String getAppName() {
        return appName;
    }

    /**
     * Sets the APP-NAME field. Default: the simple name of the main class (or the file name of the
     * jar, without {@code .jar}) from the system property {@code sun.java.command}, with characters
     * RFC 5424 does not allow replaced by {@code _} and cut to 48 characters; {@code java} when
     * the property is absent or empty.
     *
     * @param appName 1 to 48 printable US-ASCII characters (33..126), so no spaces
     * @throws NullPointerException if {@code appName} is null
     * @throws IllegalArgumentException if {@code appName} breaks the rule above
     * @throws IllegalStateException if the appender is started
     */
    public void setAppName(String appName) {
        Objects.requireNonNull(appName, "appName");
        if (appName.isEmpty() || appName.length() > MAX_APP_NAME || !isPrintableAscii(appName)) {
            throw new IllegalArgumentException(
                    "appName must be 1 to 48 printable US-ASCII characters without spaces: \"" + appName + "\"");
        }
        checkNotStarted("appName");
        this.appName = appName;
    }

    /**
     * The syslog facility; see {@link #setFacility}.
     *
     * @return 0..23
     */
    public int getFacility() {
        return facility;
    }

    /**
     * Sets the syslog facility, which PRI combines with the severity: 0 kern, 1 user, 2 mail, 3
     * daemon, ..., 16..23 local0..local7. Default: 1 (user), as Python's {@code SysLogHandler}.
     *
     * @param facility 0..23
     * @throws IllegalArgumentException if {@code facility} is outside 0..23
     * @throws IllegalStateException if the appender is started
     */
    public void setFacility(int facility) {
        if (facility < 0 || facility > MAX_FACILITY) {
            throw new IllegalArgumentException("facility must be 0..23: " + facility);
        }
        checkNotStarted("facility");
        this.facility = facility;
    }

    /**
     * The largest datagram sent, in bytes; see {@link #setMaxMessageBytes}.
     *
     * @return the limit, at least 480
     */
    public int getMaxMessageBytes() {
        return maxMessageBytes;
    }

    /**
     * Sets the largest message sent, in bytes of the whole datagram payload (header, structured
     * data and message); a longer message is cut on a UTF-8 character boundary. Default: 8192,
     * which RFC 5426 says receivers should accept. Values above what the network carries (65,507
     * for UDP over IPv4; less on a path whose MTU forbids fragments) make long messages fail to
     * send, which {@link #failures()} counts.
     *
     * @param maxMessageBytes at least 480, the size RFC 5426 requires every receiver to accept
     * @throws IllegalArgumentException if {@code maxMessageBytes} is below 480
     * @throws IllegalStateException if the appender is started
     */
    public void setMaxMessageBytes(int maxMessageBytes) {
        if (maxMessageBytes < MIN_MAX_MESSAGE_BYTES) {
            throw new IllegalArgumentException("maxMessageBytes must be at least 480: " + maxMessageBytes);
        }
        checkNotStarted("maxMessageBytes");
        this.maxMessageBytes = maxMessageBytes;
    }

    /**
     * The number of events that could not be sent since this appender was created, over all its
     * starts. Thread-safe; does not block.
     *
     * @return the count of events dropped because sending failed
     */
    public long failures() {
        return failures.get();
    }

    /**
     * Opens the UDP socket (bound to an ephemeral port on the wildcard address) and looks up the
     * local host name, which may block on name resolution; then the appender accepts events. If
     * the socket cannot be opened, reports an error to the status manager and stays stopped, as
     * Logback appenders do. Does nothing if already started.
     */
    @Override
    public void start() {
        lifecycle.lock();
        try {
            if (isStarted()) {
                return;
            }
            DatagramSocket socket;
            try {
                socket = new DatagramSocket();
            } catch (SocketException e) {
                addError("Cannot open a UDP socket to send syslog messages to " + target, e);
                return;
            }
            session = new Session(
                    socket,
                    facility,
                    maxMessageBytes,
                    ZoneId.systemDefault(),
                    " " + localHostName() + " " + appName + " "
                            + ProcessHandle.current().pid() + " " + NIL + " ");
            super.start();
        } finally {
            lifecycle.unlock();
        }
    }

    /**
     * Stops accepting events and closes the socket; does not block. Does nothing if not started.
     * The appender may be started again.
     */
    @Override
    public void stop() {
        lifecycle.lock();
        try {
            if (!isStarted()) {
                return;
            }
            super.stop();
            Session closing = session;
            session = null;
            closing.socket().close();
        } finally {
            lifecycle.unlock();
        }
    }

    @Override
    protected void append(ILoggingEvent event) {
        Session current = session;
        if (current == null) {
            return;
        }
        byte[] message = current.format(event, hasMdc());
        try {
            current.socket().send(new DatagramPacket(message, message.length, target));
        } catch (IOException | RuntimeException e) {
            // A socket closed by a concurrent stop() is not a failure to report.
            if (!current.socket().isClosed()) {
                reportFailure(e);
            }
        }
    }

    /**
     * False for a {@link LoggerContext} made without SLF4J's provider, which has no MDC adapter: its
     * events throw when asked for their MDC.
     */
    private boolean hasMdc() {
        return !(getContext() instanceof LoggerContext loggerContext) || loggerContext.getMDCAdapter() != null;
    }

    private void reportFailure(Exception failure) {
        failures.incrementAndGet();
        unreported.incrementAndGet();
        long now = time.nanoTime();
        long due = nextReport.get();
        if (now - due >= 0 && nextReport.compareAndSet(due, now + REPORT_INTERVAL_NANOS)) {
            long count = unreported.getAndSet(0);
            String more = count > 1 ? " (" + (count - 1) + " more since the last report)" : "";
            addError(
                    "Failed to send a syslog message to " + target + more
                            + "; further failures are reported at most once every 10 s",
                    failure);
        }
    }

    private void checkNotStarted(String option) {
        if (isStarted()) {
            throw new IllegalStateException("cannot set " + option + " while the appender is started");
        }
    }

    private static String localHostName() {
        String name;
        try {
            name = InetAddress.getLocalHost().getHostName();
        } catch (IOException | SecurityException e) {
            return NIL;
        }
        return name.isEmpty() || name.length() > MAX_HOSTNAME || !isPrintableAscii(name) ? NIL : name;
    }

    /** The default APP-NAME for the launcher command line {@code command} (may be null). */
    static String defaultAppName(String command) {
        String main = command == null ? "" : command.strip().split("\\s+", 2)[0];
        String name = main.substring(Math.max(main.lastIndexOf('/'), main.lastIndexOf('\\')) + 1);
        if (name.endsWith(".jar")) {
            name = name.substring(0, name.length() - ".jar".length());
        } else {
            name = name.substring(name.lastIndexOf('.') + 1);
        }
        String sanitized = sanitize(name, MAX_APP_NAME, false);
        return sanitized.isEmpty() ? FALLBACK_APP_NAME : sanitized;
    }

    /**
     * {@code text} with each code point outside printable US-ASCII (and, for a parameter name,
     * each of {@code = ] "}) replaced by {@code _}, cut to {@code max} characters.
     */
    private static String sanitize(String text, int max, boolean paramName) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), max));
        text.codePoints().limit(max).forEach(c -> {
            boolean allowed = c >= 33 && c <= 126 && !(paramName && (c == '=' || c == ']' || c == '"'));
            out.append(allowed ? (char) c : '_');
        });
        return out.toString();
    }

    private static boolean isPrintableAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 33 || c > 126) {
                return false;
            }
        }
        return true;
    }

    /** What one start of the appender sends with; immutable. */
    private record Session(DatagramSocket socket, int facility, int maxBytes, ZoneId zone, String fixedFields) {

        /** The datagram for {@code event}: header, structured data, BOM and message, cut to fit. */
        byte[] format(ILoggingEvent event, boolean hasMdc) {
            int pri = facility * 8 + Severity.of(event).syslogSeverity();
            String timestamp = TIMESTAMP.format(event.getInstant().atZone(zone));
            byte[] header = ("<" + pri + ">1 " + timestamp + fixedFields).getBytes(StandardCharsets.US_ASCII);
            byte[] data = structuredData(hasMdc ? event.getMDCPropertyMap() : Map.of())
                    .getBytes(StandardCharsets.UTF_8);
            if (header.length + data.length + 1 + BOM.length > maxBytes) {
                data = NIL.getBytes(StandardCharsets.US_ASCII);
            }
            byte[] text = message(event).getBytes(StandardCharsets.UTF_8);

            int start = header.length + data.length + 1 + BOM.length;
            int end = Math.min(start + text.length, maxBytes);
            // Never end inside a character: back up over continuation bytes (10xxxxxx).
            if (end - start < text.length) {
                while (end > start && (text[end - start] & 0xC0) == 0x80) {
                    end--;
                }
            }
            byte[] datagram = new byte[end];
            System.arraycopy(header, 0, datagram, 0, header.length);
            System.arraycopy(data, 0, datagram, header.length, data.length);
            datagram[header.length + data.length] = ' ';
            System.arraycopy(BOM, 0, datagram, header.length + data.length + 1, BOM.length);
            System.arraycopy(text, 0, datagram, start, end - start);
            return datagram;
        }

        private static String structuredData(Map<String, String> mdc) {
            if (mdc == null || mdc.isEmpty()) {
                return NIL;
            }
            StringBuilder out = new StringBuilder().append('[').append(SD_ID);
            for (Map.Entry<String, String> param : new TreeMap<>(mdc).entrySet()) {
                String name = sanitize(param.getKey(), MAX_PARAM_NAME, true);
                out.append(' ').append(name.isEmpty() ? "_" : name).append("=\"");
                String value = Objects.requireNonNullElse(param.getValue(), "");
                for (int i = 0; i < value.length(); i++) {
                    char c = value.charAt(i);
                    if (c == '"' || c == '\\' || c == ']') {
                        out.append('\\');
                    }
                    out.append(c);
                }
                out.append('"');
            }
            return out.append(']').toString();
        }

        private static String message(ILoggingEvent event) {
            String message = Objects.requireNonNullElse(event.getFormattedMessage(), "");
            IThrowableProxy thrown = event.getThrowableProxy();
            if (thrown == null) {
                return message;
            }
            return message + "\n" + Traces.full(thrown).stripTrailing();
        }
    }
}
