package io.aiomisc.junit.extension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiomisc.Entrypoint;
import io.aiomisc.Service;
import io.aiomisc.junit.AiomiscTest;
import io.aiomisc.junit.Services;
import io.aiomisc.junit.UnusedPort;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/** The {@link Services} method: when the services start and stop, which method is used, and bad ones. */
class ServicesLifecycleTest {
    /** What the fixtures' services and bodies did, in order. */
    static final Queue<String> EVENTS = new ConcurrentLinkedQueue<>();
    /** The exception a fixture threw, for identity checks. */
    static final AtomicReference<Throwable> THROWN = new AtomicReference<>();

    @BeforeEach
    void clear() {
        EVENTS.clear();
        THROWN.set(null);
    }

    /** Records its start and stop in {@link #EVENTS}, and in whose entrypoint it started. */
    static final class Recording extends Service {
        private final String label;

        Recording(String label) {
            this.label = label;
        }

        @Override
        public void start() {
            EVENTS.add("start " + label + (entrypoint() == Entrypoint.current() ? "" : " in another entrypoint"));
        }

        @Override
        public void stop(Throwable exception) {
            EVENTS.add("stop " + label);
        }

        @Override
        public String name() {
            return label;
        }
    }

    /** The names of the services of the current entrypoint. */
    static String running() {
        List<String> names = new ArrayList<>();
        for (Service service : Entrypoint.current().services()) {
            names.add(service.name());
        }
        return String.join(",", names);
    }

    @AiomiscTest
    static class InstanceList {
        @UnusedPort
        int port;

        @Services
        List<Service> services() {
            EVENTS.add("services sees port " + (port > 0));
            return List.of(new Recording("instance"));
        }

        @Test
        void passes() {
            EVENTS.add("body with " + running());
        }

        @Test
        void fails() {
            EVENTS.add("body with " + running());
            throw new AssertionError("the body failed");
        }
    }

    @Test
    void servicesStartBeforeTheBodyAndStopAfterIt() {
        InnerRun.method(InstanceList.class, "passes").assertSucceeded(1);
        assertEquals(
                List.of("services sees port true", "start instance", "body with instance", "stop instance"),
                List.copyOf(EVENTS));
    }

    @Test
    void servicesStopAfterAFailingBody() {
        Throwable failure = InnerRun.method(InstanceList.class, "fails").failure("fails");
        assertEquals("the body failed", failure.getMessage());
        assertEquals(
                List.of("services sees port true", "start instance", "body with instance", "stop instance"),
                List.copyOf(EVENTS));
    }

    @AiomiscTest
    static class StaticArray {
        @Services
        static Service[] services() {
            return new Service[] {new Recording("static")};
        }

        @Test
        void body() {
            EVENTS.add("body with " + running());
        }
    }

    @Test
    void aStaticServicesMethodReturningAnArrayIsUsed() {
        InnerRun.of(StaticArray.class).assertSucceeded(1);
        assertEquals(List.of("start static", "body with static", "stop static"), List.copyOf(EVENTS));
    }

    @AiomiscTest
    static class SubtypeArray {
        @Services
        private Recording[] services() {
            return new Recording[] {new Recording("subtype")};
        }

        @Test
        void body() {
            EVENTS.add("body with " + running());
        }
    }

    @Test
    void aPrivateServicesMethodReturningAnArrayOfAServiceSubtypeIsUsed() {
        InnerRun.of(SubtypeArray.class).assertSucceeded(1);
        assertEquals(List.of("start subtype", "body with subtype", "stop subtype"), List.copyOf(EVENTS));
    }

    @AiomiscTest
    static class Subclass extends InstanceList {
        @Test
        void inheritedBody() {
            EVENTS.add("body with " + running());
        }
    }

    @Test
    void aSuperclassServicesMethodIsUsed() {
        InnerRun.method(Subclass.class, "inheritedBody").assertSucceeded(1);
        assertEquals(
                List.of("services sees port true", "start instance", "body with instance", "stop instance"),
                List.copyOf(EVENTS));
    }

    @AiomiscTest
    static class Outer {
        @Services
        List<Service> services() {
            return List.of(new Recording("outer"));
        }

        @Nested
        class WithItsOwn {
            @Services
            List<Service> services() {
                return List.of(new Recording("inner"));
            }

            @Test
            void innerBody() {
                EVENTS.add("inner body with " + running());
            }
        }

        @Nested
        class WithoutItsOwn {
            @Test
            void plainBody() {
                EVENTS.add("plain body with " + running());
            }
        }
    }

    @Test
    void theInnermostServicesMethodWinsForNestedClasses() {
        InnerRun run = InnerRun.of(Outer.class).assertSucceeded(2);
        assertTrue(EVENTS.contains("inner body with inner"), run::describe);
        assertTrue(EVENTS.contains("plain body with outer"), run::describe);
        assertEquals(2, EVENTS.stream().filter(e -> e.startsWith("start")).count(), EVENTS::toString);
        assertEquals(
                EVENTS.stream().filter(e -> e.startsWith("start")).count(),
                EVENTS.stream().filter(e -> e.startsWith("stop")).count());
    }

    @AiomiscTest
    static class TwoMethods {
        @Services
        List<Service> first() {
            return List.of(new Recording("first"));
        }

        @Services
        List<Service> second() {
            return List.of(new Recording("second"));
        }

        @Test
        void body() {
            EVENTS.add("body");
        }
    }

    @Test
    void twoServicesMethodsInOneClassFailTheTest() {
        Throwable failure = InnerRun.of(TwoMethods.class).failure("body");
        assertInstanceOf(ExtensionConfigurationException.class, failure);
        assertTrue(failure.getMessage().contains("more than one @Services method"), failure::getMessage);
        assertTrue(
                failure.getMessage().contains("first") && failure.getMessage().contains("second"), failure::getMessage);
        assertEquals(List.of(), List.copyOf(EVENTS), "neither the services nor the body ran");
    }

    @AiomiscTest
    static class WrongReturnType {
        @Services
        String services() {
            return "not services";
        }

        @Test
        void body() {
            EVENTS.add("body");
        }
    }

    @Test
    void aServicesMethodOfTheWrongReturnTypeFailsNamingIt() {
        Throwable failure = InnerRun.of(WrongReturnType.class).failure("body");
        assertInstanceOf(ExtensionConfigurationException.class, failure);
        assertTrue(failure.getMessage().contains("WrongReturnType.services()"), failure::getMessage);
        assertTrue(failure.getMessage().contains("not java.lang.String"), failure::getMessage);
        assertEquals(List.of(), List.copyOf(EVENTS));
    }

    @AiomiscTest
    static class ReturnsNull {
        @Services
        List<Service> services() {
            return null;
        }

        @Test
        void body() {
            EVENTS.add("body");
        }
    }

    @Test
    void aServicesMethodReturningNullFailsNamingIt() {
        Throwable failure = InnerRun.of(ReturnsNull.class).failure("body");
        assertInstanceOf(ExtensionConfigurationException.class, failure);
        assertTrue(failure.getMessage().contains("ReturnsNull.services() returned null"), failure::getMessage);
        assertEquals(List.of(), List.copyOf(EVENTS));
    }

    @AiomiscTest
    static class ReturnsANonService {
        @Services
        List<Object> services() {
            return List.of(new Recording("fine"), "a string");
        }

        @Test
        void body() {
            EVENTS.add("body");
        }
    }

    @Test
    void aServicesMethodReturningSomethingElseThanAServiceFailsNamingItAndTheIndex() {
        Throwable failure = InnerRun.of(ReturnsANonService.class).failure("body");
        assertInstanceOf(ExtensionConfigurationException.class, failure);
        assertTrue(failure.getMessage().contains("ReturnsANonService.services()"), failure::getMessage);
        assertTrue(failure.getMessage().contains("a java.lang.String at index 1"), failure::getMessage);
        assertEquals(List.of(), List.copyOf(EVENTS), "no service started");
    }

    @AiomiscTest
    static class TakesAnEntrypoint {
        @Services
        List<Service> services(Entrypoint entrypoint) {
            return List.of();
        }

        @Test
        void body() {
            EVENTS.add("body");
        }
    }

    @Test
    void aServicesMethodWithAParameterItCannotGetFailsNamingIt() {
        Throwable failure = InnerRun.of(TakesAnEntrypoint.class).failure("body");
        assertInstanceOf(ExtensionConfigurationException.class, failure);
        assertTrue(
                failure.getMessage().contains("TakesAnEntrypoint.services(io.aiomisc.Entrypoint)"),
                failure::getMessage);
        assertTrue(failure.getMessage().contains("only @UnusedPort int and @Localhost String"), failure::getMessage);
    }

    @AiomiscTest
    static class Throws {
        @Services
        List<Service> services() throws IOException {
            IOException thrown = new IOException("cannot make the services");
            THROWN.set(thrown);
            throw thrown;
        }

        @Test
        void body() {
            EVENTS.add("body");
        }
    }

    @Test
    void aThrowingServicesMethodFailsTheTestWithItsException() {
        Throwable failure = InnerRun.of(Throws.class).failure("body");
        assertNotNull(THROWN.get());
        assertSame(THROWN.get(), failure);
        assertEquals(List.of(), List.copyOf(EVENTS), "the body did not run");
    }

    @AiomiscTest
    static class ThrowsAnError {
        @Services
        List<Service> services() {
            StackOverflowError thrown = new StackOverflowError("deep");
            THROWN.set(thrown);
            throw thrown;
        }

        @Test
        void body() {
            EVENTS.add("body");
        }
    }

    @Test
    void aServicesMethodThrowingAnErrorFailsTheTestWithIt() {
        Throwable failure = InnerRun.of(ThrowsAnError.class).failure("body");
        assertSame(THROWN.get(), failure);
        assertEquals(List.of(), List.copyOf(EVENTS));
    }

    /** Fails its start with {@link #THROWN}'s exception. */
    static final class FailingStart extends Service {
        @Override
        public void start() throws Exception {
            IllegalStateException thrown = new IllegalStateException("no start today");
            THROWN.set(thrown);
            throw thrown;
        }
    }

    @AiomiscTest
    static class StartFails {
        @Services
        List<Service> services() {
            return List.of(new FailingStart());
        }

        @Test
        void body() {
            EVENTS.add("body");
        }
    }

    @Test
    void aServiceFailingToStartFailsTheTestWithItsExceptionWithoutRunningTheBody() {
        Throwable failure = InnerRun.of(StartFails.class).failure("body");
        assertSame(THROWN.get(), failure, () -> String.valueOf(failure));
        assertEquals(List.of(), List.copyOf(EVENTS));
    }
}
