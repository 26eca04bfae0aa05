package io.aiomisc.examples;

import io.aiomisc.Entrypoint;
import io.aiomisc.resilience.Backoff;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The README's "Resilience" section, runnable: {@code bin/run-example backoff}. Two calls to a
 * flaky remote service, each through a {@link Backoff}, then the program ends by itself (in about
 * two seconds). Ctrl+C (SIGINT) or SIGTERM stops it earlier.
 *
 * <ol>
 * <li>{@code asyncbackoff(attemptTimeout 1 s, deadline 30 s, pause 200 ms, IOException)}: the first
 * attempt hangs and is interrupted after a second, the second fails with an {@link IOException},
 * the third answers. Both failures are retried: a timed-out attempt always, an
 * {@code IOException} because it is listed.</li>
 * <li>{@code asyncretry(3)}: a call that always fails is tried three times, then its last failure
 * is thrown to the caller.</li>
 * </ol>
 */
public final class BackoffExample {
    private static final Logger log = LoggerFactory.getLogger(BackoffExample.class);

    private BackoffExample() {}

    /**
     * A remote service that hangs on its first call, fails on its second and answers from the third
     * on.
     */
    static final class FlakyService {
        private final AtomicInteger calls = new AtomicInteger();

        String ping() throws IOException, InterruptedException {
            int call = calls.incrementAndGet();
            switch (call) {
                case 1 -> {
                    log.info("attempt {}: hanging", call);
                    Thread.sleep(Duration.ofMinutes(1)); // interrupted when the attempt times out
                    throw new AssertionError("the attempt timeout did not interrupt the call");
                }
                case 2 -> {
                    log.info("attempt {}: failing", call);
                    throw new IOException("connection reset by peer");
                }
                default -> {
                    log.info("attempt {}: answering", call);
                    return "pong after " + call + " attempts";
                }
            }
        }
    }

    /**
     * Runs the example.
     *
     * @param args none
     * @throws Exception if the entrypoint fails to start
     */
    public static void main(String[] args) throws Exception {
        try (Entrypoint entrypoint = Entrypoint.builder().start()) {
            entrypoint.runUntilComplete(() -> {
                // @asyncbackoff(attempt_timeout=1, deadline=30, pause=0.2, exceptions=[IOException])
                Backoff backoff = Backoff.asyncbackoff(
                        Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofMillis(200), IOException.class);
                FlakyService flaky = new FlakyService();
                String answer = backoff.call(flaky::ping);
                log.info(
                        "Got '{}'; attempts {}, retried errors {}",
                        answer,
                        backoff.statistic().attempts(),
                        backoff.statistic().errors.value());

                // @asyncretry(3): any Exception is retried, three tries in all
                Backoff retry = Backoff.asyncretry(3);
                AtomicInteger tries = new AtomicInteger();
                try {
                    retry.call(() -> {
                        throw new IOException("service unavailable (try " + tries.incrementAndGet() + ")");
                    });
                } catch (IOException last) {
                    log.info("Gave up after {} tries: {}", tries.get(), last.getMessage());
                }
                return null;
            });
        } catch (CancellationException stoppedBySignal) {
            log.info("Backoff example stopped before the end");
            return;
        }
        log.info("Backoff example finished");
    }
}
