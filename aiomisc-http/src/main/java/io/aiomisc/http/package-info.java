/**
 * HTTP services on Jetty 12 (aiomisc's {@code AIOHTTPService}, {@code ASGIHTTPService} and
 * {@code UvicornService}): {@link io.aiomisc.http.HttpService} serves a Jetty
 * {@link org.eclipse.jetty.server.Handler}, {@link io.aiomisc.http.HttpsService} the same over TLS
 * with HTTP/2, {@link io.aiomisc.http.ServletService} any Jakarta Servlet 6 application, and
 * {@link io.aiomisc.http.HealthService} the {@code /health/live} and {@code /health/ready} probes.
 * Requests run on virtual threads, so handlers may block.
 */
package io.aiomisc.http;
