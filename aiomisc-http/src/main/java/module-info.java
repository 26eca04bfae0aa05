/**
 * aiomisc-java HTTP services on Jetty 12: {@link io.aiomisc.http.HttpService},
 * {@link io.aiomisc.http.HttpsService}, {@link io.aiomisc.http.ServletService} and
 * {@link io.aiomisc.http.HealthService}.
 */
module io.aiomisc.http {
    requires transitive io.aiomisc.core;
    requires transitive org.eclipse.jetty.server;
    requires transitive org.eclipse.jetty.ee10.servlet;
    requires org.eclipse.jetty.http2.server;
    requires org.eclipse.jetty.alpn.server;
    // the JDK's ALPN for HTTP/2 over TLS, found by Jetty through ServiceLoader
    requires org.eclipse.jetty.alpn.java.server;
    requires org.slf4j;

    exports io.aiomisc.http;
}
