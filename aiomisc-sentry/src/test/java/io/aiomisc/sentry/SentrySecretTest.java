package io.aiomisc.sentry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;

/** The DSN's keys stay out of every log line, exception and string at every level. */
class SentrySecretTest {
    private static final String PUB = FakeSentry.PUBLIC_KEY;
    private static final String SEC = FakeSentry.SECRET_KEY;

    @AfterEach
    void leavesNothingBehind() {
        SentryState.assertReleased();
    }

    @Test
    void noLoggerAtAnyLevelSeesTheKeysNotEvenTheJdkHttpClientsHeaderLog() throws Exception {
        List<ILoggingEvent> events = new ArrayList<>();
        try (FakeSentry sentry = new FakeSentry();
                Everything captured = Everything.capture()) {
            SentryService service = SentryService.builder(sentry.dsn())
                    .flushTimeout(Duration.ofSeconds(10))
                    .build();
            service.start();
            try {
                LoggerFactory.getLogger("test.sentry.secret").error("it broke", new IllegalStateException("boom"));
            } finally {
                service.stop(null);
            }
            assertEquals(1, sentry.events().size(), "the event was sent, so the HTTP client ran");
            events.addAll(captured.events());
        }
        List<String> leaks = new ArrayList<>();
        for (ILoggingEvent event : events) {
            List<String> texts = new ArrayList<>();
            texts.add(event.getMessage());
            texts.add(event.getFormattedMessage());
            if (event.getArgumentArray() != null) {
                for (Object argument : event.getArgumentArray()) {
                    texts.add(String.valueOf(argument));
                }
            }
            texts.add(String.valueOf(event.getMDCPropertyMap()));
            for (IThrowableProxy proxy = event.getThrowableProxy(); proxy != null; proxy = proxy.getCause()) {
                texts.add(proxy.getClassName() + ": " + proxy.getMessage());
                texts.add(ThrowableProxyUtil.asString(proxy));
            }
            for (String text : texts) {
                if (text != null && (text.contains(SEC) || text.contains(PUB))) {
                    leaks.add(event.getLoggerName() + " " + event.getLevel() + ": " + text);
                }
            }
        }
        assertEquals(List.of(), leaks);
        // positive controls: the records that would have held the keys were logged, masked
        assertTrue(
                events.stream()
                        .anyMatch(e -> e.getLoggerName().equals(HeaderRedaction.LOGGER)
                                && e.getFormattedMessage().contains("X-Sentry-Auth")
                                && e.getFormattedMessage().contains("sentry_key=" + SentryDsn.MASK)),
                "the JDK HTTP client's header record was not captured: " + loggers(events));
        assertTrue(
                events.stream()
                        .anyMatch(e -> e.getLoggerName().equals(SdkLogger.NAME)
                                && e.getFormattedMessage().contains("Initializing SDK with DSN")
                                && e.getFormattedMessage().contains(SentryDsn.MASK)),
                "the SDK's DSN line was not captured: " + loggers(events));
    }

    private static List<String> loggers(List<ILoggingEvent> events) {
        return events.stream().map(ILoggingEvent::getLoggerName).distinct().toList();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "http://pubK7q3zx9:secR4m8wv2@host:99999999/4 2 | not a valid URI",
                "http://pubK7q3zx9:secR4m8wv2@ho st/42         | not a valid URI",
                "ftp://pubK7q3zx9:secR4m8wv2@host/42           | scheme must be http or https",
                "pubK7q3zx9:secR4m8wv2@host/42                 | after the scheme",
                "//pubK7q3zx9:secR4m8wv2@host/42               | no scheme",
                "http://:secR4m8wv2@host/1                     | no public key",
                "http://pubK7q3zx9:secR4m8wv2@/42              | no host",
                "http://pubK7q3zx9:secR4m8wv2@host/            | no project id",
                "http://pubK7q3zx9:secR4m8wv2@host             | no project id",
                "http://pubK7q3zx9:secR4m8wv2@host:99999999/42 | port out of range 0..65535",
            })
    void aMalformedDsnFailsAtBuildNamingTheReasonWithoutTheKeys(String dsn, String reason) {
        SentryService.Builder builder = SentryService.builder(dsn);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, builder::build);
        assertTrue(e.getMessage().startsWith("Malformed Sentry DSN: "), e.getMessage());
        assertTrue(e.getMessage().contains(reason), e.getMessage());
        assertNull(e.getCause());
        assertEquals(0, e.getSuppressed().length);
        for (Throwable t = e; t != null; t = t.getCause()) {
            assertFalse(t.toString().contains(SEC), t.toString());
            assertFalse(t.toString().contains(PUB), t.toString());
        }
    }

    @Test
    void toStringMasksTheKeys() {
        SentryService service = SentryService.builder("http://" + PUB + ":" + SEC + "@127.0.0.1:9000/42")
                .build();
        assertEquals("SentryService[http://***@127.0.0.1:9000/42]", service.toString());
        SentryService publicOnly =
                SentryService.builder("https://" + PUB + "@o1.example.com/7").build();
        assertEquals("SentryService[https://***@o1.example.com/7]", publicOnly.toString());
    }

    /**
     * Every logger at TRACE, java.util.logging at FINEST and bridged into SLF4J the way aiomisc-log
     * does, everything captured on the root logger; all put back on close.
     */
    private static final class Everything implements AutoCloseable {
        private final ch.qos.logback.classic.Logger root = SentryState.root();
        private final Level rootLevel = root.getLevel();
        private final java.util.logging.Logger julRoot = java.util.logging.Logger.getLogger("");
        private final java.util.logging.Level julRootLevel = julRoot.getLevel();
        // held strongly: JUL keeps loggers weakly, and a collected one would lose its level
        private final java.util.logging.Logger julHttp = java.util.logging.Logger.getLogger(HeaderRedaction.LOGGER);
        private final java.util.logging.Level julHttpLevel = julHttp.getLevel();
        private final Handler[] julHandlers = julRoot.getHandlers();
        private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

        static Everything capture() throws ReflectiveOperationException {
            Everything everything = new Everything();
            everything.open();
            return everything;
        }

        private void open() throws ReflectiveOperationException {
            root.setLevel(Level.TRACE);
            for (Handler handler : julHandlers) {
                julRoot.removeHandler(handler);
            }
            // the test code does not read the jul-to-slf4j module (aiomisc-log does): by name
            Class<?> bridge = Class.forName("org.slf4j.bridge.SLF4JBridgeHandler");
            julRoot.addHandler((Handler) bridge.getConstructor().newInstance());
            julRoot.setLevel(java.util.logging.Level.FINEST);
            julHttp.setLevel(java.util.logging.Level.FINEST);
            appender.setContext(root.getLoggerContext());
            appender.start();
            root.addAppender(appender);
        }

        List<ILoggingEvent> events() {
            synchronized (appender.list) {
                return List.copyOf(appender.list);
            }
        }

        @Override
        public void close() {
            root.detachAppender(appender);
            appender.stop();
            root.setLevel(rootLevel);
            for (Handler handler : julRoot.getHandlers()) {
                julRoot.removeHandler(handler);
            }
            for (Handler handler : julHandlers) {
                julRoot.addHandler(handler);
            }
            julRoot.setLevel(julRootLevel);
            julHttp.setLevel(julHttpLevel);
        }
    }
}
