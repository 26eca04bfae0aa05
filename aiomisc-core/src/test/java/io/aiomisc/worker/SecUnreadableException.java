package io.aiomisc.worker;

import java.io.IOException;
import java.io.ObjectInputStream;

/** An exception that serializes but throws a {@link RuntimeException} whenever it is read back. */
final class SecUnreadableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SecUnreadableException() {
        super("thrown by the task");
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        throw new IllegalStateException("SecUnreadableException refuses to be read");
    }
}
