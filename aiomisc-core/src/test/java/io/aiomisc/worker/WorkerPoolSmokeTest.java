package io.aiomisc.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.aiomisc.task.Task;
import org.junit.jupiter.api.Test;

class WorkerPoolSmokeTest {
    @Test
    void smoke() throws Exception {
        long t0 = System.nanoTime();
        try (WorkerPool pool = new WorkerPool(2)) {
            Task<Long> task = pool.createTask(() -> ProcessHandle.current().pid());
            long pid = task.await();
            System.out.println("first result after " + (System.nanoTime() - t0) / 1_000_000 + " ms, pid " + pid);
            pool.start();
            System.out.println("started after " + (System.nanoTime() - t0) / 1_000_000 + " ms, pids " + pool.pids());
            long t1 = System.nanoTime();
            for (int i = 0; i < 1000; i++) {
                int n = i;
                assertEquals(n, pool.createTask(() -> n).await());
            }
            System.out.println("1000 round trips " + (System.nanoTime() - t1) / 1_000_000 + " ms");
        }
        System.out.println("closed after " + (System.nanoTime() - t0) / 1_000_000 + " ms");
    }
}
