/**
 * Running a callback again and again: {@link io.aiomisc.schedule.RecurringCallback} with a
 * {@link io.aiomisc.schedule.Strategy}, {@link io.aiomisc.schedule.PeriodicCallback} (fixed delay,
 * or fixed rate) and {@link io.aiomisc.schedule.CronCallback} with
 * {@link io.aiomisc.schedule.CronExpression}, time-zone aware with an explicit daylight-saving
 * policy. All take a {@link io.aiomisc.time.TimeSource}.
 */
package io.aiomisc.schedule;
