/**
 * Statistics counters, after aiomisc's {@code aiomisc.counters}: every component that keeps
 * counters owns a {@link io.aiomisc.stats.Statistic} (a {@code ThreadPoolStatistic}, a
 * {@code ContextStatistic}, ...), and {@link io.aiomisc.stats.Statistics#all()} reports the
 * metrics of every live instance.
 *
 * <p>Instances are held weakly: a statistic disappears from the report once its owner is
 * garbage-collected. Gauges report the value last set (aiomisc silently loses gauges assigned with
 * {@code =}; this implementation does not).
 */
package io.aiomisc.stats;
