package io.aiomisc.examples;

import io.aiomisc.Entrypoint;
import io.aiomisc.sentry.SentryService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The README's "Sentry" section, runnable: {@code SENTRY_DSN=https://key@host/42 bin/run-example
 * sentry}. An entrypoint with a {@link SentryService} for {@code $SENTRY_DSN}; an order fails and
 * the error is logged with its exception, which becomes an event in Sentry (with the tag
 * {@code example=sentry}, and {@code $SENTRY_ENVIRONMENT} / {@code $SENTRY_RELEASE} when set); an
 * INFO line before it is kept as the event's breadcrumb, not sent on its own. The entrypoint's stop
 * flushes the event (for at most 2 s), then the program ends.
 *
 * <p>Without {@code SENTRY_DSN} it says what it needs and exits with status 2; a malformed DSN is
 * refused before anything starts, with the reason and without the DSN's keys.
 */
public final class SentryExample {
    private static final Logger log = LoggerFactory.getLogger(SentryExample.class);

    private SentryExample() {}

    /**
     * Runs the example.
     *
     * @param args none
     * @throws Exception if the entrypoint fails to start
     */
    public static void main(String[] args) throws Exception {
        String dsn = System.getenv("SENTRY_DSN");
        if (dsn == null || dsn.isBlank()) {
            System.err.println("SentryExample needs a Sentry project's DSN in SENTRY_DSN, e.g.\n"
                    + "  SENTRY_DSN=https://publicKey@o1.ingest.sentry.io/42 bin/run-example sentry\n"
                    + "(Sentry's project settings, \"Client Keys (DSN)\"). It then reports one error there.");
            System.exit(2);
        }
        SentryService sentry = SentryService.builder(dsn.strip()) // a malformed DSN fails here
                .tag("example", "sentry")
                .build();
        try (Entrypoint entrypoint = Entrypoint.builder().services(sentry).start()) {
            log.info("Charging order 42"); // INFO: a breadcrumb of the next event, not an event
            try {
                charge(42);
            } catch (IllegalStateException e) {
                log.error("Cannot charge order {}", 42, e); // ERROR ≥ WARNING: an event with the exception
            }
        } // stop: flushed within 2 s, then the SDK closes
        log.info("Sentry example finished: the error was sent to {}", sentry);
    }

    private static void charge(int order) {
        throw new IllegalStateException("card declined for order " + order);
    }
}
