package io.aiomisc.junit.extension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiomisc.Entrypoint;
import io.aiomisc.Service;
import io.aiomisc.junit.AiomiscTest;
import io.aiomisc.junit.Localhost;
import io.aiomisc.junit.Services;
import io.aiomisc.junit.UnusedPort;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Fixture classes run in parallel (classes and methods concurrent): every test gets an entrypoint, ports
 * and services of its own, and the tests really overlap (a barrier all of them must reach at once).
 */
class ParallelExecutionTest {
    private static final int CLASSES = 3;
    private static final int TESTS_PER_CLASS = 2;
    private static final int TESTS = CLASSES * TESTS_PER_CLASS;

    /** Every test of the fixtures waits here until all of them are running. */
    static volatile CyclicBarrier together;

    /** What each fixture test saw. */
    record Seen(String test, Entrypoint entrypoint, int port, int secondPort, boolean consistent) {}

    static final Queue<Seen> SEEN = new ConcurrentLinkedQueue<>();

    /** Listens on the test's port from start to stop. */
    static final class Listening extends Service {
        private final String host;
        private final int port;
        private volatile ServerSocketChannel server;

        Listening(String host, int port) {
            this.host = host;
            this.port = port;
        }

        @Override
        public void start() throws IOException {
            server = ServerSocketChannel.open().bind(new InetSocketAddress(host, port));
        }

        @Override
        public void stop(Throwable exception) throws IOException {
            server.close();
        }
    }

    @AiomiscTest(timeout = "PT30S")
    abstract static class Fixture {
        @UnusedPort
        int port;

        Listening listening;

        @Services
        List<Service> services(@Localhost String host) {
            listening = new Listening(host, port);
            return List.of(listening);
        }

        void check(String test, Entrypoint entrypoint, String host, int secondPort) throws Exception {
            try (SocketChannel client = SocketChannel.open(new InetSocketAddress(host, port))) {
                boolean consistent = Entrypoint.current() == entrypoint
                        && listening.entrypoint() == entrypoint
                        && entrypoint.services().equals(List.of(listening))
                        && client.isConnected();
                together.await(20, TimeUnit.SECONDS);
                SEEN.add(new Seen(getClass().getSimpleName() + "." + test, entrypoint, port, secondPort, consistent));
            }
        }

        @Test
        void first(Entrypoint entrypoint, @Localhost String host, @UnusedPort int other) throws Exception {
            check("first", entrypoint, host, other);
        }

        @Test
        void second(Entrypoint entrypoint, @Localhost String host, @UnusedPort int other) throws Exception {
            check("second", entrypoint, host, other);
        }
    }

    static class One extends Fixture {}

    static class Two extends Fixture {}

    static class Three extends Fixture {}

    @Test
    void parallelTestsEachGetTheirOwnEntrypointPortsAndServices() {
        SEEN.clear();
        together = new CyclicBarrier(TESTS);
        InnerRun.classes(
                        Map.of(
                                "junit.jupiter.execution.parallel.enabled", "true",
                                "junit.jupiter.execution.parallel.mode.default", "concurrent",
                                "junit.jupiter.execution.parallel.mode.classes.default", "concurrent",
                                // enough workers for every test to be running at once, whatever the CPU count
                                "junit.jupiter.execution.parallel.config.strategy", "fixed",
                                "junit.jupiter.execution.parallel.config.fixed.parallelism", String.valueOf(2 * TESTS)),
                        One.class,
                        Two.class,
                        Three.class)
                .assertSucceeded(TESTS);
        assertEquals(TESTS, SEEN.size(), SEEN::toString);
        Set<String> tests = new HashSet<>();
        Set<Entrypoint> entrypoints = new HashSet<>();
        Set<Integer> ports = new HashSet<>();
        for (Seen seen : SEEN) {
            assertTrue(seen.consistent(), seen::toString);
            assertTrue(seen.entrypoint().isClosed(), seen::toString);
            tests.add(seen.test());
            entrypoints.add(seen.entrypoint());
            ports.add(seen.port());
            ports.add(seen.secondPort());
        }
        assertEquals(TESTS, tests.size(), tests::toString);
        assertEquals(TESTS, entrypoints.size());
        assertEquals(2 * TESTS, ports.size(), () -> "no port shared: " + SEEN);
        assertFalse(together.isBroken(), "the barrier was not broken");
    }
}
