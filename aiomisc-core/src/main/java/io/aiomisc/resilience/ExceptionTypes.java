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
        // copied element by element: handing the generic varargs array on is what -Xlint:varargs flags
        List<Class<? extends Throwable>> copy = new java.util.ArrayList<>(types.length);
        for (int i = 0; i < types.length; i++) {
            copy.add(Objects.requireNonNull(types[i], parameter + "[" + i + "]"));
        }
        return new ExceptionTypes(List.copyOf(copy));
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
