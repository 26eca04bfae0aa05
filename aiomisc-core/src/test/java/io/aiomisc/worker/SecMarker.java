package io.aiomisc.worker;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A tripwire for the deserialization tests: its {@code readObject} creates the file it names, in
 * whichever JVM reads it, so a test can tell whether an instance was ever built from a stream.
 */
final class SecMarker implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String path;

    SecMarker(Path path) {
        this.path = path.toString();
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        Files.writeString(
                Path.of(path),
                "readObject ran in pid " + ProcessHandle.current().pid());
    }
}
