package io.aiomisc.dependency;

import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.lang.reflect.InaccessibleObjectException;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dependencies of one entrypoint: aiomisc-dependency's session. Each dependency is created at
 * most once, when first needed ({@link #get}, {@link #inject}), by its provider on the thread that
 * needs it; {@link #close()} tears the created ones down in reverse order of creation, so a
 * dependency outlives every dependency created with its help.
 *
 * <p>An entrypoint opens one when it starts, injects its services before their {@code start()}, and
 * closes it after its services stopped (also after a failed start). Opened by
 * {@link Dependencies#openScope()} it is usable without an entrypoint too.
 *
 * <p>Thread-safe; providers and teardowns run with no lock of ours held. Two threads needing the
 * same dependency get the same instance: the second waits for the first's provider.
 */
public final class DependencyScope implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DependencyScope.class);

    private final Map<String, Dependencies.Registration> providers;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, CompletableFuture<Object>> instances = new HashMap<>(); // guarded by lock
    private final List<Created> created = new ArrayList<>(); // guarded by lock; in order of creation
    private boolean closed; // guarded by lock
    // the dependencies the current thread is creating in this scope, outermost first: a provider that
    // asks for one of them by another route than its view (Entrypoint.current().dependencies()) would
    // otherwise wait for its own thread forever
    private final ThreadLocal<List<String>> creating = new ThreadLocal<>();

    private record Created(String name, Object value, Consumer<Object> close) {}

    DependencyScope(Map<String, Dependencies.Registration> providers) {
        this.providers = providers;
    }

    /**
     * The dependency {@code name}, created first if this scope has not created it yet.
     *
     * <p><b>Blocks</b> while its provider (and those of its dependencies) run on this thread, or
     * while another thread creates it. <b>Interrupt:</b> while waiting for another thread, throws a
     * {@link DependencyException} with the interrupt status set.
     *
     * @param name the dependency's name
     * @param <T>  the type the caller expects (unchecked)
     * @return this scope's instance
     * @throws DependencyException   if none is registered under {@code name}, the providers form a
     *                               cycle, or a provider fails or returns null
     * @throws IllegalStateException if the scope is closed
     */
    @SuppressWarnings("unchecked")
    public <T> T get(String name) {
        Objects.requireNonNull(name, "name");
        return (T) resolve(name, List.of());
    }

    /**
     * Sets every {@link Inject} field of {@code target} (its class's and its superclasses') that is
     * still null to its dependency; fields that hold a value keep it.
     *
     * <p><b>Blocks</b> as {@link #get} does, for each dependency it creates.
     *
     * @param target the object to inject, typically a service
     * @throws DependencyException   if a needed dependency cannot be resolved (the message names the
     *                               field), does not fit its field, or an {@code @Inject} field is
     *                               static, final, primitive or inaccessible
     * @throws IllegalStateException if the scope is closed
     */
    public void inject(Object target) {
        Objects.requireNonNull(target, "target");
        for (Class<?> type = target.getClass(); type != null && type != Object.class; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                Inject inject = field.getAnnotation(Inject.class);
                if (inject != null) {
                    injectField(target, field, inject.value().isEmpty() ? field.getName() : inject.value());
                }
            }
        }
    }

    private void injectField(Object target, Field field, String name) {
        String where = field.getDeclaringClass().getName() + "." + field.getName();
        int modifiers = field.getModifiers();
        if (Modifier.isStatic(modifiers)
                || Modifier.isFinal(modifiers)
                || field.getType().isPrimitive()) {
            throw new DependencyException("@Inject field " + where
                    + " must be an instance field that is neither final nor of a primitive type");
        }
        try {
            field.setAccessible(true);
        } catch (InaccessibleObjectException e) {
            throw new DependencyException(
                    "@Inject field " + where + " is not accessible: open package "
                            + field.getDeclaringClass().getPackageName() + " to io.aiomisc.core",
                    e);
        }
        try {
            if (field.get(target) != null) {
                return; // set by the constructor: explicit arguments win
            }
            Object value;
            try {
                value = resolve(name, List.of());
            } catch (DependencyException e) {
                throw new DependencyException(e.getMessage() + " (for field " + where + ")", e.getCause());
            }
            Class<?> expected = MethodType.methodType(field.getType()).wrap().returnType();
            if (!expected.isInstance(value)) {
                throw new DependencyException(
                        "dependency '" + name + "' is a " + value.getClass().getName() + ", which field " + where
                                + " of type " + field.getType().getName() + " cannot hold");
            }
            field.set(target, value);
        } catch (IllegalAccessException e) {
            throw new DependencyException("@Inject field " + where + " is not accessible", e);
        }
    }

    /**
     * The names of the dependencies created so far, in order of creation.
     *
     * @return a snapshot
     */
    public List<String> created() {
        lock.lock();
        try {
            List<String> names = new ArrayList<>(created.size());
            for (Created entry : created) {
                names.add(entry.name());
            }
            return names;
        } finally {
            lock.unlock();
        }
    }

    Set<String> names() {
        return providers.keySet();
    }

    /** Resolves {@code name} for the chain of dependencies {@code path} being created on this thread. */
    Object resolve(String name, List<String> path) {
        if (path.contains(name)) {
            throw cycle(path, name);
        }
        List<String> here = creating.get();
        if (here != null && here.contains(name)) {
            throw cycle(here, name);
        }
        CompletableFuture<Object> instance;
        Dependencies.Registration registration;
        boolean mine = false;
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("the dependency scope is closed: cannot get '" + name + "'");
            }
            instance = instances.get(name);
            registration = providers.get(name);
            if (instance == null) {
                if (registration == null) {
                    throw new DependencyException("no dependency '" + name + "' is registered"
                            + (path.isEmpty() ? "" : " (needed by " + String.join(" <- ", reversed(path)) + ")"));
                }
                instance = new CompletableFuture<>();
                instances.put(name, instance);
                mine = true;
            }
        } finally {
            lock.unlock();
        }
        return mine ? create(name, path, registration, instance) : awaitOther(name, instance);
    }

    private Object create(
            String name,
            List<String> path,
            Dependencies.Registration registration,
            CompletableFuture<Object> instance) {
        Object value;
        List<String> here = creating.get();
        if (here == null) {
            here = new ArrayList<>();
            creating.set(here);
        }
        here.add(name);
        try {
            Dependencies view = Dependencies.view(this, Dependencies.extend(path, name));
            try {
                value = registration.provider().provide(view);
            } finally {
                view.expire();
            }
            if (value == null) {
                throw new DependencyException("the provider of dependency '" + name + "' returned null");
            }
        } catch (DependencyException e) {
            forget(name, instance, e);
            throw e; // names the dependency that could not be made, and its chain
        } catch (Exception | Error e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            DependencyException failure =
                    new DependencyException("the provider of dependency '" + name + "' failed: " + e, e);
            forget(name, instance, failure);
            throw failure;
        } finally {
            here.remove(here.size() - 1);
            if (here.isEmpty()) {
                creating.remove();
            }
        }
        boolean lateClose;
        lock.lock();
        try {
            lateClose = closed;
            if (!lateClose) {
                created.add(new Created(name, value, registration.close()));
            }
        } finally {
            lock.unlock();
        }
        if (lateClose) { // the scope closed while the provider ran: nobody else will tear it down
            tearDown(name, value, registration.close());
            DependencyException failure = new DependencyException(
                    "the dependency scope closed while dependency '" + name + "' was being created");
            instance.completeExceptionally(failure);
            throw failure;
        }
        instance.complete(value);
        return value;
    }

    /** A failed creation is not cached: the next get tries again (the entrypoint's start has failed anyway). */
    private void forget(String name, CompletableFuture<Object> instance, Throwable failure) {
        lock.lock();
        try {
            instances.remove(name, instance);
        } finally {
            lock.unlock();
        }
        instance.completeExceptionally(failure);
    }

    private static Object awaitOther(String name, CompletableFuture<Object> instance) {
        try {
            return instance.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DependencyException("interrupted while waiting for dependency '" + name + "'", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof DependencyException failure) {
                // the creator's failure, with the same cause the creator's caller got (the provider's own)
                DependencyException same = new DependencyException(
                        failure.getMessage(), failure.getCause() != null ? failure.getCause() : failure);
                if (failure.getCause() != null) {
                    same.addSuppressed(failure);
                }
                throw same;
            }
            throw new DependencyException("dependency '" + name + "' failed: " + e.getCause(), e.getCause());
        }
    }

    /**
     * Tears down the created dependencies in reverse order of creation, each with the teardown it was
     * registered with; later {@link #get} calls fail. Idempotent.
     *
     * <p><b>Blocks</b> while the teardowns run. <b>Interrupt:</b> not checked here; the teardowns see
     * the thread's interrupt status.
     *
     * @throws DependencyException if teardowns failed: the first failure is its cause, the others
     *                             suppressed; every teardown ran regardless
     */
    @Override
    public void close() {
        List<Created> toClose;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            toClose = new ArrayList<>(created);
            created.clear();
        } finally {
            lock.unlock();
        }
        DependencyException failure = null;
        List<String> failed = new ArrayList<>();
        for (int i = toClose.size() - 1; i >= 0; i--) {
            Created entry = toClose.get(i);
            try {
                tearDown(entry.name(), entry.value(), entry.close());
            } catch (RuntimeException | Error e) {
                failed.add(entry.name());
                if (failure == null) {
                    failure = new DependencyException("teardown failed", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            DependencyException named = new DependencyException(
                    "teardown of dependencies failed: " + String.join(", ", failed), failure.getCause());
            for (Throwable other : failure.getSuppressed()) {
                named.addSuppressed(other);
            }
            throw named;
        }
    }

    private static void tearDown(String name, Object value, Consumer<Object> close) {
        if (close == null) {
            return;
        }
        log.debug("Tearing down dependency {}", name);
        close.accept(value);
    }

    private static DependencyException cycle(List<String> chain, String name) {
        List<String> cycle = new ArrayList<>(chain.subList(chain.indexOf(name), chain.size()));
        cycle.add(name);
        return new DependencyException("dependency cycle: " + String.join(" -> ", cycle));
    }

    private static List<String> reversed(List<String> path) {
        List<String> copy = new ArrayList<>(path);
        java.util.Collections.reverse(copy);
        return copy;
    }

    @Override
    public String toString() {
        return "DependencyScope" + created();
    }
}
