/**
 * systemd integration: {@link io.aiomisc.systemd.SdNotify} (sd_notify to {@code NOTIFY_SOCKET}),
 * {@link io.aiomisc.systemd.SdWatchdogService} (the watchdog pings), the {@code systemd_watchdog}
 * plugin ({@link io.aiomisc.systemd.SystemdWatchdogPlugin}: {@code STATUS}, {@code READY=1},
 * {@code STOPPING=1}) and the {@code journald} log format
 * ({@link io.aiomisc.systemd.JournaldFormatProvider}). Without {@code NOTIFY_SOCKET} the notify
 * side is inert.
 */
package io.aiomisc.systemd;
