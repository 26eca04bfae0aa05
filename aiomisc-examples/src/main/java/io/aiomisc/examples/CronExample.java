package io.aiomisc.examples;

import io.aiomisc.Entrypoint;
import io.aiomisc.service.CronService;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The README's "Scheduling" section, runnable: {@code bin/run-example cron [TIMES]}. An entrypoint
 * runs a {@link CronService} with two jobs: a tick at the start of every second (the six-field form,
 * seconds first) and a report every two seconds on the clock of Europe/Berlin. After {@code TIMES}
 * ticks (default 5) the program ends by itself; stopping the service stops both jobs. Ctrl+C
 * (SIGINT) or SIGTERM stops it earlier.
 */
public final class CronExample {
    private static final Logger log = LoggerFactory.getLogger(CronExample.class);
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    /** Always with seconds: LocalTime.toString() drops ":00". */
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("HH:mm:ss");

    private CronExample() {}

    /**
     * Runs the example.
     *
     * @param args {@code [TIMES]}: how many ticks to wait for (default 5)
     * @throws Exception if the entrypoint fails to start
     */
    public static void main(String[] args) throws Exception {
        int times = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        if (times < 1) {
            throw new IllegalArgumentException("TIMES must be at least 1: " + times);
        }
        CountDownLatch ticked = new CountDownLatch(times);
        AtomicInteger ticks = new AtomicInteger();
        CronService cron = new CronService();
        cron.register(
                () -> { // every second, UTC
                    log.info(
                            "tick {} at {}",
                            ticks.incrementAndGet(),
                            LocalTime.now().format(SECONDS));
                    ticked.countDown();
                    return null;
                },
                "* * * * * *");
        cron.register(
                () -> { // every even second, Berlin time
                    log.info("report at {} in Berlin", LocalTime.now(BERLIN).format(SECONDS));
                    return null;
                },
                "*/2 * * * * *",
                BERLIN);
        try (Entrypoint entrypoint = Entrypoint.builder().services(cron).start()) {
            log.info("Cron example: waiting for {} ticks", times);
            entrypoint.runUntilComplete(() -> {
                ticked.await();
                return null;
            });
        } catch (CancellationException stoppedBySignal) {
            log.info("Cron example stopped before the end");
            return;
        }
        log.info("Cron example finished after {} ticks", times);
    }
}
