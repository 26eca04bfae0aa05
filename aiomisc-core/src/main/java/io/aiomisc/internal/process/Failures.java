package io.aiomisc.internal.process;

import java.io.IOException;
import java.io.ObjectInputFilter;

/** Exceptions on the wire: the exception itself when it serializes, else a faithful stand-in. */
public final class Failures {
    private Failures() {}

    /**
     * {@code failure} serialized; if it (or its causes) cannot be, a {@link RuntimeException}
     * whose message names the original class and message, with the original stack trace; if even
     * that is too large, the same with the message cut.
     */
    public static byte[] serialize(Throwable failure, int limit) {
        try {
            return Serial.serialize(failure, limit, "the task's exception");
        } catch (IOException e) {
            return standIn(failure, e, limit);
        }
    }

    /**
     * As {@link #serialize(Throwable, int)}, and also a stand-in when the receiver could not read
     * {@code failure} back through {@code filter} (e.g. a JDK exception outside {@code java.*}, which
     * the default filter refuses): the receiver then learns the class and message instead of only
     * the filter's refusal.
     *
     * @param filter the receiver's user pattern, or null
     */
    public static byte[] serialize(Throwable failure, int limit, ObjectInputFilter filter) {
        byte[] bytes = serialize(failure, limit);
        try {
            Serial.deserialize(bytes, filter);
            return bytes;
        } catch (Exception | LinkageError e) { // refused by the filter, or its readObject throws
            return standIn(failure, e, limit);
        }
    }

    private static byte[] standIn(Throwable failure, Throwable why, int limit) {
        RuntimeException standIn = new RuntimeException(failure.getClass().getName() + ": " + failure.getMessage()
                + " (the exception could not be sent back as itself: " + why.getMessage() + ")");
        standIn.setStackTrace(failure.getStackTrace());
        try {
            return Serial.serialize(standIn, limit, "the task's exception");
        } catch (IOException tooLarge) {
            RuntimeException small = new RuntimeException(failure.getClass().getName()
                    + " (the exception could not be sent back: it is larger than maxFrameSize)");
            try {
                return Serial.serialize(small, limit, "the task's exception");
            } catch (IOException impossible) {
                throw new IllegalStateException("maxFrameSize " + limit + " cannot carry any exception", impossible);
            }
        }
    }
}
