/**
 * The runtime: {@link io.aiomisc.Entrypoint} (configures the process, starts services
 * concurrently, stops them gracefully on close or SIGINT/SIGTERM), {@link io.aiomisc.Service},
 * {@link io.aiomisc.Context} (values services hand to each other) and {@link io.aiomisc.Signal}
 * (the entrypoint's lifecycle events).
 *
 * <p>Code runs in direct style on virtual threads: what aiomisc awaits, this library blocks on.
 * Cancellation is {@link java.lang.Thread#interrupt()}.
 */
package io.aiomisc;
