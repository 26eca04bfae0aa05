package io.aiomisc.dependency;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiomisc.Recorder;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** {@link Dependencies} and {@link DependencyScope} used directly, without an entrypoint. */
class DependencyScopeTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    /** A plain object (not a service) with injectable fields. */
    static final class Holder {
        @Inject
        private String greeting;

        @Inject("greeting")
        private CharSequence alias;
    }

    /** Runs {@code get} on a platform thread and keeps its result or failure. */
    static final class Getter {
        final AtomicReference<Object> value = new AtomicReference<>();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final AtomicBoolean interruptedAfter = new AtomicBoolean();
        final Thread thread;

        Getter(String name, Supplier<Object> get) {
            thread = Thread.ofPlatform().name(name).start(() -> {
                try {
                    value.set(get.get());
                } catch (Throwable e) {
                    failure.set(e);
                }
                interruptedAfter.set(Thread.currentThread().isInterrupted());
            });
        }

        /** Until the thread is parked on the future of a creation another thread runs. */
        void awaitWaiting() {
            await().atMost(PATIENCE)
                    .until(() -> thread.getState() == Thread.State.WAITING
                            && LockSupport.getBlocker(thread) != null
                            && LockSupport.getBlocker(thread)
                                    .getClass()
                                    .getName()
                                    .startsWith(CompletableFuture.class.getName()));
        }

        void join() throws InterruptedException {
            assertTrue(thread.join(PATIENCE), thread.getName() + " did not finish");
        }
    }

    @Test
    void aRegistryHoldsProvidersNotInstances() {
        Dependencies dependencies = new Dependencies().register("greeting", resolved -> "hello");
        IllegalStateException failure = assertThrows(IllegalStateException.class, () -> dependencies.get("greeting"));
        assertFalse(failure instanceof DependencyException, "a misuse, not a resolution failure");
        assertTrue(failure.getMessage().contains("DependencyScope"), failure.getMessage());
        assertThrows(IllegalStateException.class, () -> dependencies.get("greeting", String.class));
    }

    @Test
    void theViewAProviderIsGivenCannotRegisterOrOpenScopes() {
        AtomicReference<Dependencies> view = new AtomicReference<>();
        Dependencies dependencies = new Dependencies()
                .register("greeting", resolved -> {
                    view.set(resolved);
                    assertThrows(IllegalStateException.class, () -> resolved.register("other", r -> "x"));
                    assertThrows(IllegalStateException.class, () -> resolved.register("other", r -> "x", x -> {}));
                    assertThrows(IllegalStateException.class, () -> resolved.unregister("config"));
                    assertThrows(IllegalStateException.class, resolved::openScope);
                    assertEquals(Set.of("config", "greeting"), resolved.names());
                    return "hello";
                })
                .register("config", resolved -> "config");
        try (DependencyScope scope = dependencies.openScope()) {
            assertEquals("hello", scope.get("greeting"));
        }
        IllegalStateException failure =
                assertThrows(IllegalStateException.class, () -> view.get().register("late", r -> "x"));
        assertTrue(failure.getMessage().contains("register on the registry"), failure.getMessage());
        assertEquals(Set.of("config", "greeting"), dependencies.names(), "nothing was registered through the view");
    }

    @Test
    void namesMustBeNonNullAndNotBlank() {
        Dependencies dependencies = new Dependencies();
        Provider<String> provider = resolved -> "x";
        assertThrows(NullPointerException.class, () -> dependencies.register(null, provider));
        assertThrows(IllegalArgumentException.class, () -> dependencies.register("", provider));
        assertThrows(IllegalArgumentException.class, () -> dependencies.register(" \t", provider));
        assertThrows(IllegalArgumentException.class, () -> dependencies.register(" ", provider, value -> {}));
        assertThrows(NullPointerException.class, () -> dependencies.register("x", null));
        assertThrows(NullPointerException.class, () -> dependencies.register("x", provider, null));
        assertThrows(NullPointerException.class, () -> dependencies.unregister(null));
        assertEquals(Set.of(), dependencies.names());
        try (DependencyScope scope = dependencies.openScope()) {
            assertThrows(NullPointerException.class, () -> scope.get(null));
            assertThrows(NullPointerException.class, () -> scope.inject(null));
            DependencyException missing = assertThrows(DependencyException.class, () -> scope.get(" "));
            assertTrue(missing.getMessage().contains("no dependency ' ' is registered"), missing.getMessage());
        }
    }

    @Test
    void namesAreSortedAndUnregisterSaysWhetherOneWasThere() {
        Dependencies dependencies =
                new Dependencies().register("zeta", resolved -> "z").register("alpha", resolved -> "a");
        assertEquals(List.of("alpha", "zeta"), List.copyOf(dependencies.names()));
        assertTrue(dependencies.unregister("zeta"));
        assertFalse(dependencies.unregister("zeta"));
        assertEquals(Set.of("alpha"), dependencies.names());
    }

    @Test
    void aScopeCreatesEachDependencyOnceAndKeepsTheProvidersRegisteredWhenItOpened() {
        AtomicInteger calls = new AtomicInteger();
        Dependencies dependencies = new Dependencies().register("counter", resolved -> calls.incrementAndGet());
        try (DependencyScope scope = dependencies.openScope()) {
            assertEquals(List.of(), scope.created());
            dependencies.register("counter", resolved -> -1);
            dependencies.register("late", resolved -> "late");
            assertEquals(1, (int) scope.get("counter"));
            assertEquals(1, (int) scope.get("counter"));
            assertEquals(1, calls.get());
            assertThrows(DependencyException.class, () -> scope.get("late"));
            assertEquals(List.of("counter"), scope.created());
        }
        try (DependencyScope later = dependencies.openScope()) {
            assertEquals(-1, (int) later.get("counter"));
        }
    }

    @Test
    void injectSetsTheNullFieldsOfAnyObject() {
        Dependencies dependencies = new Dependencies().register("greeting", resolved -> "hello");
        try (DependencyScope scope = dependencies.openScope()) {
            Holder holder = new Holder();
            scope.inject(holder);
            assertEquals("hello", holder.greeting);
            assertSame(holder.greeting, holder.alias);

            Holder explicit = new Holder();
            explicit.greeting = "mine";
            scope.inject(explicit);
            assertEquals("mine", explicit.greeting);
            assertSame(holder.greeting, explicit.alias);
        }
    }

    @Test
    void theViewChecksTheTypeAskedFor() {
        Dependencies dependencies = new Dependencies()
                .register("number", resolved -> 42)
                .register("wrong", resolved -> resolved.get("number", String.class));
        try (DependencyScope scope = dependencies.openScope()) {
            DependencyException failure = assertThrows(DependencyException.class, () -> scope.get("wrong"));
            assertTrue(
                    failure.getMessage().contains("'number' is a java.lang.Integer, not a java.lang.String"),
                    failure.getMessage());
            assertEquals(List.of("number"), scope.created());
        }
    }

    @Test
    void closeTearsDownInReverseOrderOfCreationOnceAndLaterGetsFail() {
        Recorder events = new Recorder();
        Dependencies dependencies = new Dependencies()
                .register("a", resolved -> "a", events.closer("a"))
                .register("b", resolved -> "b+" + resolved.get("a"), events.closer("b"))
                .register("c", resolved -> "c", events.closer("c"))
                .register("untouched", resolved -> "u", events.closer("untouched"));
        DependencyScope scope = dependencies.openScope();
        assertEquals("c", scope.get("c"));
        assertEquals("b+a", scope.get("b"));
        assertEquals(List.of("c", "a", "b"), scope.created());
        scope.close();
        assertEquals(List.of("close b", "close a", "close c"), events.events());
        scope.close();
        assertEquals(3, events.events().size(), "close is idempotent");
        IllegalStateException failure = assertThrows(IllegalStateException.class, () -> scope.get("a"));
        assertTrue(failure.getMessage().contains("closed"), failure.getMessage());
        assertThrows(IllegalStateException.class, () -> scope.get("untouched"));
        assertThrows(IllegalStateException.class, () -> scope.inject(new Holder()));
    }

    @Test
    void closeReportsFailingTeardownsAfterRunningAllOfThem() {
        Recorder events = new Recorder();
        IllegalStateException first = new IllegalStateException("c failed");
        Error second = new AssertionError("a failed");
        Dependencies dependencies = new Dependencies()
                .register("a", resolved -> "a", value -> {
                    events.add("close a");
                    throw second;
                })
                .register("b", resolved -> "b", events.closer("b"))
                .register("c", resolved -> "c", value -> {
                    events.add("close c");
                    throw first;
                });
        DependencyScope scope = dependencies.openScope();
        scope.get("a");
        scope.get("b");
        scope.get("c");
        DependencyException failure = assertThrows(DependencyException.class, scope::close);
        assertEquals(List.of("close c", "close b", "close a"), events.events());
        assertTrue(failure.getMessage().contains("c, a"), failure.getMessage());
        assertSame(first, failure.getCause());
        assertEquals(List.of(second), List.of(failure.getSuppressed()));
        scope.close();
        assertEquals(3, events.events().size());
    }

    @Test
    void aFailedCreationIsNotCachedAndTheNextGetTriesAgain() {
        AtomicInteger calls = new AtomicInteger();
        Dependencies dependencies = new Dependencies().register("flaky", resolved -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("first call fails");
            }
            return "ok";
        });
        try (DependencyScope scope = dependencies.openScope()) {
            DependencyException failure = assertThrows(DependencyException.class, () -> scope.get("flaky"));
            assertInstanceOf(IllegalStateException.class, failure.getCause());
            assertEquals(List.of(), scope.created());
            assertEquals("ok", scope.get("flaky"));
            assertEquals(List.of("flaky"), scope.created());
        }
    }

    @Test
    void anInterruptedProviderLeavesTheInterruptStatusSet() {
        InterruptedException interrupted = new InterruptedException("provider interrupted");
        Dependencies dependencies = new Dependencies().register("a", resolved -> {
            throw interrupted;
        });
        try (DependencyScope scope = dependencies.openScope()) {
            DependencyException failure = assertThrows(DependencyException.class, () -> scope.get("a"));
            assertSame(interrupted, failure.getCause());
            assertTrue(Thread.interrupted(), "the interrupt status is set again (and cleared here)");
        }
    }

    @Test
    void twoThreadsAskingForTheSameSlowDependencyGetOneInstance() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        Dependencies dependencies = new Dependencies().register("slow", resolved -> {
            calls.incrementAndGet();
            entered.countDown();
            release.await();
            return new Object();
        });
        try (DependencyScope scope = dependencies.openScope()) {
            Getter creator = new Getter("di-creator", () -> scope.get("slow"));
            assertTrue(entered.await(PATIENCE.toSeconds(), TimeUnit.SECONDS));
            Getter waiter = new Getter("di-waiter", () -> scope.get("slow"));
            waiter.awaitWaiting(); // blocked on the creator's provider, not creating one of its own
            release.countDown();
            creator.join();
            waiter.join();
            assertNull(creator.failure.get());
            assertNull(waiter.failure.get());
            assertSame(creator.value.get(), waiter.value.get());
            assertSame(creator.value.get(), scope.get("slow"));
            assertEquals(1, calls.get());
            assertEquals(List.of("slow"), scope.created());
        }
    }

    @Test
    void aThreadWaitingForAnotherThreadsCreationSeesItsFailure() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        IllegalStateException boom = new IllegalStateException("boom");
        Dependencies dependencies = new Dependencies().register("slow", resolved -> {
            entered.countDown();
            release.await();
            throw boom;
        });
        try (DependencyScope scope = dependencies.openScope()) {
            Getter creator = new Getter("di-creator", () -> scope.get("slow"));
            assertTrue(entered.await(PATIENCE.toSeconds(), TimeUnit.SECONDS));
            Getter waiter = new Getter("di-waiter", () -> scope.get("slow"));
            waiter.awaitWaiting();
            release.countDown();
            creator.join();
            waiter.join();
            assertSame(boom, creator.failure.get().getCause());
            DependencyException seen = assertInstanceOf(DependencyException.class, waiter.failure.get());
            assertTrue(seen.getMessage().contains("'slow'"), seen.getMessage());
            assertSame(boom, seen.getCause(), "the waiter gets the provider's own exception as the creator does");
        }
    }

    @Test
    void aThreadInterruptedWhileWaitingForAnotherThreadsCreationGetsDependencyExceptionWithTheFlagSet()
            throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Dependencies dependencies = new Dependencies().register("slow", resolved -> {
            entered.countDown();
            release.await();
            return "slow";
        });
        try (DependencyScope scope = dependencies.openScope()) {
            Getter creator = new Getter("di-creator", () -> scope.get("slow"));
            assertTrue(entered.await(PATIENCE.toSeconds(), TimeUnit.SECONDS));
            Getter waiter = new Getter("di-waiter", () -> scope.get("slow"));
            waiter.awaitWaiting();
            waiter.thread.interrupt();
            waiter.join();
            DependencyException failure = assertInstanceOf(DependencyException.class, waiter.failure.get());
            assertTrue(
                    failure.getMessage().contains("interrupted while waiting for dependency 'slow'"),
                    failure.getMessage());
            assertInstanceOf(InterruptedException.class, failure.getCause());
            assertTrue(waiter.interruptedAfter.get(), "the interrupt status is set again");

            release.countDown(); // the creator is not disturbed by the waiter giving up
            creator.join();
            assertEquals("slow", creator.value.get());
            assertEquals("slow", scope.get("slow"));
        }
    }

    @Test
    void aScopeClosedWhileAProviderRunsTearsItsValueDownAndFailsTheGet() throws Exception {
        Recorder events = new Recorder();
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Dependencies dependencies = new Dependencies()
                .register(
                        "slow",
                        resolved -> {
                            entered.countDown();
                            release.await();
                            return "slow";
                        },
                        events.closer("slow"));
        DependencyScope scope = dependencies.openScope();
        Getter creator = new Getter("di-creator", () -> scope.get("slow"));
        assertTrue(entered.await(PATIENCE.toSeconds(), TimeUnit.SECONDS));
        scope.close();
        assertEquals(List.of(), events.events(), "nothing was created yet");
        release.countDown();
        creator.join();
        DependencyException failure = assertInstanceOf(DependencyException.class, creator.failure.get());
        assertTrue(
                failure.getMessage().contains("closed while dependency 'slow' was being created"),
                failure.getMessage());
        assertEquals(List.of("close slow"), events.events());
    }

    @Test
    void aProviderAskingTheScopeItselfForItsOwnDependencyIsACycleNotAWaitForever() {
        AtomicReference<DependencyScope> scope = new AtomicReference<>();
        Dependencies dependencies = new Dependencies()
                .register("a", resolved -> resolved.get("b"))
                .register("b", resolved -> scope.get().get("a"))
                .register("self", resolved -> scope.get().get("self"));
        try (DependencyScope opened = dependencies.openScope()) {
            scope.set(opened);
            DependencyException cycle = assertThrows(DependencyException.class, () -> opened.get("a"));
            assertTrue(cycle.getMessage().contains("dependency cycle: a -> b -> a"), cycle.getMessage());
            DependencyException self = assertThrows(DependencyException.class, () -> opened.get("self"));
            assertTrue(self.getMessage().contains("dependency cycle: self -> self"), self.getMessage());
            assertEquals(List.of(), opened.created());
        }
    }

    @Test
    void aCycleAcrossThreadsOfTheSameChainIsStillNamed() throws Exception {
        Dependencies dependencies = new Dependencies()
                .register("a", resolved -> {
                    AtomicReference<Throwable> failure = new AtomicReference<>();
                    Thread helper = Thread.ofPlatform().start(() -> {
                        try {
                            resolved.get("b");
                        } catch (Throwable e) {
                            failure.set(e);
                        }
                    });
                    helper.join();
                    throw (Exception) failure.get();
                })
                .register("b", resolved -> resolved.get("a"));
        try (DependencyScope scope = dependencies.openScope()) {
            DependencyException failure = assertThrows(DependencyException.class, () -> scope.get("a"));
            assertTrue(failure.getMessage().contains("dependency cycle: a -> b -> a"), failure.getMessage());
        }
    }

    @Test
    void theViewAProviderIsGivenStopsResolvingOnceTheProviderReturned() {
        AtomicReference<Dependencies> kept = new AtomicReference<>();
        Dependencies registry = new Dependencies()
                .register("config", resolved -> "cfg")
                .register("db", resolved -> {
                    kept.set(resolved);
                    return "db of " + resolved.get("config");
                });
        try (DependencyScope scope = registry.openScope()) {
            assertEquals("db of cfg", scope.get("db"));
            IllegalStateException late =
                    assertThrows(IllegalStateException.class, () -> kept.get().get("config"));
            assertTrue(late.getMessage().contains("provider of 'db' after that provider returned"), late.getMessage());
        }
    }
}
