package io.aiomisc.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the method that adjusts the {@code Entrypoint.Builder} of each {@link AiomiscTest} test before
 * its entrypoint is built: aiomisc's {@code entrypoint_kwargs} fixture. A static or instance method of
 * the test class (or of a superclass, or of an enclosing class of a {@code @Nested} one: the innermost
 * class that has one wins) taking exactly one {@code Entrypoint.Builder} parameter; it may be private.
 * It runs after the {@link Services} method, whose services the builder already holds.
 *
 * <pre>{@code
 * @ConfigureEntrypoint
 * void configure(Entrypoint.Builder builder) {
 *     builder.dependencies(new Dependencies().register("db", resolved -> new FakeDatabase()))
 *            .shutdownTimeout(Duration.ofSeconds(5));
 * }
 * }</pre>
 *
 * <p>The extension sets {@code poolSize} (from {@link AiomiscTest#poolSize()}), {@code logConfig(false)}
 * and {@code catchSignals(false)} first; the method may change them. A method of another shape, or
 * more than one in a class, fails the test with an
 * {@link org.junit.jupiter.api.extension.ExtensionConfigurationException} naming it; an exception it
 * throws fails the test as is.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface ConfigureEntrypoint {}
