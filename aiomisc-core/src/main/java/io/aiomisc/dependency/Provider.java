package io.aiomisc.dependency;

/**
 * Makes one dependency: aiomisc-dependency's {@code @dependency} function. Called at most once per
 * entrypoint (per {@link DependencyScope}), on the thread that first needs the dependency, with no
 * lock of ours held.
 *
 * @param <T> the type of the dependency
 */
@FunctionalInterface
public interface Provider<T> {
    /**
     * Creates the dependency.
     *
     * @param resolved the dependencies of the same scope: {@code resolved.get("name")} returns
     *                 another dependency, creating it first if need be (dependencies of
     *                 dependencies); valid only during this call
     * @return the dependency; not null
     * @throws Exception any failure, which fails the resolution (and the entrypoint's start) with a
     *                   {@link DependencyException} naming this dependency, the failure as its cause
     */
    T provide(Dependencies resolved) throws Exception;
}
