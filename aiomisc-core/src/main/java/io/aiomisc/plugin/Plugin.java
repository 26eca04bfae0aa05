package io.aiomisc.plugin;

/**
 * An aiomisc plugin: code that runs once per JVM, before the first entrypoint is built, and
 * typically connects receivers to {@link io.aiomisc.Entrypoint#PRE_START} and the other class
 * signals. aiomisc's {@code aiomisc.plugins} entry points.
 *
 * <p>Register an implementation (with a public no-argument constructor) as a service provider:
 * a line with its class name in {@code META-INF/services/io.aiomisc.plugin.Plugin}, or
 * {@code provides io.aiomisc.plugin.Plugin with ...} in a module. Discovery is skipped when the
 * environment variable {@code AIOMISC_NO_PLUGINS} is non-empty. A plugin that cannot be loaded, or
 * whose {@link #setup()} throws, is logged and skipped.
 *
 * <pre>{@code
 * public final class HelloPlugin implements Plugin {
 *     public String name() { return "hello"; }
 *     public String description() { return "Says hello before services start."; }
 *     public void setup() {
 *         Entrypoint.PRE_START.connect((entrypoint, services) -> log.info("hello {}", services));
 *     }
 * }
 * }</pre>
 */
public interface Plugin {
    /**
     * The plugin's name, unique among plugins; by default the class's simple name. A second plugin
     * with a name already taken is skipped.
     *
     * @return the name; a {@link RuntimeException} thrown here skips the plugin
     */
    default String name() {
        return getClass().getSimpleName();
    }

    /**
     * One line saying what the plugin does, shown by {@link Plugins#main}; empty by default.
     *
     * @return the description
     */
    default String description() {
        return "";
    }

    /**
     * Connects the plugin to aiomisc. Called once per JVM by {@link Plugins#loaded()} (each call of
     * {@link Plugins#discover} calls it again), on the thread that builds the first entrypoint
     * ({@code Entrypoint.Builder.build()}), while the discovery lock is held: other threads
     * building an entrypoint meanwhile wait. Must not build an entrypoint itself: on that thread
     * the discovery is not finished yet, so it would start again.
     *
     * @throws Exception any failure: logged, and the plugin is skipped
     */
    void setup() throws Exception;
}
