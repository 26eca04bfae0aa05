package io.aiomisc.dependency;

import static io.aiomisc.testing.TestEntrypoints.builder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiomisc.Entrypoint;
import io.aiomisc.Recorder;
import io.aiomisc.Service;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a start that cannot inject its services does: fails naming the dependency, starts nothing, tears down. */
class DependencyFailureTest {

    /** Records start and stop; its field {@code a} is the dependency named "a". */
    static final class NeedsA extends Service {
        private final Recorder events;

        @Inject
        private Object a;

        NeedsA(Recorder events) {
            this.events = events;
        }

        @Override
        public void start() {
            events.add("start NeedsA");
        }

        @Override
        public void stop(Throwable exception) {
            events.add("stop NeedsA");
        }
    }

    /** Records start and stop; its field needs "first". */
    static final class NeedsFirst extends Service {
        private final Recorder events;

        @Inject("first")
        private Object value;

        NeedsFirst(Recorder events) {
            this.events = events;
        }

        @Override
        public void start() {
            events.add("start NeedsFirst");
        }

        @Override
        public void stop(Throwable exception) {
            events.add("stop NeedsFirst");
        }
    }

    static final class NeedsGreeting extends Service {
        @Inject
        private String greeting;

        @Override
        public void start() {}
    }

    static final class StaticField extends Service {
        @Inject
        private static Object shared;

        @Override
        public void start() {}

        static Object shared() {
            return shared;
        }
    }

    static final class FinalField extends Service {
        @Inject
        private final Object shared;

        FinalField() {
            this.shared = null;
        }

        @Override
        public void start() {}

        Object shared() {
            return shared;
        }
    }

    static final class PrimitiveField extends Service {
        @Inject
        private int port;

        @Override
        public void start() {}

        int port() {
            return port;
        }
    }

    private static final String FIELD_A = NeedsA.class.getName() + ".a";

    @Test
    void aMissingDependencyFailsStartNamingItAndTheField() {
        Recorder events = new Recorder();
        Entrypoint ep = builder()
                .dependencies(new Dependencies())
                .services(new NeedsA(events))
                .build();
        DependencyException failure = assertThrows(DependencyException.class, ep::start);
        assertTrue(failure.getMessage().contains("no dependency 'a' is registered"), failure.getMessage());
        assertTrue(failure.getMessage().contains(FIELD_A), failure.getMessage());
        assertEquals(List.of(), events.events(), "no service started or stopped");
        assertThrows(IllegalStateException.class, ep::start, "the failed entrypoint is closed");
    }

    @Test
    void aMissingDependencyOfADependencyNamesTheChainThatNeededIt() {
        Dependencies dependencies = new Dependencies()
                .register("a", resolved -> resolved.get("b"))
                .register("b", resolved -> resolved.get("config"));
        Entrypoint ep = builder()
                .dependencies(dependencies)
                .services(new NeedsA(new Recorder()))
                .build();
        DependencyException failure = assertThrows(DependencyException.class, ep::start);
        assertTrue(failure.getMessage().contains("no dependency 'config' is registered"), failure.getMessage());
        assertTrue(failure.getMessage().contains("needed by b <- a"), failure.getMessage());
        assertTrue(failure.getMessage().contains(FIELD_A), failure.getMessage());
    }

    @Test
    void aCycleFailsStartAndTheMessageListsIt() {
        Recorder events = new Recorder();
        Dependencies dependencies = new Dependencies()
                .register("a", resolved -> resolved.get("b"), events.closer("a"))
                .register("b", resolved -> resolved.get("a"), events.closer("b"));
        Entrypoint ep = builder()
                .dependencies(dependencies)
                .services(new NeedsA(events))
                .build();
        DependencyException failure = assertThrows(DependencyException.class, ep::start);
        assertTrue(failure.getMessage().contains("dependency cycle: a -> b -> a"), failure.getMessage());
        assertTrue(failure.getMessage().contains(FIELD_A), failure.getMessage());
        assertEquals(List.of(), events.events(), "nothing was created, nothing started");
    }

    @Test
    void aProviderNeedingItselfIsACycleOfOne() {
        Dependencies dependencies = new Dependencies().register("a", resolved -> resolved.get("a"));
        Entrypoint ep = builder()
                .dependencies(dependencies)
                .services(new NeedsA(new Recorder()))
                .build();
        DependencyException failure = assertThrows(DependencyException.class, ep::start);
        assertTrue(failure.getMessage().contains("dependency cycle: a -> a"), failure.getMessage());
    }

    @Test
    void aCycleThroughTheEntrypointsScopeIsDetectedInsteadOfWaitingForever() {
        Dependencies dependencies = new Dependencies()
                .register("a", resolved -> resolved.get("b"))
                .register("b", resolved -> Entrypoint.current().dependencies().get("a"));
        Entrypoint ep = builder()
                .dependencies(dependencies)
                .services(new NeedsA(new Recorder()))
                .build();
        DependencyException failure = assertThrows(DependencyException.class, ep::start);
        assertTrue(failure.getMessage().contains("dependency cycle: a -> b -> a"), failure.getMessage());
    }

    @Test
    void aThrowingProviderFailsStartWithItsExceptionAsTheCauseAfterTearingDownWhatWasCreated() {
        Recorder events = new Recorder();
        IOException boom = new IOException("cannot connect");
        Dependencies dependencies = new Dependencies()
                .register(
                        "first",
                        resolved -> {
                            events.add("create first");
                            return "first";
                        },
                        events.closer("first"))
                .register(
                        "config",
                        resolved -> {
                            events.add("create config");
                            return "config";
                        },
                        events.closer("config"))
                .register("a", resolved -> {
                    resolved.get("config");
                    throw boom;
                });
        Entrypoint ep = builder()
                .dependencies(dependencies)
                .services(new NeedsFirst(events), new NeedsA(events))
                .build();
        DependencyException failure = assertThrows(DependencyException.class, ep::start);
        assertSame(boom, failure.getCause());
        assertTrue(failure.getMessage().contains("the provider of dependency 'a' failed"), failure.getMessage());
        assertTrue(failure.getMessage().contains(FIELD_A), failure.getMessage());
        assertEquals(
                List.of("create first", "create config", "close config", "close first"),
                events.events(),
                "no service started, and what was created is torn down by the time start() threw");
        IllegalStateException closed = assertThrows(
                IllegalStateException.class, () -> ep.dependencies().get("first"));
        assertTrue(closed.getMessage().contains("closed"), closed.getMessage());
    }

    @Test
    void aFailingTeardownAfterAFailedStartIsSuppressedInTheStartFailure() {
        IllegalStateException teardown = new IllegalStateException("teardown");
        RuntimeException boom = new RuntimeException("boom");
        Dependencies dependencies = new Dependencies()
                .register("first", resolved -> "first", value -> {
                    throw teardown;
                })
                .register("a", resolved -> {
                    throw boom;
                });
        Entrypoint ep = builder()
                .dependencies(dependencies)
                .services(new NeedsFirst(new Recorder()), new NeedsA(new Recorder()))
                .build();
        DependencyException failure = assertThrows(DependencyException.class, ep::start);
        assertSame(boom, failure.getCause());
        assertEquals(1, failure.getSuppressed().length);
        assertSame(teardown, failure.getSuppressed()[0].getCause());
    }

    @Test
    void aProviderReturningNullFailsStart() {
        Dependencies dependencies = new Dependencies().register("a", resolved -> null);
        Entrypoint ep = builder()
                .dependencies(dependencies)
                .services(new NeedsA(new Recorder()))
                .build();
        DependencyException failure = assertThrows(DependencyException.class, ep::start);
        assertTrue(failure.getMessage().contains("the provider of dependency 'a' returned null"), failure.getMessage());
        assertTrue(failure.getMessage().contains(FIELD_A), failure.getMessage());
        assertNull(failure.getCause());
    }

    @Test
    void aValueTheFieldCannotHoldFailsStartNamingBothAndIsTornDown() {
        Recorder events = new Recorder();
        Dependencies dependencies = new Dependencies().register("greeting", resolved -> 42, events.closer("greeting"));
        Entrypoint ep = builder()
                .dependencies(dependencies)
                .services(new NeedsGreeting())
                .build();
        DependencyException failure = assertThrows(DependencyException.class, ep::start);
        String message = failure.getMessage();
        assertTrue(message.contains("'greeting'"), message);
        assertTrue(message.contains("java.lang.Integer"), message);
        assertTrue(message.contains(NeedsGreeting.class.getName() + ".greeting"), message);
        assertTrue(message.contains("java.lang.String"), message);
        assertEquals(List.of("close greeting"), events.events());
    }

    @Test
    void aStaticInjectFieldFailsStart() {
        Dependencies dependencies = new Dependencies().register("shared", resolved -> "shared");
        Entrypoint ep =
                builder().dependencies(dependencies).services(new StaticField()).build();
        DependencyException failure = assertThrows(DependencyException.class, ep::start);
        assertTrue(failure.getMessage().contains(StaticField.class.getName() + ".shared"), failure.getMessage());
        assertTrue(failure.getMessage().contains("instance field"), failure.getMessage());
        assertNull(StaticField.shared());
    }

    @Test
    void aFinalInjectFieldFailsStart() {
        Dependencies dependencies = new Dependencies().register("shared", resolved -> "shared");
        FinalField service = new FinalField();
        Entrypoint ep = builder().dependencies(dependencies).services(service).build();
        DependencyException failure = assertThrows(DependencyException.class, ep::start);
        assertTrue(failure.getMessage().contains(FinalField.class.getName() + ".shared"), failure.getMessage());
        assertTrue(failure.getMessage().contains("final"), failure.getMessage());
        assertNull(service.shared());
    }

    @Test
    void aPrimitiveInjectFieldFailsStart() {
        Dependencies dependencies = new Dependencies().register("port", resolved -> 8080);
        PrimitiveField service = new PrimitiveField();
        Entrypoint ep = builder().dependencies(dependencies).services(service).build();
        DependencyException failure = assertThrows(DependencyException.class, ep::start);
        assertTrue(failure.getMessage().contains(PrimitiveField.class.getName() + ".port"), failure.getMessage());
        assertTrue(failure.getMessage().contains("primitive"), failure.getMessage());
        assertEquals(0, service.port());
    }

    @Test
    void aFailedInjectionOfAServiceAddedLaterRollsBackOnlyThatService() throws Exception {
        Recorder events = new Recorder();
        Dependencies dependencies = new Dependencies().register("first", resolved -> "first", events.closer("first"));
        try (Entrypoint ep = builder()
                .dependencies(dependencies)
                .services(new NeedsFirst(events))
                .start()) {
            NeedsA added = new NeedsA(events);
            DependencyException failure = assertThrows(DependencyException.class, () -> ep.startServices(added));
            assertTrue(failure.getMessage().contains("'a'"), failure.getMessage());
            assertEquals(List.of(ep.services().get(0)), ep.services());
            assertEquals("first", ep.dependencies().get("first"));
        }
        assertEquals(List.of("start NeedsFirst", "stop NeedsFirst", "close first"), events.events());
    }
}
