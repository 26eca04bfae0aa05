package io.aiomisc.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.status.Status;
import io.aiomisc.time.ManualTimeSource;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link SyslogAppender} sending to a UDP receiver on loopback; every datagram parsed as RFC 5424. */
@Timeout(30)
class SyslogAppenderTest {
    /** RFC 5424 section 6: HEADER SP STRUCTURED-DATA SP MSG. */
    private static final Pattern RFC5424 = Pattern.compile(
            "<(\\d{1,3})>(\\d{1,2}) (\\S+) (\\S+) (\\S+) (\\S+) (\\S+) "
                    + "(-|(?:\\[[!-~&&[^ =\\]\"]]+(?: [!-~&&[^ =\\]\"]]{1,32}=\"(?:[^\"\\\\]|\\\\.)*\")*\\])+) (.*)",
            Pattern.DOTALL);

    private static final String BOM = "\uFEFF";

    private DatagramSocket receiver;
    private LoggerContext context;
    private Logger logger;
    private final List<SyslogAppender> appenders = new ArrayList<>();

    /** One received datagram, split into its RFC 5424 fields. */
    record Message(
            int pri,
            int version,
            String timestamp,
            String hostname,
            String appName,
            String procId,
            String msgId,
            String structuredData,
            String msg,
            byte[] raw) {}

    @BeforeEach
    void setUp() throws IOException {
        receiver = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
        receiver.setSoTimeout(10_000);
        receiver.setReceiveBufferSize(4 << 20);
        context = new LoggerContext();
        context.setName("syslog-test");
        context.setMDCAdapter(new LogbackMDCAdapter());
        logger = context.getLogger("syslog.test");
    }

    @AfterEach
    void tearDown() {
        appenders.forEach(SyslogAppender::stop);
        context.getMDCAdapter().clear();
        context.stop();
        receiver.close();
    }

    private InetSocketAddress target() {
        return (InetSocketAddress) receiver.getLocalSocketAddress();
    }

    private SyslogAppender start(SyslogAppender appender, Consumer<SyslogAppender> configure) {
        configure.accept(appender);
        appender.setContext(context);
        appender.start();
        assertTrue(appender.isStarted());
        logger.addAppender(appender);
        appenders.add(appender);
        return appender;
    }

    private SyslogAppender start(Consumer<SyslogAppender> configure) {
        return start(new SyslogAppender(target()), configure);
    }

    private Message receive() throws IOException {
        byte[] buffer = new byte[65_536];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        receiver.receive(packet);
        byte[] raw = Arrays.copyOf(buffer, packet.getLength());
        Matcher m = RFC5424.matcher(strictUtf8(raw));
        assertTrue(m.matches(), () -> "not an RFC 5424 message: " + new String(raw, StandardCharsets.UTF_8));
        return new Message(
                Integer.parseInt(m.group(1)),
                Integer.parseInt(m.group(2)),
                m.group(3),
                m.group(4),
                m.group(5),
                m.group(6),
                m.group(7),
                m.group(8),
                m.group(9),
                raw);
    }

    private static String strictUtf8(byte[] raw) throws CharacterCodingException {
        return StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(raw))
                .toString();
    }

    private List<Status> errors(SyslogAppender origin) {
        return context.getStatusManager().getCopyOfStatusList().stream()
                .filter(s -> s.getLevel() == Status.ERROR && s.getOrigin() == origin)
                .toList();
    }

    @Test
    void priIsUserFacilityTimesEightPlusSeverity() throws IOException {
        start(a -> {});
        logger.debug("debug");
        logger.info("info");
        logger.warn("warn");
        logger.error("error");
        logger.error(Severity.CRITICAL_MARKER, "critical");

        Map<String, Integer> pri = new HashMap<>();
        for (int i = 0; i < 5; i++) {
            Message message = receive();
            pri.put(message.msg(), message.pri());
        }
        assertEquals(
                Map.of(BOM + "debug", 15, BOM + "info", 14, BOM + "warn", 12, BOM + "error", 11, BOM + "critical", 10),
                pri);
    }

    @Test
    void otherFacilityShiftsPri() throws IOException {
        start(a -> a.setFacility(23));
        logger.info("local7 info");
        assertEquals(23 * 8 + 6, receive().pri());
        logger.error("local7 error");
        assertEquals(23 * 8 + 3, receive().pri());
    }

    @Test
    void headerCarriesVersionTimestampHostAppAndPid() throws IOException {
        start(a -> a.setAppName("billing"));
        Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        logger.info("hello");
        Instant after = Instant.now();

        Message message = receive();
        assertEquals(1, message.version());
        Instant sent = OffsetDateTime.parse(message.timestamp()).toInstant();
        assertFalse(sent.isBefore(before), () -> sent + " before " + before);
        assertFalse(sent.isAfter(after), () -> sent + " after " + after);
        assertTrue(
                message.timestamp().matches(".*T\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d)"),
                message.timestamp());
        assertTrue(message.hostname().matches("[!-~]{1,255}"), message.hostname());
        assertEquals("billing", message.appName());
        assertEquals(Long.toString(ProcessHandle.current().pid()), message.procId());
        assertEquals("-", message.msgId());
        assertEquals("-", message.structuredData());
        assertEquals(BOM + "hello", message.msg());
    }

    @Test
    void messageIsBomThenUtf8Text() throws IOException {
        start(a -> {});
        logger.info("grüße {} 🙂", "ÿ");
        Message message = receive();
        byte[] expected = ("\uFEFFgrüße ÿ 🙂").getBytes(StandardCharsets.UTF_8);
        byte[] tail = Arrays.copyOfRange(message.raw(), message.raw().length - expected.length, message.raw().length);
        assertArrayEquals(expected, tail);
        assertArrayEquals(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, Arrays.copyOf(tail, 3));
    }

    @Test
    void mdcBecomesOneEscapedStructuredDataElement() throws IOException {
        start(a -> {});
        context.getMDCAdapter().put("request", "7f3a");
        context.getMDCAdapter().put("quote", "a\"b\\c]d");
        context.getMDCAdapter().put("bad key=x]\"é", "v");
        context.getMDCAdapter().put("k".repeat(40), "long");
        logger.info("with mdc");

        Message message = receive();
        assertEquals(
                "[mdc@32473 bad_key_x___=\"v\" " + "k".repeat(32)
                        + "=\"long\" quote=\"a\\\"b\\\\c\\]d\" request=\"7f3a\"]",
                message.structuredData());
        assertEquals(BOM + "with mdc", message.msg());
    }

    @Test
    void contextWithoutMdcAdapterSendsNilStructuredData() throws IOException {
        LoggerContext bare = new LoggerContext();
        try {
            SyslogAppender appender = new SyslogAppender(target());
            appender.setContext(bare);
            appender.start();
            bare.getLogger("bare").addAppender(appender);
            bare.getLogger("bare").info("no mdc adapter");

            Message message = receive();
            assertEquals("-", message.structuredData());
            assertEquals(BOM + "no mdc adapter", message.msg());
        } finally {
            bare.stop();
        }
    }

    @Test
    void structuredDataIsDroppedWhenItLeavesNoRoomForTheMessage() throws IOException {
        start(a -> a.setMaxMessageBytes(480));
        context.getMDCAdapter().put("huge", "x".repeat(1000));
        logger.info("still here");

        Message message = receive();
        assertEquals("-", message.structuredData());
        assertEquals(BOM + "still here", message.msg());
    }

    @Test
    void exceptionAppendsFullStackTrace() throws IOException {
        // Room for the whole trace: under JUnit it outgrows the default 8192 bytes.
        start(a -> a.setMaxMessageBytes(60_000));
        logger.error("charge failed", new IllegalStateException("card declined", new IOException("gateway down")));

        String msg = receive().msg();
        assertTrue(msg.startsWith(BOM + "charge failed\njava.lang.IllegalStateException: card declined\n"), msg);
        assertTrue(msg.contains("\tat io.aiomisc.log.SyslogAppenderTest.exceptionAppendsFullStackTrace("), msg);
        assertTrue(msg.contains("Caused by: java.io.IOException: gateway down"), msg);
        assertFalse(msg.endsWith("\n"), msg);
    }

    @Test
    void longMessageIsCutToMaxBytesOnACharacterBoundary() throws IOException {
        start(a -> {});
        Set<Integer> lengths = new HashSet<>();
        // Three prefixes shift the 3-byte characters across the cut: at least two cuts fall inside one.
        for (String prefix : List.of("", "a", "aa")) {
            String text = prefix + "€".repeat(7000);
            logger.info(text);
            Message message = receive();
            assertTrue(
                    message.raw().length <= 8192 && message.raw().length >= 8190,
                    () -> "length " + message.raw().length);
            assertTrue(
                    message.msg().length() > 2000, () -> "kept " + message.msg().length());
            assertTrue(text.startsWith(message.msg().substring(1)), "kept text is a prefix of the message");
            lengths.add(message.raw().length);
        }
        assertTrue(lengths.stream().anyMatch(length -> length < 8192), lengths::toString);
    }

    @Test
    void concurrentAppendsFromEightThreadsAllArrive() throws Exception {
        start(a -> {});
        int threads = 8;
        int perThread = 200;
        // Flow control instead of sleeps: at most 64 datagrams in flight, so loopback never drops.
        Semaphore inFlight = new Semaphore(64);
        List<Thread> senders = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            senders.add(Thread.ofPlatform().name("syslog-sender-" + t).start(() -> {
                for (int i = 0; i < perThread; i++) {
                    inFlight.acquireUninterruptibly();
                    logger.info("sender {} record {}", id, i);
                }
            }));
        }
        Set<String> received = new HashSet<>();
        for (int i = 0; i < threads * perThread; i++) {
            received.add(receive().msg());
            inFlight.release();
        }
        for (Thread sender : senders) {
            sender.join(Duration.ofSeconds(10));
        }
        Set<String> expected = new HashSet<>();
        for (int t = 0; t < threads; t++) {
            for (int i = 0; i < perThread; i++) {
                expected.add(BOM + "sender " + t + " record " + i);
            }
        }
        assertEquals(expected, received);
    }

    @Test
    void sendFailureIsCountedAndReportedWithoutThrowing() throws IOException {
        SyslogAppender appender = start(a -> a.setMaxMessageBytes(70_000));
        logger.info("x".repeat(69_000));

        assertEquals(1, appender.failures());
        List<Status> errors = errors(appender);
        assertEquals(1, errors.size(), errors::toString);
        assertTrue(
                errors.get(0).getMessage().contains(target().toString()),
                errors.get(0).getMessage());
        assertInstanceOf(IOException.class, errors.get(0).getThrowable());

        logger.info("small");
        assertEquals(BOM + "small", receive().msg());
        assertEquals(1, appender.failures());
    }

    @Test
    void failuresAreReportedAtMostOnceEveryTenSeconds() {
        ManualTimeSource time = new ManualTimeSource();
        SyslogAppender appender = start(new SyslogAppender(target(), time), a -> a.setMaxMessageBytes(70_000));
        String tooLong = "x".repeat(69_000);
        logger.info(tooLong);
        logger.info(tooLong);
        logger.info(tooLong);
        assertEquals(3, appender.failures());
        assertEquals(1, errors(appender).size());

        time.advance(Duration.ofSeconds(9));
        logger.info(tooLong);
        assertEquals(1, errors(appender).size());

        time.advance(Duration.ofSeconds(1));
        logger.info(tooLong);
        assertEquals(5, appender.failures());
        List<Status> errors = errors(appender);
        assertEquals(2, errors.size());
        assertTrue(
                errors.get(1).getMessage().contains("(3 more since the last report)"),
                errors.get(1).getMessage());
    }

    @Test
    void interruptedCallerStillSendsAndKeepsTheSocketOpen() throws IOException {
        start(a -> {});
        Thread.currentThread().interrupt();
        try {
            logger.info("interrupted");
        } finally {
            assertTrue(Thread.interrupted(), "interrupt status kept");
        }
        assertEquals(BOM + "interrupted", receive().msg());
        logger.info("after");
        assertEquals(BOM + "after", receive().msg());
    }

    @Test
    void stoppedAppenderSendsNothingAndRestarts() throws IOException {
        SyslogAppender appender = start(a -> {});
        appender.stop();
        appender.stop();
        assertFalse(appender.isStarted());
        logger.info("while stopped");

        appender.setAppName("restarted");
        appender.start();
        appender.start();
        logger.info("after restart");
        Message message = receive();
        assertEquals(BOM + "after restart", message.msg());
        assertEquals("restarted", message.appName());
        assertEquals(0, appender.failures());
    }

    @Test
    void settersThrowWhileStarted() {
        SyslogAppender appender = start(a -> {});
        assertEquals(
                "cannot set facility while the appender is started",
                assertThrows(IllegalStateException.class, () -> appender.setFacility(2))
                        .getMessage());
        assertThrows(IllegalStateException.class, () -> appender.setAppName("other"));
        assertThrows(IllegalStateException.class, () -> appender.setMaxMessageBytes(1024));
    }

    @Test
    void badParametersAreRejectedNamingParameterAndValue() {
        SyslogAppender appender = new SyslogAppender(target());
        assertEquals(
                "facility must be 0..23: 24",
                assertThrows(IllegalArgumentException.class, () -> appender.setFacility(24))
                        .getMessage());
        assertEquals(
                "facility must be 0..23: -1",
                assertThrows(IllegalArgumentException.class, () -> appender.setFacility(-1))
                        .getMessage());
        assertEquals(
                "appName must be 1 to 48 printable US-ASCII characters without spaces: \"my app\"",
                assertThrows(IllegalArgumentException.class, () -> appender.setAppName("my app"))
                        .getMessage());
        assertThrows(IllegalArgumentException.class, () -> appender.setAppName(""));
        assertThrows(IllegalArgumentException.class, () -> appender.setAppName("a".repeat(49)));
        assertThrows(IllegalArgumentException.class, () -> appender.setAppName("café"));
        assertEquals(
                "appName",
                assertThrows(NullPointerException.class, () -> appender.setAppName(null))
                        .getMessage());
        assertEquals(
                "maxMessageBytes must be at least 480: 100",
                assertThrows(IllegalArgumentException.class, () -> appender.setMaxMessageBytes(100))
                        .getMessage());

        InetSocketAddress portZero = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        String message = assertThrows(IllegalArgumentException.class, () -> new SyslogAppender(portZero))
                .getMessage();
        assertTrue(
                message.startsWith("target port must be 1..65535: ") && message.endsWith(portZero.toString()), message);
        InetSocketAddress unresolved = InetSocketAddress.createUnresolved("nohost.invalid", 514);
        message = assertThrows(IllegalArgumentException.class, () -> new SyslogAppender(unresolved))
                .getMessage();
        assertTrue(
                message.startsWith("target must be a resolved address: ") && message.contains("nohost.invalid"),
                message);
        assertEquals(
                "target",
                assertThrows(NullPointerException.class, () -> new SyslogAppender(null))
                        .getMessage());

        // The rejected values left the defaults in place.
        assertEquals(1, appender.getFacility());
        assertEquals(8192, appender.getMaxMessageBytes());
    }

    @Test
    void defaultsAreUserFacility8192BytesAndAnAppNameFromTheCommandLine() {
        SyslogAppender appender = new SyslogAppender(target());
        assertEquals(1, appender.getFacility());
        assertEquals(8192, appender.getMaxMessageBytes());
        assertTrue(appender.getAppName().matches("[!-~]{1,48}"), appender.getAppName());
        assertEquals(SyslogAppender.defaultAppName(System.getProperty("sun.java.command")), appender.getAppName());
    }

    @Test
    void defaultAppNameIsTheMainClassOrJarSimpleName() {
        assertEquals("Main", SyslogAppender.defaultAppName("com.example.Main --port 80"));
        assertEquals("Main", SyslogAppender.defaultAppName("billing.app/com.example.Main"));
        assertEquals("billing", SyslogAppender.defaultAppName("/opt/app/billing.jar --port 80"));
        assertEquals("Outer$Inner", SyslogAppender.defaultAppName("com.example.Outer$Inner"));
        assertEquals("a".repeat(48), SyslogAppender.defaultAppName("a".repeat(60)));
        assertEquals("caf_", SyslogAppender.defaultAppName("café"));
        assertEquals("java", SyslogAppender.defaultAppName(""));
        assertEquals("java", SyslogAppender.defaultAppName(null));
    }

    @Test
    void localhostTargetsPort514OnTheLoopbackAddress() {
        InetSocketAddress target = SyslogAppender.localhost().getTarget();
        assertEquals(514, target.getPort());
        assertTrue(target.getAddress().isLoopbackAddress(), target::toString);
    }
}
