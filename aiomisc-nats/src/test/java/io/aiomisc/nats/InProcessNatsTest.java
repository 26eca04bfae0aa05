package io.aiomisc.nats;

import io.aiomisc.nats.testing.NatsServer;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the tests with in-process nodes share: one real nats-server per class, the secret, a fresh pool
 * name per test (so tests share no stream), and probes that tasks running on the nodes (in this JVM)
 * write to.
 */
abstract class InProcessNatsTest {
    static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes();
    static final Duration WAIT = Duration.ofSeconds(30);

    /** Names of the tasks that started on a node. */
    static final Set<String> STARTED = ConcurrentHashMap.newKeySet();

    /** Names of the tasks a node interrupted. */
    static final Set<String> INTERRUPTED = ConcurrentHashMap.newKeySet();

    private static final AtomicInteger POOLS = new AtomicInteger();

    static NatsServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = NatsServer.start();
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @BeforeEach
    void forgetProbes() {
        STARTED.clear();
        INTERRUPTED.clear();
    }

    /** A pool name no other test of this JVM uses. */
    static String newPool(String prefix) {
        return prefix + "-" + POOLS.incrementAndGet();
    }

    /** A task body: records its start under {@code name} and returns the name. */
    static String record(String name) {
        STARTED.add(name);
        return name;
    }

    /** A task body: records its start under {@code name}, waits until interrupted, and records that. */
    static String blockUntilInterrupted(String name) throws InterruptedException {
        STARTED.add(name);
        try {
            new CountDownLatch(1).await();
            return "never";
        } catch (InterruptedException e) {
            INTERRUPTED.add(name);
            throw e;
        }
    }
}
