package io.aiomisc.resilience;

import java.util.List;
import java.util.Objects;

/** A set of exception classes a failure may be an instance of. Immutable. */
final class ExceptionTypes {
    private final List<Class<? extends Throwable>> types;

    private ExceptionTypes(List<Class<? extends Throwable>> types) {
        this.types = types;
    }

    @SafeVarargs
    static ExceptionTypes of(String parameter, Class<? extends Throwable>... types) {
        Objects.requireNonNull(types, parameter);
        for (int i = 0; i < types.length; i++) {
            Objects.requireNonNull(types[i], parameter + "[" + i + "]");
        }
        return new ExceptionTypes(List.of(types));
    }

    boolean isEmpty() {
        return types.isEmpty();
    }

    boolean matches(Throwable failure) {
        for (Class<? extends Throwable> type : types) {
            if (type.isInstance(failure)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return types.stream().map(Class::getSimpleName).toList().toString();
    }
}
