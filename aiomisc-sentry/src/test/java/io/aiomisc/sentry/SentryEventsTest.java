package io.aiomisc.sentry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.aiomisc.Entrypoint;
import io.aiomisc.log.Severity;
import io.aiomisc.testing.TestEntrypoints;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** What reaches Sentry, and what does not, from the SLF4J log while the service runs. */
class SentryEventsTest {
    /** A logger of its own, so that only this test's records are looked at. */
    private static final String LOGGER = "test.sentry.events";

    private static final Logger log = LoggerFactory.getLogger(LOGGER);

    @AfterEach
    void leavesNothingBehind() {
        SentryState.assertReleased();
    }

    @Test
    void anErrorWithAnExceptionArrivesWithItsTypeValueEnvironmentReleaseAndTags() throws Exception {
        try (FakeSentry sentry = new FakeSentry()) {
            SentryService service = SentryService.builder(sentry.dsn())
                    .environment("staging")
                    .release("shop@1.4.2")
                    .tag("region", "eu")
                    .tag("tier", "web")
                    .build();
            try (Entrypoint ep =
                    TestEntrypoints.builder().services(service).build().start()) {
                log.error("Cannot charge order {}", 17, new IllegalStateException("card declined"));
                JsonNode event = ours(sentry.awaitEvents(1)).getFirst();

                JsonNode exception = event.path("exception").path("values").get(0);
                assertEquals("IllegalStateException", exception.path("type").asText(), event.toString());
                assertEquals("java.lang", exception.path("module").asText(), event.toString());
                assertEquals("card declined", exception.path("value").asText(), event.toString());
                assertEquals("Cannot charge order 17", FakeSentry.message(event));
                assertEquals("error", event.path("level").asText());
                assertEquals("staging", event.path("environment").asText());
                assertEquals("shop@1.4.2", event.path("release").asText());
                assertEquals("eu", event.path("tags").path("region").asText(), event.toString());
                assertEquals("web", event.path("tags").path("tier").asText(), event.toString());
                FakeSentry.Envelope envelope = sentry.envelopes().getFirst();
                assertEquals("/api/42/envelope/", envelope.path());
                assertTrue(
                        envelope.auth().contains("sentry_key=" + FakeSentry.PUBLIC_KEY),
                        "X-Sentry-Auth: " + envelope.auth());
            }
        }
    }

    @Test
    void byDefaultWarningAndErrorAreSentButInfoAndBelowAreNot() throws Exception {
        assertEquals(List.of("warning: sent", "error: sent", "critical: sent"), sentWith(null));
    }

    @Test
    void minLevelErrorDropsWarnings() throws Exception {
        assertEquals(List.of("error: sent", "critical: sent"), sentWith("ERROR"));
    }

    @Test
    void minLevelTraceSendsEverything() throws Exception {
        assertEquals(
                List.of("trace: sent", "debug: sent", "info: sent", "warning: sent", "error: sent", "critical: sent"),
                sentWith("trace"));
    }

    @Test
    void minLevelInfoSendsInfoButNotDebug() throws Exception {
        assertEquals(List.of("info: sent", "warning: sent", "error: sent", "critical: sent"), sentWith("info"));
    }

    @Test
    void minLevelCriticalSendsOnlyErrorsWithTheCriticalMarker() throws Exception {
        assertEquals(List.of("critical: sent"), sentWith("CRITICAL"));
    }

    /**
     * Logs one record per level, the unwanted ones first, stops the service (which flushes) and
     * returns the messages that arrived; "not sent" is then certain, not a matter of waiting.
     */
    private static List<String> sentWith(String minLevel) throws Exception {
        try (FakeSentry sentry = new FakeSentry()) {
            SentryService.Builder builder = SentryService.builder(sentry.dsn()).flushTimeout(Duration.ofSeconds(10));
            if (minLevel != null) {
                builder.minLevel(minLevel);
            }
            SentryService service = builder.build();
            // the records below minLevel are really logged: only the service may drop them
            ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) log;
            ch.qos.logback.classic.Level previous = logger.getLevel();
            logger.setLevel(ch.qos.logback.classic.Level.TRACE);
            service.start();
            try {
                log.trace("trace: " + sentText("TRACE", minLevel));
                log.debug("debug: " + sentText("DEBUG", minLevel));
                log.info("info: " + sentText("INFO", minLevel));
                log.warn("warning: " + sentText("WARNING", minLevel));
                log.error("error: " + sentText("ERROR", minLevel));
                log.error(Severity.CRITICAL_MARKER, "critical: sent");
            } finally {
                service.stop(null);
                logger.setLevel(previous);
            }
            List<String> messages = new ArrayList<>();
            for (JsonNode event : ours(sentry.events())) {
                messages.add(FakeSentry.message(event));
            }
            // the last record is wanted by every minLevel: it arrived, so the earlier ones had their chance
            assertTrue(messages.contains("critical: sent"), messages.toString());
            return messages;
        }
    }

    /** What a record says about itself; only the sent ones matter to the assertions. */
    private static String sentText(String level, String minLevel) {
        List<String> order = List.of("TRACE", "DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL");
        int threshold = order.indexOf(minLevel == null ? "WARNING" : minLevel.toUpperCase(java.util.Locale.ROOT));
        return order.indexOf(level) >= threshold ? "sent" : "not sent";
    }

    @Test
    void anErrorLoggedAsTheLastStatementBeforeTheEntrypointClosesArrives() throws Exception {
        try (FakeSentry sentry = new FakeSentry()) {
            SentryService service = SentryService.builder(sentry.dsn())
                    .flushTimeout(Duration.ofSeconds(10))
                    .build();
            try (Entrypoint ep =
                    TestEntrypoints.builder().services(service).build().start()) {
                log.error("last words", new IllegalArgumentException("bye"));
            }
            // no waiting: the entrypoint's stop flushed it
            List<JsonNode> events = ours(sentry.events());
            assertEquals(1, events.size(), events.toString());
            assertEquals("last words", FakeSentry.message(events.getFirst()));
            assertEquals(
                    "bye",
                    events.getFirst()
                            .path("exception")
                            .path("values")
                            .get(0)
                            .path("value")
                            .asText());
        }
    }

    @Test
    void eventsKeepTheMdcTheLoggerNameAndTheEarlierInfoAsABreadcrumb() throws Exception {
        try (FakeSentry sentry = new FakeSentry()) {
            SentryService service = SentryService.builder(sentry.dsn())
                    .flushTimeout(Duration.ofSeconds(10))
                    .build();
            service.start();
            try {
                log.info("order 17 received");
                MDC.put("order", "17");
                try {
                    log.error("order 17 failed");
                } finally {
                    MDC.remove("order");
                }
            } finally {
                service.stop(null);
            }
            List<JsonNode> events = ours(sentry.events());
            assertEquals(1, events.size(), events.toString());
            JsonNode event = events.getFirst();
            assertEquals(LOGGER, event.path("logger").asText());
            assertEquals("17", event.path("contexts").path("MDC").path("order").asText(), event.toString());
            JsonNode breadcrumbs = event.path("breadcrumbs");
            if (breadcrumbs.has("values")) {
                breadcrumbs = breadcrumbs.get("values");
            }
            boolean found = false;
            for (JsonNode breadcrumb : breadcrumbs) {
                found |= breadcrumb.path("message").asText().equals("order 17 received")
                        && breadcrumb.path("level").asText().equals("info")
                        && breadcrumb.path("category").asText().equals(LOGGER);
            }
            assertTrue(found, "no breadcrumb for the INFO record: " + breadcrumbs);
        }
    }

    /** This test's events, in the order they arrived. */
    private static List<JsonNode> ours(List<JsonNode> events) {
        return events.stream()
                .filter(e -> e.path("logger").asText().equals(LOGGER))
                .toList();
    }
}
