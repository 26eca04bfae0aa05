/**
 * systemd integration: {@link io.aiomisc.systemd.SdNotify} (sd_notify to {@code NOTIFY_SOCKET}),
 * {@link io.aiomisc.systemd.SdWatchdogService} (the watchdog pings), the {@code systemd_watchdog}
 * plugin ({@link io.aiomisc.systemd.SystemdWatchdogPlugin}: {@code STATUS}, {@code READY=1},
 * {@code STOPPING=1}) and the {@code journald} log format
 * ({@link io.aiomisc.systemd.JournaldFormatProvider}). Without {@code NOTIFY_SOCKET} the notify
 * side is inert.
 *
 * <p>Runnable: {@code bin/run-example systemd}; a unit file to start from:
 * {@code aiomisc-examples/src/main/systemd/aiomisc-example.service}; the README's section
 * "systemd" explains both.
 */
package io.aiomisc.systemd;
