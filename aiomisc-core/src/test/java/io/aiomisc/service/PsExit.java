package io.aiomisc.service;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serial;
import java.io.Serializable;

/**
 * A field that ends a child JVM in its start-up: deserializing it (which the child does after it
 * read its bootstrap and connected, before it reports that it started) exits with {@code status}.
 * Unlike a bad JVM option, this exit cannot race with the parent writing the bootstrap.
 */
final class PsExit implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private final int status;

    PsExit(int status) {
        this.status = status;
    }

    @Serial
    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        System.exit(status);
    }
}
