package io.aiomisc.worker;

import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

/**
 * The parent JVM of {@link OrphanedWorkersTest}: starts a pool of two workers, prints their pids on
 * one stdout line and waits until it is killed.
 */
public final class OrphanParentMain {
    private OrphanParentMain() {}

    public static void main(String[] args) throws Exception {
        WorkerPool pool = new WorkerPool(2);
        pool.start();
        System.out.println(
                "worker-pids " + pool.pids().stream().map(String::valueOf).collect(Collectors.joining(",")));
        System.out.flush();
        new CountDownLatch(1).await(); // until SIGKILL
    }
}
