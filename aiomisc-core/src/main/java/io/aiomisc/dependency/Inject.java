package io.aiomisc.dependency;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a service's instance field that receives a dependency before the service's
 * {@code start()}: aiomisc-dependency's {@code __dependencies__}. The field may be private; it must
 * not be static, final or of a primitive type. A field that already holds a value when the service
 * starts (set by its constructor) keeps it, and its dependency need not be registered: explicit
 * arguments win, as in aiomisc.
 *
 * <p>In a named module, the service's package must be open to {@code io.aiomisc.core}
 * ({@code opens my.pkg to io.aiomisc.core;}).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface Inject {
    /**
     * The dependency's name; empty (the default) means the field's name.
     *
     * @return the name of the dependency to inject
     */
    String value() default "";
}
