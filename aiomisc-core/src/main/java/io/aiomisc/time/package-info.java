/**
 * Time as a dependency: {@link io.aiomisc.time.TimeSource} is what every time-based component of
 * aiomisc (backoff, circuit breaker, aggregate, pools, periodic and cron callbacks) reads, sleeps
 * and schedules with; {@link io.aiomisc.time.ManualTimeSource} lets tests move time by hand
 * instead of sleeping.
 */
package io.aiomisc.time;
