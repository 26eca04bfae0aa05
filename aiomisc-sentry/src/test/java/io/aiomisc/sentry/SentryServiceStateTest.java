package io.aiomisc.sentry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sentry.Sentry;
import java.time.Duration;
import java.util.List;
import java.util.logging.Filter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Bad configuration, and the JVM-wide state start and stop take and give back. */
class SentryServiceStateTest {
    private static final String LOGGER = "test.sentry.state";
    private static final Logger log = LoggerFactory.getLogger(LOGGER);
    private static final String DSN = "http://pub:sec@127.0.0.1:9/42";

    @AfterEach
    void leavesNothingBehind() {
        SentryState.assertReleased();
    }

    @ParameterizedTest
    @ValueSource(doubles = {-0.1, 1.1, Double.NaN, Double.POSITIVE_INFINITY})
    void aSampleRateOutside0To1IsRefusedNamingTheValue(double rate) {
        SentryService.Builder builder = SentryService.builder(DSN);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> builder.sampleRate(rate));
        assertTrue(
                e.getMessage().contains("sampleRate") && e.getMessage().contains(String.valueOf(rate)), e.getMessage());
    }

    @Test
    void sampleRatesAtTheBoundsAreTaken() {
        SentryService.builder(DSN).sampleRate(0.0).sampleRate(1.0).build();
    }

    @Test
    void anUnknownMinLevelIsRefusedNamingTheValue() {
        SentryService.Builder builder = SentryService.builder(DSN);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> builder.minLevel("LOUD"));
        assertTrue(e.getMessage().contains("minLevel") && e.getMessage().contains("'LOUD'"), e.getMessage());
        assertEquals("WARNING", builder.build().minLevel(), "the refused value left the default");
    }

    @Test
    void minLevelTakesAnyCaseAndWarnAsWarning() {
        assertEquals(
                "WARNING", SentryService.builder(DSN).minLevel("warn").build().minLevel());
        assertEquals(
                "CRITICAL",
                SentryService.builder(DSN).minLevel("Critical").build().minLevel());
        assertEquals("WARNING", SentryService.builder(DSN).build().minLevel());
    }

    @Test
    void aBlankTagKeyIsRefused() {
        SentryService.Builder builder = SentryService.builder(DSN);
        assertThrows(IllegalArgumentException.class, () -> builder.tag(" ", "v"));
        assertThrows(IllegalArgumentException.class, () -> builder.tag("", "v"));
        assertThrows(NullPointerException.class, () -> builder.tag("k", null));
    }

    @Test
    void aFlushTimeoutThatIsNotPositiveIsRefusedNamingTheValue() {
        SentryService.Builder builder = SentryService.builder(DSN);
        IllegalArgumentException zero =
                assertThrows(IllegalArgumentException.class, () -> builder.flushTimeout(Duration.ZERO));
        assertTrue(
                zero.getMessage().contains("flushTimeout") && zero.getMessage().contains("PT0S"), zero.getMessage());
        assertThrows(IllegalArgumentException.class, () -> builder.flushTimeout(Duration.ofMillis(-1)));
        assertEquals(Duration.ofSeconds(2), builder.build().flushTimeout(), "the default stays");
    }

    @Test
    void aSecondServiceCannotStartWhileOneRunsAndTheFirstKeepsWorking() throws Exception {
        try (FakeSentry sentry = new FakeSentry();
                FakeSentry other = new FakeSentry()) {
            SentryService first = SentryService.builder(sentry.dsn())
                    .flushTimeout(Duration.ofSeconds(10))
                    .build();
            SentryService second = SentryService.builder(other.dsn()).build();
            first.start();
            try {
                IllegalStateException e = assertThrows(IllegalStateException.class, second::start);
                assertFalse(e.getMessage().contains(FakeSentry.SECRET_KEY), e.getMessage());
                second.stop(e); // what an entrypoint does after a failed start: must not touch the first
                assertTrue(Sentry.isEnabled());
                assertTrue(SentryState.appenderAttached());
                log.error("after the refused second start");
            } finally {
                first.stop(null);
            }
            assertEquals(List.of("after the refused second start"), messages(sentry));
            assertEquals(0, other.requests());
        }
    }

    @Test
    void startFailsWhenOtherCodeInitialisedSentryAndLeavesEverythingAsItWas() throws Exception {
        try (FakeSentry sentry = new FakeSentry()) {
            Filter before = SentryState.julFilter();
            Sentry.init(options -> {
                options.setDsn(sentry.dsn());
                options.setEnableShutdownHook(false);
                options.setEnableUncaughtExceptionHandler(false);
            });
            try {
                SentryService service = SentryService.builder(sentry.dsn()).build();
                IllegalStateException e = assertThrows(IllegalStateException.class, service::start);
                assertTrue(e.getMessage().contains("already initialised"), e.getMessage());
                assertFalse(SentryState.appenderAttached());
                assertSame(before, SentryState.julFilter());
                assertTrue(Sentry.isEnabled(), "the other code's Sentry was closed");
                // and another service may start once that code is done with Sentry
                Sentry.close();
                service.start();
                service.stop(null);
            } finally {
                Sentry.close();
            }
        }
    }

    @Test
    void stopGivesBackTheRootLoggerTheJulFilterAndTheSdkAndTheServiceStartsAgain() throws Exception {
        java.util.logging.Logger http = java.util.logging.Logger.getLogger(HeaderRedaction.LOGGER);
        Filter previous = record -> true;
        http.setFilter(previous);
        try (FakeSentry sentry = new FakeSentry()) {
            SentryService service = SentryService.builder(sentry.dsn())
                    .flushTimeout(Duration.ofSeconds(10))
                    .build();
            for (int run = 1; run <= 2; run++) {
                service.start();
                try {
                    assertTrue(Sentry.isEnabled());
                    assertTrue(SentryState.appenderAttached());
                    assertTrue(SentryState.julFilter() instanceof HeaderRedaction);
                    log.error("run {}", run);
                } finally {
                    service.stop(null);
                }
                assertFalse(Sentry.isEnabled(), "run " + run);
                assertFalse(SentryState.appenderAttached(), "run " + run);
                assertSame(previous, SentryState.julFilter(), "run " + run);
                service.stop(null); // idempotent
            }
            assertEquals(List.of("run 1", "run 2"), messages(sentry));
        } finally {
            http.setFilter(null);
        }
    }

    @Test
    void nothingIsSentAfterStop() throws Exception {
        try (FakeSentry sentry = new FakeSentry()) {
            SentryService service = SentryService.builder(sentry.dsn())
                    .flushTimeout(Duration.ofSeconds(10))
                    .build();
            service.start();
            service.stop(null);
            log.error("after stop");
            // a second service on the same endpoint: its flush covers anything the first could still send
            SentryService later = SentryService.builder(sentry.dsn())
                    .flushTimeout(Duration.ofSeconds(10))
                    .build();
            later.start();
            try {
                log.error("marker");
            } finally {
                later.stop(null);
            }
            assertEquals(List.of("marker"), messages(sentry));
        }
    }

    @Test
    void theJulFilterStillAsksThePreviousOne() {
        java.util.logging.Logger http = java.util.logging.Logger.getLogger(HeaderRedaction.LOGGER);
        http.setFilter(record -> false);
        Redactor redactor = new Redactor(List.of("s3kr1t"));
        HeaderRedaction filter = HeaderRedaction.install(redactor);
        try {
            java.util.logging.LogRecord record = new java.util.logging.LogRecord(
                    java.util.logging.Level.FINE, "X-Sentry-Auth: sentry_secret=s3kr1t");
            assertFalse(filter.isLoggable(record), "the previous filter's veto was lost");
            assertEquals("X-Sentry-Auth: sentry_secret=***", record.getMessage());
        } finally {
            filter.uninstall();
            http.setFilter(null);
        }
        assertNull(SentryState.julFilter());
    }

    private static List<String> messages(FakeSentry sentry) {
        return sentry.events().stream()
                .filter(e -> e.path("logger").asText().equals(LOGGER))
                .map(FakeSentry::message)
                .toList();
    }
}
