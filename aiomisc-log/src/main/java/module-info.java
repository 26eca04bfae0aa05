/**
 * aiomisc-java log: aiomisc's log formats and buffered output on Logback, applied by the
 * entrypoint through core's {@link io.aiomisc.plugin.LogConfigurator} service.
 */
module io.aiomisc.log {
    requires transitive io.aiomisc.core;
    requires transitive ch.qos.logback.classic;
    requires transitive ch.qos.logback.core;
    requires com.fasterxml.jackson.core;
    requires jul.to.slf4j;
    requires java.logging;

    exports io.aiomisc.log;

    uses io.aiomisc.log.LogFormatProvider;

    provides io.aiomisc.plugin.LogConfigurator with
            io.aiomisc.log.LogbackConfigurator;
    provides ch.qos.logback.classic.spi.Configurator with
            io.aiomisc.log.StartupConfigurator;
}
