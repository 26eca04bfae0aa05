package io.aiomisc.junit.extension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiomisc.Entrypoint;
import io.aiomisc.Service;
import io.aiomisc.dependency.Dependencies;
import io.aiomisc.dependency.Inject;
import io.aiomisc.junit.AiomiscTest;
import io.aiomisc.junit.ConfigureEntrypoint;
import io.aiomisc.junit.Services;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/** {@code @ConfigureEntrypoint}, the pool size's inheritance, and dynamic tests inside the entrypoint. */
class EntrypointConfigurationTest {
    static final Map<String, Object> SEEN = new ConcurrentHashMap<>();
    static final Queue<String> EVENTS = new ConcurrentLinkedQueue<>();

    @BeforeEach
    void clear() {
        SEEN.clear();
        EVENTS.clear();
    }

    /** A service that needs the "greeting" dependency. */
    static final class Greeter extends Service {
        @Inject
        String greeting;

        @Override
        public void start() {
            EVENTS.add("start " + greeting);
        }
    }

    @AiomiscTest
    static class WithDependencies {
        final Greeter greeter = new Greeter();

        @Services
        List<Service> services() {
            return List.of(greeter);
        }

        @ConfigureEntrypoint
        void configure(Entrypoint.Builder builder) {
            builder.dependencies(new Dependencies()
                            .register("greeting", resolved -> "hello", value -> EVENTS.add("teardown " + value)))
                    .shutdownTimeout(Duration.ofSeconds(7));
        }

        @Test
        void injected(Entrypoint entrypoint) {
            SEEN.put("greeting", greeter.greeting);
            SEEN.put("shutdownTimeout", entrypoint.shutdownTimeout());
            SEEN.put("created", entrypoint.dependencies().created());
        }
    }

    @Test
    void aConfigureMethodGivesTheTestsEntrypointItsDependenciesAndSettings() {
        InnerRun.of(WithDependencies.class).assertSucceeded(1);
        assertEquals("hello", SEEN.get("greeting"));
        assertEquals(Duration.ofSeconds(7), SEEN.get("shutdownTimeout"));
        assertEquals(List.of("greeting"), SEEN.get("created"));
        assertEquals(List.of("start hello", "teardown hello"), List.copyOf(EVENTS));
    }

    @AiomiscTest
    static class WrongShape {
        @ConfigureEntrypoint
        void configure(String builder) {}

        @Test
        void wrongShapeBody() {
            SEEN.put("body", true);
        }
    }

    @Test
    void aConfigureMethodOfAnotherShapeFailsTheTestNamingIt() {
        Throwable failure = InnerRun.of(WrongShape.class).failure("wrongShapeBody");
        assertInstanceOf(ExtensionConfigurationException.class, failure);
        assertTrue(failure.getMessage().contains("@ConfigureEntrypoint method"), failure::getMessage);
        assertTrue(failure.getMessage().contains("configure(java.lang.String)"), failure::getMessage);
        assertEquals(Map.of(), SEEN, "the body did not run");
    }

    static final IllegalStateException REFUSED = new IllegalStateException("refused");

    @AiomiscTest
    static class Throwing {
        @ConfigureEntrypoint
        static void configure(Entrypoint.Builder builder) {
            throw REFUSED;
        }

        @Test
        void throwingBody() {
            SEEN.put("body", true);
        }
    }

    @Test
    void aThrowingConfigureMethodFailsTheTestWithItsException() {
        assertSame(REFUSED, InnerRun.of(Throwing.class).failure("throwingBody"));
        assertEquals(Map.of(), SEEN);
    }

    @AiomiscTest(poolSize = 3)
    static class PoolSizes {
        @Test
        @AiomiscTest(timeout = "PT30S")
        void inheritsTheClassPoolSize(Entrypoint entrypoint) throws InterruptedException {
            SEEN.put("inherited", poolSize(entrypoint));
        }

        @Test
        @AiomiscTest(poolSize = 2)
        void ownPoolSize(Entrypoint entrypoint) throws InterruptedException {
            SEEN.put("own", poolSize(entrypoint));
        }

        /** The number of the pool's threads: the most tasks that can meet at a barrier at once. */
        private static int poolSize(Entrypoint entrypoint) throws InterruptedException {
            for (int parties = 1; ; parties++) {
                if (!meet(entrypoint, parties)) {
                    return parties - 1;
                }
            }
        }

        /** True if {@code parties} tasks of the pool all reach a barrier (a pool too small times out). */
        private static boolean meet(Entrypoint entrypoint, int parties) throws InterruptedException {
            CyclicBarrier barrier = new CyclicBarrier(parties);
            List<Future<?>> tasks = new ArrayList<>();
            for (int i = 0; i < parties; i++) {
                tasks.add(entrypoint.threadPool().submit(() -> barrier.await(3, TimeUnit.SECONDS)));
            }
            boolean met = true;
            for (Future<?> task : tasks) {
                try {
                    task.get();
                } catch (ExecutionException e) {
                    met = false;
                }
            }
            return met;
        }
    }

    @Test
    void aMethodAnnotationWithoutAPoolSizeKeepsTheClasssAndOneWithItWins() {
        InnerRun.of(PoolSizes.class).assertSucceeded(2);
        assertEquals(Map.of("inherited", 3, "own", 2), SEEN);
    }

    @AiomiscTest
    static class Dynamic {
        @TestFactory
        Stream<DynamicTest> dynamic(Entrypoint entrypoint) {
            SEEN.put("factory", Entrypoint.current() == entrypoint);
            return Stream.of("a", "b")
                    .map(name -> DynamicTest.dynamicTest(name, () -> {
                        SEEN.put(name, Entrypoint.current() == entrypoint && entrypoint.isRunning());
                    }));
        }
    }

    @Test
    void aTestFactoryAndItsDynamicTestsRunInsideTheEntrypoint() {
        InnerRun.of(Dynamic.class).assertSucceeded(2);
        assertEquals(Map.of("factory", true, "a", true, "b", true), SEEN);
    }
}
