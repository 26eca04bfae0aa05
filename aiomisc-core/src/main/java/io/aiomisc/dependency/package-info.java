/**
 * Dependency injection, aiomisc-dependency's role: named providers of shared resources (a database
 * pool, a client) registered in {@link io.aiomisc.dependency.Dependencies}, created once per
 * entrypoint before its services start, handed to the services' {@link io.aiomisc.dependency.Inject}
 * fields, and torn down in reverse order after the services stopped.
 */
package io.aiomisc.dependency;
