package io.aiomisc.service;

import io.aiomisc.internal.Durations;
import io.aiomisc.internal.Threads;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ProcessService} whose child is started again when it exits on its own (crashed, killed,
 * or {@code inProcess()} returned or threw): aiomisc's {@code RespawningProcessService}. Every
 * {@link #processPollTimeout()} (5 s) it checks the child; a dead one is replaced, with an INFO
 * record holding its exit code. {@link #stop(Throwable)} stops the polling, then the child. A
 * child that cannot be started again is logged at ERROR and tried again at the next poll.
 */
public abstract class RespawningProcessService extends ProcessService {
    private static final long serialVersionUID = 1L;
    private static final Logger log = LoggerFactory.getLogger(RespawningProcessService.class);

    /** Default {@link #processPollTimeout()}: 5 s, as aiomisc. */
    public static final Duration DEFAULT_PROCESS_POLL_TIMEOUT = Duration.ofSeconds(5);

    private transient volatile CountDownLatch stopping;
    private transient volatile Thread poller;

    /** For subclasses. */
    protected RespawningProcessService() {}

    /**
     * How often the child is checked. Default {@link #DEFAULT_PROCESS_POLL_TIMEOUT} (5 s).
     *
     * @return a positive interval
     */
    protected Duration processPollTimeout() {
        return DEFAULT_PROCESS_POLL_TIMEOUT;
    }

    /**
     * Starts the child as {@link ProcessService#start()} does, then the polling.
     *
     * @throws IllegalArgumentException if {@link #processPollTimeout()} is not positive
     */
    @Override
    public void start() throws Exception {
        Duration poll = Durations.requirePositive("processPollTimeout", processPollTimeout());
        super.start();
        CountDownLatch latch = new CountDownLatch(1);
        stopping = latch;
        poller = Threads.startVirtual("aiomisc-process-respawn-" + name(), () -> poll(latch, poll));
    }

    /**
     * Stops the polling, then the child as {@link ProcessService#stop(Throwable)} does. Blocks; an
     * interrupt does not cut it short.
     */
    @Override
    public void stop(Throwable exception) throws Exception {
        CountDownLatch latch = stopping;
        Thread thread = poller;
        if (latch != null) {
            latch.countDown();
        }
        if (thread != null) {
            boolean interrupted = false;
            while (thread.isAlive()) {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        super.stop(exception);
    }

    private void poll(CountDownLatch latch, Duration interval) {
        try {
            while (!latch.await(Durations.toNanos(interval), TimeUnit.NANOSECONDS)) {
                Process child = child();
                if (child != null && !child.isAlive()) {
                    log.info("Process in service {} exited with code {}, respawning.", name(), child.exitValue());
                    try {
                        respawn();
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        log.error(
                                "Process in service {} could not be started again; retrying in {} ms",
                                name(),
                                interval.toMillis(),
                                e);
                    }
                }
            }
        } catch (InterruptedException e) {
            // stop() is waiting for this thread
        }
    }
}
