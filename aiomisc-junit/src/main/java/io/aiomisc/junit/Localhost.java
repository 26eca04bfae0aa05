package io.aiomisc.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The loopback address to bind and connect to, as a {@code String}: {@code "127.0.0.1"} if this host
 * can bind it, else {@code "::1"}: aiomisc's {@code localhost} fixture. On a parameter of a test,
 * lifecycle or {@link Services} method, or an instance field of the test class (set before the
 * {@link Services} method runs). A host with neither fails the test with an
 * {@link IllegalStateException}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.PARAMETER, ElementType.FIELD})
public @interface Localhost {}
