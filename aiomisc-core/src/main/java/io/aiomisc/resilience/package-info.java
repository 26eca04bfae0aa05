/**
 * Keeping a service standing when what it calls is slow or failing: retries with
 * {@link io.aiomisc.resilience.Backoff} ({@code asyncbackoff}/{@code asyncretry}), the
 * {@link io.aiomisc.resilience.CircuitBreaker} and {@link io.aiomisc.resilience.Cutout},
 * and {@link io.aiomisc.resilience.Aggregate} (many single calls batched into one). All take a
 * {@link io.aiomisc.time.TimeSource}, so tests control time.
 */
package io.aiomisc.resilience;
