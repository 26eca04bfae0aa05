/** Pools of reusable, expensive things (connections, clients): {@link io.aiomisc.pool.PoolBase}. */
package io.aiomisc.pool;
