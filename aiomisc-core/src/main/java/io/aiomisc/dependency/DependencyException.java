package io.aiomisc.dependency;

/**
 * A dependency could not be resolved or injected: none is registered under the name, the providers
 * form a cycle, a provider failed (its exception is the cause) or returned null, the value does not
 * fit the field, or a teardown failed. The message names the dependency and, where it applies, the
 * chain of dependencies that led to it and the field.
 */
public class DependencyException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong, naming the dependency
     */
    public DependencyException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong, naming the dependency
     * @param cause   the provider's or teardown's own exception
     */
    public DependencyException(String message, Throwable cause) {
        super(message, cause);
    }
}
