package io.aiomisc.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A TCP port nobody listens on, for a service of the test to bind: aiomisc's
 * {@code aiomisc_unused_port}. On an {@code int} (or {@code Integer}) parameter of a test, lifecycle or
 * {@link Services} method, each parameter gets a port of its own; on an instance field of the test
 * class, it is set before the {@link Services} method runs, so the services and the test share it.
 *
 * <p>The port stays reserved until the test has ended: a socket bound to it with
 * {@code SO_REUSEADDR} (and not listening) keeps the operating system from handing it to anyone
 * else, while a service that binds it with {@code SO_REUSEADDR} (the JDK's server sockets, Jetty and
 * Netty do by default) can. No port is handed out twice in one JVM, even to tests running in
 * parallel.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.PARAMETER, ElementType.FIELD})
public @interface UnusedPort {}
