package io.aiomisc.examples;

import io.aiomisc.Entrypoint;
import io.aiomisc.task.Task;
import io.aiomisc.worker.WorkerPool;
import io.aiomisc.worker.WorkerTask;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The README's "Worker pool" section, runnable: {@code bin/run-example workers [LIMIT] [WORKERS]}.
 * Counts the primes below {@code LIMIT} (default 5,000,000) twice — split into {@code WORKERS}
 * ranges (default 4) run on a {@link WorkerPool} of as many worker JVMs, then in one thread of
 * this JVM — and checks that the two answers agree; then the program ends by itself. Ctrl+C
 * (SIGINT) or SIGTERM stops it earlier; the workers exit with it.
 *
 * <p>The task is a lambda assigned to {@link WorkerTask}, which makes it serializable: it travels
 * to a worker with the range it captured, and its result, a {@link Part} record, travels back.
 */
public final class WorkerPoolExample {
    private static final Logger log = LoggerFactory.getLogger(WorkerPoolExample.class);

    private WorkerPoolExample() {}

    /**
     * One range's answer, and the worker process that computed it.
     *
     * @param from   the first number of the range
     * @param to     the end of the range (excluded)
     * @param primes the primes in {@code [from, to)}
     * @param pid    the process that counted them
     */
    record Part(long from, long to, long primes, long pid) implements Serializable {}

    /** The primes in {@code [from, to)}, by trial division: deliberately CPU-bound. */
    static long countPrimes(long from, long to) {
        long count = 0;
        for (long n = Math.max(2, from); n < to; n++) {
            if (isPrime(n)) {
                count++;
            }
        }
        return count;
    }

    private static boolean isPrime(long n) {
        if (n < 4) {
            return n >= 2;
        }
        if (n % 2 == 0) {
            return false;
        }
        for (long d = 3; d * d <= n; d += 2) {
            if (n % d == 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Runs the example.
     *
     * @param args {@code [LIMIT] [WORKERS]}: count the primes below LIMIT (default 5,000,000, at
     *             least 2) on WORKERS worker JVMs (default 4, at least 1)
     * @throws Exception if the entrypoint fails to start or a worker fails
     */
    public static void main(String[] args) throws Exception {
        long limit = args.length > 0 ? Long.parseLong(args[0]) : 5_000_000;
        int workers = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        if (limit < 2) {
            throw new IllegalArgumentException("LIMIT must be at least 2: " + limit);
        }
        if (workers < 1) {
            throw new IllegalArgumentException("WORKERS must be at least 1: " + workers);
        }
        try (Entrypoint entrypoint = Entrypoint.builder().start()) {
            entrypoint.runUntilComplete(() -> {
                long onWorkers = countOnWorkers(limit, workers);
                long started = System.nanoTime();
                long here = countPrimes(2, limit);
                log.info(
                        "Single-threaded in this JVM (pid {}): {} primes below {} in {} ms",
                        ProcessHandle.current().pid(),
                        here,
                        limit,
                        (System.nanoTime() - started) / 1_000_000);
                if (here != onWorkers) {
                    throw new IllegalStateException("the workers counted " + onWorkers + ", this JVM " + here);
                }
                log.info("Same answer: {}", here);
                return null;
            });
        } catch (CancellationException stoppedBySignal) {
            log.info("Worker pool example stopped before the end");
            return;
        }
        log.info("Worker pool example finished");
    }

    private static long countOnWorkers(long limit, int workers) throws Exception {
        long started = System.nanoTime();
        try (WorkerPool pool = new WorkerPool(workers)) {
            pool.start(); // optional: the first createTask starts the pool too, without waiting
            log.info(
                    "{} worker JVMs ready in {} ms: pids {}",
                    workers,
                    (System.nanoTime() - started) / 1_000_000,
                    pool.pids());
            long counting = System.nanoTime();
            List<Task<Part>> parts = new ArrayList<>();
            for (int i = 0; i < workers; i++) {
                long from = limit * i / workers;
                long to = limit * (i + 1) / workers;
                WorkerTask<Part> task = () -> new Part(
                        from, to, countPrimes(from, to), ProcessHandle.current().pid());
                parts.add(pool.createTask(task));
            }
            long total = 0;
            for (Task<Part> task : parts) {
                Part part = task.await(); // the task's own exception, if it threw
                log.info(
                        "[{}, {}): {} primes, in worker process {}", part.from(), part.to(), part.primes(), part.pid());
                total += part.primes();
            }
            log.info(
                    "On {} workers: {} primes below {} in {} ms",
                    workers,
                    total,
                    limit,
                    (System.nanoTime() - counting) / 1_000_000);
            return total;
        }
    }
}
