package io.aiomisc.sentry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sentry.Sentry;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Stop is bounded whatever Sentry does, and leaves none of the SDK's threads behind. */
class SentryStopTest {
    private static final Logger log = LoggerFactory.getLogger("test.sentry.stop");

    @AfterEach
    void leavesNothingBehind() {
        SentryState.assertReleased();
    }

    @Test
    void aHangingEndpointHoldsStopForAboutTwiceTheFlushTimeoutAndNoSdkThreadOutlivesIt() throws Exception {
        try (FakeSentry sentry = new FakeSentry().hang()) {
            SentryService service = SentryService.builder(sentry.dsn())
                    .flushTimeout(Duration.ofMillis(500))
                    .build();
            service.start();
            boolean stopped = false;
            try {
                log.error("into the void");
                assertTrue(sentry.awaitRequest(Duration.ofSeconds(10)), "the event was never sent");
                long begin = System.nanoTime();
                service.stop(null);
                stopped = true;
                Duration took = Duration.ofNanos(System.nanoTime() - begin);
                assertTrue(took.compareTo(Duration.ofSeconds(5)) < 0, "stop took " + took);
                assertFalse(Sentry.isEnabled());
                // the endpoint still hangs here: a sender stuck in its socket read would show
                Awaitility.await()
                        .atMost(Duration.ofSeconds(5))
                        .pollInterval(Duration.ofMillis(20))
                        .untilAsserted(() -> assertEquals(List.of(), sdkThreads()));
            } finally {
                if (!stopped) {
                    service.stop(null);
                }
            }
        }
    }

    @Test
    void anEndpointAnswering500Or429NeitherThrowsNorHoldsStop() throws Exception {
        for (int status : new int[] {500, 429}) {
            try (FakeSentry sentry = new FakeSentry().answer(status)) {
                SentryService service = SentryService.builder(sentry.dsn())
                        .flushTimeout(Duration.ofMillis(500))
                        .build();
                service.start();
                try {
                    log.error("refused with " + status);
                    assertTrue(sentry.awaitRequest(Duration.ofSeconds(10)), "the event was never sent");
                } finally {
                    long begin = System.nanoTime();
                    service.stop(null);
                    Duration took = Duration.ofNanos(System.nanoTime() - begin);
                    assertTrue(took.compareTo(Duration.ofSeconds(5)) < 0, status + ": stop took " + took);
                }
                assertEquals(1, sentry.requests(), "one attempt, no retry storm");
            }
        }
    }

    @Test
    void stopKeepsTheCallersInterruptAndStillClosesTheSdk() throws Exception {
        try (FakeSentry sentry = new FakeSentry()) {
            SentryService service = SentryService.builder(sentry.dsn())
                    .flushTimeout(Duration.ofSeconds(10))
                    .build();
            service.start();
            log.error("before an interrupted stop");
            Thread.currentThread().interrupt();
            try {
                service.stop(null);
                assertTrue(Thread.currentThread().isInterrupted(), "the interrupt was swallowed");
            } finally {
                Thread.interrupted();
            }
            assertFalse(Sentry.isEnabled());
            assertFalse(SentryState.appenderAttached());
        }
    }

    private static List<String> sdkThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> name.startsWith("Sentry"))
                .toList();
    }
}
