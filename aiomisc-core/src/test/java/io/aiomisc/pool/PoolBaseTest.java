package io.aiomisc.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiomisc.internal.TaskLauncher;
import io.aiomisc.task.Task;
import io.aiomisc.testing.TimeDriver;
import io.aiomisc.time.ManualTimeSource;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PoolBaseTest {
    private final ManualTimeSource time = new ManualTimeSource();
    private final List<TestPool> pools = new ArrayList<>();

    /** Instances are numbered; the pool records what it created and destroyed. */
    final class TestPool extends PoolBase<Integer> {
        final AtomicInteger created = new AtomicInteger();
        final Set<Integer> alive = ConcurrentHashMap.newKeySet();
        final Set<Integer> destroyed = ConcurrentHashMap.newKeySet();
        final Set<Integer> broken = ConcurrentHashMap.newKeySet();
        final AtomicInteger maxAlive = new AtomicInteger();
        volatile boolean failCreate;

        TestPool(int maxSize, Duration recycle, RandomGenerator random) {
            super(maxSize, recycle, Duration.ofSeconds(5), time, random);
            pools.add(this);
        }

        @Override
        protected Integer createInstance() throws IOException {
            if (failCreate) {
                throw new IOException("cannot connect");
            }
            int instance = created.incrementAndGet();
            alive.add(instance);
            maxAlive.accumulateAndGet(alive.size(), Math::max);
            return instance;
        }

        @Override
        protected void destroyInstance(Integer instance) {
            alive.remove(instance);
            destroyed.add(instance);
        }

        @Override
        protected boolean checkInstance(Integer instance) {
            if (broken.contains(-instance)) {
                throw new IllegalStateException("check failed loudly");
            }
            return !broken.contains(instance);
        }
    }

    private TestPool pool(int maxSize, Duration recycle) {
        return new TestPool(maxSize, recycle, RandomGenerator.getDefault());
    }

    @AfterEach
    void closePools() {
        pools.forEach(PoolBase::close);
    }

    @Test
    void growsEagerlyToMaxSize() throws Exception {
        TestPool pool = pool(3, null);
        try (Lease<Integer> lease = pool.acquire()) {
            assertEquals(1, lease.get());
        }
        try (Lease<Integer> lease = pool.acquire()) {
            assertEquals(2, lease.get(), "a new instance although one is idle");
        }
        pool.acquire().close();
        assertEquals(3, pool.size());
        try (Lease<Integer> lease = pool.acquire()) {
            assertTrue(lease.get() <= 3, "at maxSize the idle ones are reused");
        }
        assertEquals(3, pool.created.get());
    }

    @Test
    void neverExceedsMaxSizeUnderHundredConcurrentAcquirers() throws Exception {
        TestPool pool = new TestPool(4, null, RandomGenerator.getDefault());
        AtomicInteger inUse = new AtomicInteger();
        AtomicInteger maxInUse = new AtomicInteger();
        List<Task<Object>> users = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            users.add(TaskLauncher.startDetached(() -> {
                for (int round = 0; round < 20; round++) {
                    try (Lease<Integer> lease = pool.acquire(Duration.ofDays(1))) {
                        maxInUse.accumulateAndGet(inUse.incrementAndGet(), Math::max);
                        Thread.yield();
                        inUse.decrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Task<Object> user : users) {
            user.await(Duration.ofSeconds(30));
        }
        assertTrue(maxInUse.get() <= 4, "in use at once: " + maxInUse.get());
        assertTrue(pool.maxAlive.get() <= 4, "alive at once: " + pool.maxAlive.get());
        assertEquals(4, pool.created.get());
    }

    @Test
    void recyclesInstancesAfterTheirLifetime() throws Exception {
        // random 0: lifetime exactly recycle
        TestPool pool = new TestPool(1, Duration.ofSeconds(10), fixedRandom(0.0));
        try (Lease<Integer> lease = pool.acquire()) {
            assertEquals(1, lease.get());
        }
        time.advance(Duration.ofSeconds(9));
        try (Lease<Integer> lease = pool.acquire()) {
            assertEquals(1, lease.get(), "still young");
        }
        time.advance(Duration.ofSeconds(1));
        try (Lease<Integer> lease = pool.acquire()) {
            assertEquals(2, lease.get(), "the old one was recycled");
        }
        Awaitility.await().until(() -> pool.destroyed.contains(1));
    }

    @Test
    void theRecycleLifetimeIsJitteredUpToTwice() throws Exception {
        TestPool pool = new TestPool(1, Duration.ofSeconds(10), fixedRandom(0.999));
        pool.acquire().close();
        time.advance(Duration.ofMillis(19_980));
        try (Lease<Integer> lease = pool.acquire()) {
            assertEquals(1, lease.get(), "lifetime 19.99 s");
        }
        time.advance(Duration.ofMillis(20));
        try (Lease<Integer> lease = pool.acquire()) {
            assertEquals(2, lease.get());
        }
    }

    @Test
    void anInstanceThatFailsItsCheckIsReplaced() throws Exception {
        TestPool pool = pool(1, null);
        pool.acquire().close();
        pool.broken.add(1);
        try (Lease<Integer> lease = pool.acquire()) {
            assertEquals(2, lease.get());
        }
        pool.broken.add(-2); // the check throws
        try (Lease<Integer> lease = pool.acquire()) {
            assertEquals(3, lease.get());
        }
        Awaitility.await().until(() -> pool.destroyed.containsAll(Set.of(1, 2)));
    }

    @Test
    void acquireTimesOutWhenNothingComesBack() throws Exception {
        TestPool pool = pool(1, null);
        Lease<Integer> held = pool.acquire();
        TimeDriver<Lease<Integer>> waiting = TimeDriver.start(time, pool::acquire);
        Duration waited = waiting.run();
        assertThrows(TimeoutException.class, waiting::result);
        assertEquals(Duration.ofSeconds(5), waited);
        held.close();
        try (Lease<Integer> lease = pool.acquire()) {
            assertEquals(1, lease.get(), "the timed-out waiter left no trace");
        }
    }

    @Test
    void aReturnedInstanceGoesToTheWaiter() throws Exception {
        TestPool pool = pool(1, null);
        Lease<Integer> held = pool.acquire();
        Task<Integer> waiter = TaskLauncher.startDetached(() -> {
            try (Lease<Integer> lease = pool.acquire(Duration.ofDays(1))) {
                return lease.get();
            }
        });
        time.awaitWaiters(1, Duration.ofSeconds(10));
        held.close();
        assertEquals(1, waiter.await(Duration.ofSeconds(10)));
    }

    @Test
    void invalidateDestroysInsteadOfReturning() throws Exception {
        TestPool pool = pool(1, null);
        Lease<Integer> lease = pool.acquire();
        lease.invalidate();
        lease.close();
        Awaitility.await().until(() -> pool.destroyed.contains(1));
        try (Lease<Integer> next = pool.acquire()) {
            assertEquals(2, next.get());
        }
    }

    @Test
    void aFailedCreationFreesItsPlace() throws Exception {
        TestPool pool = pool(1, null);
        pool.failCreate = true;
        assertThrows(IOException.class, pool::acquire);
        assertEquals(0, pool.size());
        pool.failCreate = false;
        try (Lease<Integer> lease = pool.acquire()) {
            assertEquals(1, lease.get());
        }
    }

    @Test
    void closeDestroysEverythingAndFailsWaiters() throws Exception {
        TestPool pool = pool(2, null);
        Lease<Integer> leased = pool.acquire();
        pool.acquire().close();
        Lease<Integer> second = pool.acquire();
        Task<Object> waiter = TaskLauncher.startDetached(() -> pool.acquire(Duration.ofDays(1)));
        time.awaitWaiters(1, Duration.ofSeconds(10));
        pool.close();
        assertThrows(IllegalStateException.class, () -> waiter.await(Duration.ofSeconds(10)));
        assertEquals(Set.of(1, 2), pool.destroyed);
        assertTrue(pool.alive.isEmpty());
        leased.close();
        second.close();
        assertThrows(IllegalStateException.class, pool::acquire);
        pool.close();
    }

    @Test
    void aLeaseIsSingleUse() throws Exception {
        TestPool pool = pool(1, null);
        Lease<Integer> lease = pool.acquire();
        lease.close();
        lease.close();
        assertThrows(IllegalStateException.class, lease::get);
        Lease<Integer> again = pool.acquire();
        assertNotSame(lease, again);
        assertSame(1, again.get());
        again.close();
        assertFalse(pool.toString().isEmpty());
    }

    @Test
    void badSettingsAreRejectedAtOnce() {
        assertThrows(IllegalArgumentException.class, () -> pool(0, null));
        assertThrows(IllegalArgumentException.class, () -> pool(1, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> pool(1, Duration.ofSeconds(-1)));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> pool(-2, null))
                .getMessage()
                .contains("-2"));
    }

    private static RandomGenerator fixedRandom(double value) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                throw new UnsupportedOperationException();
            }

            @Override
            public double nextDouble() {
                return value;
            }
        };
    }
}
