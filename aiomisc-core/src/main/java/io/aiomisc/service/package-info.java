/**
 * Ready-made services: {@link io.aiomisc.service.PeriodicService},
 * {@link io.aiomisc.service.CronService} and {@link io.aiomisc.service.GracefulService}.
 */
package io.aiomisc.service;
