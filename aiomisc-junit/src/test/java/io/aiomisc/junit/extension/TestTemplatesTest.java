package io.aiomisc.junit.extension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiomisc.Entrypoint;
import io.aiomisc.Service;
import io.aiomisc.junit.AiomiscTest;
import io.aiomisc.junit.Services;
import io.aiomisc.junit.UnusedPort;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Test templates ({@code @RepeatedTest}, {@code @ParameterizedTest}) run each invocation in an entrypoint of its own. */
class TestTemplatesTest {
    /** What an invocation saw. */
    record Seen(String invocation, Entrypoint entrypoint, boolean current, boolean servicesRunning, int port) {}

    static final Queue<Seen> SEEN = new ConcurrentLinkedQueue<>();

    @BeforeEach
    void clear() {
        SEEN.clear();
    }

    /** Running from its start to its stop. */
    static final class Flag extends Service {
        volatile boolean running;

        @Override
        public void start() {
            running = true;
        }

        @Override
        public void stop(Throwable exception) {
            running = false;
        }
    }

    @AiomiscTest
    static class Templates {
        @UnusedPort
        int port;

        Flag flag;

        @Services
        List<Service> services() {
            flag = new Flag();
            return List.of(flag);
        }

        @RepeatedTest(3)
        void repeated(Entrypoint entrypoint, RepetitionInfo repetition) {
            SEEN.add(new Seen(
                    "repetition " + repetition.getCurrentRepetition(),
                    entrypoint,
                    Entrypoint.current() == entrypoint,
                    flag.running,
                    port));
        }

        @ParameterizedTest
        @ValueSource(strings = {"a", "b"})
        void parameterized(String value, Entrypoint entrypoint) {
            SEEN.add(new Seen("value " + value, entrypoint, Entrypoint.current() == entrypoint, flag.running, port));
        }
    }

    void assertEachInvocationHadItsOwnEntrypoint(List<String> invocations) {
        assertEquals(invocations.size(), SEEN.size(), SEEN::toString);
        Set<String> names = new HashSet<>();
        Set<Entrypoint> entrypoints = new HashSet<>();
        Set<Integer> ports = new HashSet<>();
        for (Seen seen : SEEN) {
            assertTrue(seen.current() && seen.servicesRunning() && seen.port() > 0, seen::toString);
            assertTrue(seen.entrypoint().isClosed(), seen::toString);
            names.add(seen.invocation());
            entrypoints.add(seen.entrypoint());
            ports.add(seen.port());
        }
        assertEquals(Set.copyOf(invocations), names);
        assertEquals(invocations.size(), entrypoints.size());
        assertEquals(invocations.size(), ports.size());
    }

    @Test
    void eachRepetitionRunsInAnEntrypointOfItsOwnWithItsServices() {
        InnerRun.method(Templates.class, "repeated").assertSucceeded(3);
        assertEachInvocationHadItsOwnEntrypoint(List.of("repetition 1", "repetition 2", "repetition 3"));
    }

    @Test
    void eachParameterizedInvocationRunsInAnEntrypointOfItsOwnWithItsServices() {
        InnerRun.method(Templates.class, "parameterized").assertSucceeded(2);
        assertEachInvocationHadItsOwnEntrypoint(List.of("value a", "value b"));
    }
}
