package io.aiomisc.dependency;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Named providers of shared resources: aiomisc-dependency's store. Register a {@link Provider} per
 * name (with an optional teardown); an entrypoint built with
 * {@code Entrypoint.builder().dependencies(dependencies)} (or, without it, using {@link #global()})
 * opens a {@link DependencyScope} when it starts, creates each dependency its services' {@link Inject}
 * fields need once, before the first service starts, and tears them down in reverse order of
 * creation after its services stopped.
 *
 * <pre>{@code
 * Dependencies dependencies = new Dependencies()
 *         .register("config", resolved -> Config.load())
 *         .register("db", resolved -> Database.connect(resolved.get("config")), Database::close);
 * Entrypoint.builder().dependencies(dependencies).services(new Api()).run(...);
 *
 * class Api extends Service {
 *     @Inject Database db;            // the "db" dependency, set before start()
 *     @Inject("config") Config settings;
 * }
 * }</pre>
 *
 * <p>Registering is allowed at any time and applies to scopes opened (entrypoints started)
 * afterwards; registering a name again replaces its provider. Thread-safe.
 *
 * <p>The {@code Dependencies} handed to a {@link Provider} is a view of the scope being resolved: its
 * {@link #get} returns the scope's instance of another dependency, and it cannot register.
 */
public final class Dependencies {
    private static final Dependencies GLOBAL = new Dependencies();

    /** A provider and its teardown. */
    record Registration(Provider<?> provider, Consumer<Object> close) {}

    private final Map<String, Registration> registry; // null in a view
    private final DependencyScope scope; // null in a registry
    private final List<String> path; // the dependencies being created, outermost first; a view's only
    private volatile boolean expired; // a view whose provider has returned

    /** An empty registry. */
    public Dependencies() {
        this.registry = new ConcurrentHashMap<>();
        this.scope = null;
        this.path = List.of();
    }

    private Dependencies(DependencyScope scope, List<String> path) {
        this.registry = null;
        this.scope = scope;
        this.path = path;
    }

    /**
     * The registry entrypoints use when built without {@code dependencies(...)}: aiomisc's single
     * global store.
     *
     * @return the process-wide registry
     */
    public static Dependencies global() {
        return GLOBAL;
    }

    /**
     * Registers {@code provider} under {@code name}, replacing any provider registered before; the
     * dependency needs no teardown.
     *
     * @param name     the dependency's name, as {@link Inject} and {@link #get} give it; not blank
     * @param provider creates the dependency
     * @param <T>      the dependency's type
     * @return this registry
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if {@code name} is blank
     * @throws IllegalStateException    on the view a provider is given
     */
    public <T> Dependencies register(String name, Provider<T> provider) {
        return add(name, provider, null);
    }

    /**
     * Registers {@code provider} under {@code name} with a teardown, called with the instance once
     * the services of the scope's entrypoint have stopped (in reverse order of creation; a failing
     * teardown is reported and does not keep the others from running).
     *
     * @param name     the dependency's name; not blank
     * @param provider creates the dependency
     * @param close    tears it down
     * @param <T>      the dependency's type
     * @return this registry
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if {@code name} is blank
     * @throws IllegalStateException    on the view a provider is given
     */
    public <T> Dependencies register(String name, Provider<T> provider, Consumer<T> close) {
        return add(name, provider, Objects.requireNonNull(close, "close"));
    }

    @SuppressWarnings("unchecked")
    private <T> Dependencies add(String name, Provider<T> provider, Consumer<T> close) {
        requireName(name);
        Objects.requireNonNull(provider, "provider");
        if (registry == null) {
            throw new IllegalStateException(
                    "register(\"" + name + "\") on the Dependencies given to a provider: register on the registry");
        }
        registry.put(name, new Registration(provider, (Consumer<Object>) close));
        return this;
    }

    /**
     * Removes the provider registered under {@code name}, if any; scopes already open keep it.
     *
     * @param name the dependency's name
     * @return true if one was registered
     * @throws IllegalStateException on the view a provider is given
     */
    public boolean unregister(String name) {
        Objects.requireNonNull(name, "name");
        if (registry == null) {
            throw new IllegalStateException("unregister() on the Dependencies given to a provider");
        }
        return registry.remove(name) != null;
    }

    /**
     * The names registered now, sorted.
     *
     * @return a snapshot of the registered names (a view: those of the scope it resolves)
     */
    public Set<String> names() {
        return new TreeSet<>(registry != null ? registry.keySet() : scope.names());
    }

    /**
     * The dependency {@code name} of the scope this view resolves, created first if need be: how a
     * {@link Provider} reads the dependencies it depends on.
     *
     * <p><b>Blocks</b> while the dependency is created (its provider runs on this thread), or while
     * another thread creates it. <b>Interrupt:</b> while waiting for another thread, throws a
     * {@link DependencyException} with the interrupt status set.
     *
     * @param name the dependency's name
     * @param <T>  the type the caller expects (unchecked; see {@link #get(String, Class)})
     * @return the scope's instance
     * @throws DependencyException   if none is registered under {@code name}, the providers form a
     *                               cycle (the message lists it), or its provider fails
     * @throws IllegalStateException on a registry, which holds providers, not instances: open a
     *                               {@link DependencyScope} (an entrypoint does) and ask it; or on a
     *                               provider's view after the provider returned
     */
    @SuppressWarnings("unchecked")
    public <T> T get(String name) {
        Objects.requireNonNull(name, "name");
        if (scope == null) {
            throw new IllegalStateException("get(\"" + name + "\") on a registry, which holds providers, not "
                    + "instances: a provider reads dependencies from the Dependencies it is given; elsewhere "
                    + "use a DependencyScope (openScope())");
        }
        if (expired) {
            throw new IllegalStateException("get(\"" + name + "\") on the Dependencies given to the provider of '"
                    + path.getLast() + "' after that provider returned: it is valid only during the call");
        }
        return (T) scope.resolve(name, path);
    }

    /**
     * As {@link #get(String)}, checked against {@code type}.
     *
     * @param name the dependency's name
     * @param type the class the dependency must be an instance of
     * @param <T>  the dependency's type
     * @return the scope's instance
     * @throws DependencyException if it cannot be resolved, or is not a {@code type}
     */
    public <T> T get(String name, Class<T> type) {
        Objects.requireNonNull(type, "type");
        Object value = get(name);
        if (!type.isInstance(value)) {
            throw new DependencyException(
                    "dependency '" + name + "' is a " + value.getClass().getName() + ", not a " + type.getName());
        }
        return type.cast(value);
    }

    /**
     * Opens a scope over a snapshot of the providers registered now: what an entrypoint does when it
     * starts. The caller closes it (which tears the created dependencies down).
     *
     * @return a new scope, with nothing created yet
     * @throws IllegalStateException on the view a provider is given
     */
    public DependencyScope openScope() {
        if (registry == null) {
            throw new IllegalStateException("openScope() on the Dependencies given to a provider");
        }
        return new DependencyScope(Map.copyOf(registry));
    }

    /** The view of {@code scope} a provider creating the last of {@code path} is given. */
    static Dependencies view(DependencyScope scope, List<String> path) {
        return new Dependencies(scope, path);
    }

    /** Ends a view's validity: its provider has returned. */
    void expire() {
        expired = true;
    }

    static List<String> extend(List<String> path, String name) {
        List<String> longer = new ArrayList<>(path.size() + 1);
        longer.addAll(path);
        longer.add(name);
        return List.copyOf(longer);
    }

    private static void requireName(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank: '" + name + "'");
        }
    }

    @Override
    public String toString() {
        return registry != null ? "Dependencies" + names() : "Dependencies[view of " + scope + " for " + path + "]";
    }
}
