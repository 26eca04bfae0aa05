/**
 * Extension points. {@link io.aiomisc.plugin.Plugin}s are discovered with
 * {@link java.util.ServiceLoader} once per JVM and usually connect receivers to the entrypoint's
 * signals; {@link io.aiomisc.plugin.Plugins#main} lists them. {@link io.aiomisc.plugin.LogConfigurator}
 * is how a logging module (aiomisc-log) configures logging when an entrypoint starts.
 */
package io.aiomisc.plugin;
