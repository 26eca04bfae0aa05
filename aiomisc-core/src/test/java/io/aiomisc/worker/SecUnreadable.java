package io.aiomisc.worker;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;

/** A value that serializes but throws a {@link RuntimeException} whenever it is read back. */
final class SecUnreadable implements Serializable {
    private static final long serialVersionUID = 1L;

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        throw new IllegalStateException("SecUnreadable refuses to be read");
    }
}
