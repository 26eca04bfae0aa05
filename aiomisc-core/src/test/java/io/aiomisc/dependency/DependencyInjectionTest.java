package io.aiomisc.dependency;

import static io.aiomisc.testing.TestEntrypoints.builder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiomisc.Entrypoint;
import io.aiomisc.Recorder;
import io.aiomisc.Service;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Injection of {@link Inject} fields through real entrypoints: values, sharing, teardown, registration. */
class DependencyInjectionTest {

    /** Records what its private, field-named {@code greeting} held when start() ran. */
    static final class Greeter extends Service {
        @Inject
        private String greeting;

        volatile String seenAtStart;

        Greeter() {}

        Greeter(String greeting) {
            this.greeting = greeting;
        }

        @Override
        public void start() {
            seenAtStart = greeting;
        }

        String greeting() {
            return greeting;
        }
    }

    /** A base class with a private field injected under another name than its own. */
    abstract static class ConfiguredService extends Service {
        @Inject("config")
        private String settings;

        String settings() {
            return settings;
        }
    }

    static final class Api extends ConfiguredService {
        @Inject
        private StringBuilder db;

        volatile String seenAtStart;

        @Override
        public void start() {
            seenAtStart = settings() + "/" + db;
        }

        StringBuilder db() {
            return db;
        }
    }

    /** Holds the "shared" dependency and records start/stop. */
    static final class User extends Service {
        private final Recorder events;
        private final String name;

        @Inject
        private Object shared;

        User(Recorder events, String name) {
            this.events = events;
            this.name = name;
        }

        @Override
        public void start() {
            events.add("start " + name);
        }

        @Override
        public void stop(Throwable exception) {
            events.add("stop " + name);
        }

        Object shared() {
            return shared;
        }

        @Override
        public String name() {
            return name;
        }
    }

    /** A service needing a dependency no other test registers globally. */
    static final class NeedsGlobal extends Service {
        static final String NAME = "io.aiomisc.dependency.test.global";

        @Inject(NAME)
        private Object db;

        @Override
        public void start() {}

        Object db() {
            return db;
        }
    }

    @Test
    void aPrivateFieldReceivesTheDependencyNamedAfterItBeforeStartRuns() throws Exception {
        Dependencies dependencies = new Dependencies().register("greeting", resolved -> "hello");
        Greeter greeter = new Greeter();
        try (Entrypoint ep =
                builder().dependencies(dependencies).services(greeter).start()) {
            assertEquals("hello", greeter.seenAtStart);
            assertEquals(List.of("greeting"), ep.dependencies().created());
        }
    }

    @Test
    void aNamedInjectAndFieldsOfSuperclassesAreInjected() throws Exception {
        Dependencies dependencies = new Dependencies()
                .register("config", resolved -> "cfg")
                .register("settings", resolved -> {
                    throw new AssertionError("the field's own name must not be used when @Inject names one");
                })
                .register("db", resolved -> new StringBuilder("db"));
        Api api = new Api();
        try (Entrypoint ep = builder().dependencies(dependencies).services(api).start()) {
            assertEquals("cfg/db", api.seenAtStart);
            assertEquals(Set.of("config", "db"), Set.copyOf(ep.dependencies().created()));
        }
    }

    @Test
    void aFieldSetByTheConstructorIsKeptAndNeedsNoProvider() throws Exception {
        Greeter unregistered = new Greeter("explicit");
        try (Entrypoint ep = builder()
                .dependencies(new Dependencies())
                .services(unregistered)
                .start()) {
            assertEquals("explicit", unregistered.seenAtStart);
            assertEquals(List.of(), ep.dependencies().created());
        }

        AtomicInteger calls = new AtomicInteger();
        Dependencies registered = new Dependencies().register("greeting", resolved -> {
            calls.incrementAndGet();
            return "from provider";
        });
        Greeter explicit = new Greeter("explicit");
        try (Entrypoint ep =
                builder().dependencies(registered).services(explicit).start()) {
            assertEquals("explicit", explicit.seenAtStart);
            assertEquals(0, calls.get(), "an explicit value wins: the provider is not even called");
            assertEquals(List.of(), ep.dependencies().created());
        }
    }

    @Test
    void twoServicesShareOneInstanceCreatedOncePerEntrypoint() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Dependencies dependencies = new Dependencies().register("shared", resolved -> {
            calls.incrementAndGet();
            return new Object();
        });
        Recorder events = new Recorder();
        User a = new User(events, "a");
        User b = new User(events, "b");
        Object first;
        try (Entrypoint ep = builder().dependencies(dependencies).services(a, b).start()) {
            first = a.shared();
            assertSame(first, b.shared());
            assertSame(first, ep.dependencies().get("shared"));
            assertEquals(1, calls.get());
        }

        User c = new User(events, "c");
        try (Entrypoint ep = builder().dependencies(dependencies).services(c).start()) {
            assertNotSame(first, c.shared(), "a second entrypoint gets an instance of its own");
            assertEquals(2, calls.get());
        }
    }

    @Test
    void aProviderReadsTheDependenciesItDependsOnFromTheViewItIsGiven() throws Exception {
        AtomicInteger configs = new AtomicInteger();
        Dependencies dependencies = new Dependencies()
                .register("db", resolved -> new StringBuilder(resolved.get("config", String.class)))
                .register("config", resolved -> "cfg" + configs.incrementAndGet());
        Api api = new Api();
        try (Entrypoint ep = builder().dependencies(dependencies).services(api).start()) {
            // config is created by db's provider (when Api.db is injected) or for Api.settings: once either way
            assertEquals("cfg1/cfg1", api.seenAtStart);
            assertEquals(1, configs.get());
            assertEquals(List.of("config", "db"), ep.dependencies().created());
        }
    }

    @Test
    void dependenciesAreTornDownInReverseOrderOfCreationAfterTheServicesStopped() throws Exception {
        Recorder events = new Recorder();
        Dependencies dependencies = new Dependencies()
                .register(
                        "shared",
                        resolved -> {
                            events.add("create shared");
                            return List.of(resolved.get("pool"), resolved.get("config"));
                        },
                        events.closer("shared"))
                .register(
                        "pool",
                        resolved -> {
                            events.add("create pool");
                            return "pool";
                        },
                        events.closer("pool"))
                .register(
                        "config",
                        resolved -> {
                            events.add("create config");
                            return "config";
                        },
                        events.closer("config"));
        try (Entrypoint ep = builder()
                .dependencies(dependencies)
                .services(new User(events, "a"))
                .start()) {
            assertEquals(List.of("pool", "config", "shared"), ep.dependencies().created());
        }
        assertEquals(
                List.of(
                        "create shared",
                        "create pool",
                        "create config",
                        "start a",
                        "stop a",
                        "close shared",
                        "close config",
                        "close pool"),
                events.events());
    }

    @Test
    void aFailingTeardownSurfacesFromCloseAndTheOtherTeardownsStillRun() throws Exception {
        Recorder events = new Recorder();
        IllegalStateException broken = new IllegalStateException("cannot close pool");
        Dependencies dependencies = new Dependencies()
                .register("config", resolved -> "config", events.closer("config"))
                .register("pool", resolved -> "pool", pool -> {
                    events.add("close pool");
                    throw broken;
                })
                .register(
                        "shared",
                        resolved -> resolved.get("config") + "+" + resolved.get("pool"),
                        events.closer("shared"));
        Entrypoint ep = builder()
                .dependencies(dependencies)
                .services(new User(events, "a"))
                .start();
        DependencyException failure = assertThrows(DependencyException.class, ep::close);
        assertSame(broken, failure.getCause());
        assertTrue(failure.getMessage().contains("pool"), failure.getMessage());
        assertEquals(List.of("start a", "stop a", "close shared", "close pool", "close config"), events.events());
        ep.close(); // closed is closed: nothing runs twice, nothing is thrown again
        assertEquals(5, events.events().size());
    }

    @Test
    void registeringANameAgainReplacesItsProvider() throws Exception {
        Dependencies dependencies =
                new Dependencies().register("greeting", resolved -> "old").register("greeting", resolved -> "new");
        Greeter greeter = new Greeter();
        try (Entrypoint ep =
                builder().dependencies(dependencies).services(greeter).start()) {
            assertEquals("new", greeter.seenAtStart);
        }
        assertEquals(Set.of("greeting"), dependencies.names());
    }

    @Test
    void registeringAfterAnEntrypointStartedAppliesOnlyToEntrypointsStartedLater() throws Exception {
        Dependencies dependencies = new Dependencies().register("greeting", resolved -> "before");
        Greeter early = new Greeter();
        try (Entrypoint first =
                builder().dependencies(dependencies).services(early).start()) {
            dependencies.register("greeting", resolved -> "after");
            dependencies.register("late", resolved -> "late");
            dependencies.unregister("unknown");

            Greeter added = new Greeter();
            first.startServices(added); // injected from the first entrypoint's snapshot
            assertEquals("before", added.seenAtStart);
            DependencyException missing = assertThrows(
                    DependencyException.class, () -> first.dependencies().get("late"));
            assertTrue(missing.getMessage().contains("'late'"), missing.getMessage());

            Greeter later = new Greeter();
            try (Entrypoint second =
                    builder().dependencies(dependencies).services(later).start()) {
                assertEquals("after", later.seenAtStart);
                assertEquals("late", second.dependencies().get("late"));
            }
        }
        assertEquals("before", early.seenAtStart);
    }

    @Test
    void unregisteringAfterAnEntrypointStartedLeavesItsScopeAlone() throws Exception {
        Dependencies dependencies = new Dependencies().register("greeting", resolved -> "hello");
        try (Entrypoint ep = builder().dependencies(dependencies).start()) {
            assertTrue(dependencies.unregister("greeting"));
            assertFalse(dependencies.unregister("greeting"));
            assertEquals("hello", ep.dependencies().get("greeting"));
        }
    }

    @Test
    void anEntrypointBuiltWithoutDependenciesUsesTheGlobalRegistry() throws Exception {
        String name = NeedsGlobal.NAME;
        assertFalse(Dependencies.global().names().contains(name), "another test left " + name + " registered");
        Object db = new Object();
        Dependencies.global().register(name, resolved -> db);
        try {
            NeedsGlobal service = new NeedsGlobal();
            try (Entrypoint ep = builder().services(service).start()) {
                assertSame(db, service.db());
                assertSame(db, ep.dependencies().get(name));
            }
        } finally {
            assertTrue(Dependencies.global().unregister(name));
        }
        assertSame(Dependencies.global(), Dependencies.global());
    }

    @Test
    void aPreStartReceiverMayRegisterADependencyForTheServicesBeingStarted() throws Exception {
        Dependencies dependencies = new Dependencies();
        Greeter greeter = new Greeter();
        Entrypoint ep = builder().dependencies(dependencies).services(greeter).build();
        AtomicReference<Throwable> scopeDuringPreStart = new AtomicReference<>();
        ep.preStart().connect((entrypoint, services) -> {
            dependencies.register("greeting", resolved -> "registered");
            try {
                entrypoint.dependencies();
            } catch (IllegalStateException e) {
                scopeDuringPreStart.set(e);
            }
        });
        try (ep) {
            ep.start();
            assertEquals("registered", greeter.seenAtStart);
            assertEquals(List.of("greeting"), ep.dependencies().created());
        }
        assertInstanceOf(
                IllegalStateException.class,
                scopeDuringPreStart.get(),
                "the scope is opened after PRE_START, over what its receivers registered");
    }

    @Test
    void startServicesInjectsTheNewServicesFromTheRunningEntrypointsScope() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Dependencies dependencies = new Dependencies()
                .register("shared", resolved -> {
                    calls.incrementAndGet();
                    return new Object();
                })
                .register("greeting", resolved -> {
                    Entrypoint.current(); // the running entrypoint is current for a later injection too
                    return "hello";
                });
        Recorder events = new Recorder();
        User first = new User(events, "first");
        try (Entrypoint ep =
                builder().dependencies(dependencies).services(first).start()) {
            User second = new User(events, "second");
            Greeter greeter = new Greeter();
            ep.startServices(second, greeter);
            assertSame(first.shared(), second.shared());
            assertEquals(1, calls.get());
            assertEquals("hello", greeter.seenAtStart);
            assertEquals(List.of("shared", "greeting"), ep.dependencies().created());
        }
    }

    @Test
    void entrypointCurrentWorksInsideAProvider() throws Exception {
        AtomicReference<Entrypoint> seen = new AtomicReference<>();
        Dependencies dependencies = new Dependencies()
                .register("greeting", resolved -> {
                    seen.set(Entrypoint.current());
                    // another dependency through the entrypoint's scope, not the view: also fine
                    return Entrypoint.current().dependencies().get("config") + "!";
                })
                .register("config", resolved -> "hello");
        Greeter greeter = new Greeter();
        try (Entrypoint ep =
                builder().dependencies(dependencies).services(greeter).start()) {
            assertSame(ep, seen.get());
            assertEquals("hello!", greeter.seenAtStart);
        }
    }

    @Test
    void theScopeOfAnEntrypointIsClosedOnceItStopped() throws Exception {
        Dependencies dependencies = new Dependencies().register("greeting", resolved -> "hello");
        Entrypoint ep = builder().dependencies(dependencies).build();
        assertThrows(IllegalStateException.class, ep::dependencies);
        DependencyScope scope;
        try (ep) {
            ep.start();
            scope = ep.dependencies();
            assertEquals("hello", scope.get("greeting"));
        }
        IllegalStateException closed = assertThrows(IllegalStateException.class, () -> scope.get("greeting"));
        assertTrue(closed.getMessage().contains("closed"), closed.getMessage());
    }

    @Test
    void entrypointsSharingARegistryEachGetInstancesOfTheirOwn() throws Exception {
        Dependencies dependencies = new Dependencies()
                .register("greeting", resolved -> UUID.randomUUID().toString());
        List<Entrypoint> entrypoints = new ArrayList<>();
        List<Greeter> greeters = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                Greeter greeter = new Greeter();
                greeters.add(greeter);
                entrypoints.add(
                        builder().dependencies(dependencies).services(greeter).start());
            }
            assertEquals(3, greeters.stream().map(Greeter::greeting).distinct().count());
            for (int i = 0; i < 3; i++) {
                assertSame(
                        greeters.get(i).greeting(),
                        entrypoints.get(i).dependencies().get("greeting"));
            }
        } finally {
            for (Entrypoint ep : entrypoints) {
                ep.close();
            }
        }
    }
}
