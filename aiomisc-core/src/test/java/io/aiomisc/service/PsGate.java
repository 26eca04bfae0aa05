package io.aiomisc.service;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serial;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A field that holds a child JVM in its start-up: deserializing it (which the child does before
 * it reports that it started) appends the child's pid to {@code reached}, then waits until the
 * file {@code open} exists. The parent only serializes it, so it never waits there. (A class, not
 * a record: a record's {@code readObject} is never called.)
 */
final class PsGate implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private final String reached;
    private final String open;

    PsGate(String reached, String open) {
        this.reached = reached;
        this.open = open;
    }

    @Serial
    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        PsFiles.appendPid(reached);
        while (!Files.exists(Path.of(open))) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10)); // a child-side poll, no test timing
        }
    }
}
