package io.aiomisc.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the method that gives the services an {@link AiomiscTest} test's entrypoint starts with:
 * aiomisc's {@code services} fixture. A static or instance method of the test class (or of a
 * superclass, or of an enclosing class of a {@code @Nested} one: the innermost class that has one
 * wins), returning {@code List<Service>} (any {@code Collection} of services) or {@code Service[]} (or an
 * array of a subclass);
 * it may be private and may take {@link UnusedPort @UnusedPort int} and {@link Localhost @Localhost
 * String} parameters. It runs before each test, after the instance's {@code @UnusedPort} fields were
 * set.
 *
 * <p>A method of another return type, one that returns null, or more than one such method in a class
 * fails the test with an {@link org.junit.jupiter.api.extension.ExtensionConfigurationException}
 * naming it; an exception it throws fails the test as is.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Services {}
