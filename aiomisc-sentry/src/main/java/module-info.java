/**
 * aiomisc-java's Sentry reporting: {@link io.aiomisc.sentry.SentryService}.
 */
module io.aiomisc.sentry {
    requires transitive io.aiomisc.core;
    requires io.aiomisc.log;
    requires sentry;
    requires sentry.logback;
    requires ch.qos.logback.classic;
    requires ch.qos.logback.core;
    requires java.logging;
    requires org.slf4j;

    exports io.aiomisc.sentry;
}
