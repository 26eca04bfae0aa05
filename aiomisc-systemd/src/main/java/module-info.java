/**
 * aiomisc-java's systemd integration: {@link io.aiomisc.systemd.SdNotify},
 * {@link io.aiomisc.systemd.SdWatchdogService}, the {@code systemd_watchdog} plugin and the
 * {@code journald} log format.
 */
module io.aiomisc.systemd {
    requires transitive io.aiomisc.core;
    requires transitive io.aiomisc.log;
    requires org.newsclub.net.unix;
    requires org.slf4j;

    exports io.aiomisc.systemd;

    provides io.aiomisc.plugin.Plugin with
            io.aiomisc.systemd.SystemdWatchdogPlugin;
    provides io.aiomisc.log.LogFormatProvider with
            io.aiomisc.systemd.JournaldFormatProvider;
}
