package io.aiomisc.internal.process;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;

/** Java serialization with a size limit on the way out and {@link SerialFilter} on the way in. */
public final class Serial {
    private Serial() {}

    /** Thrown when a payload would exceed its limit: names the limit. */
    public static final class TooLargeException extends IOException {
        private static final long serialVersionUID = 1L;

        TooLargeException(String message) {
            super(message);
        }
    }

    /**
     * Serializes {@code value}, failing as soon as the bytes pass {@code limit} (so an oversize
     * value never fills the heap).
     *
     * @throws java.io.NotSerializableException when something in the graph is not serializable
     * @throws TooLargeException                when the bytes would exceed {@code limit}
     */
    public static byte[] serialize(Object value, int limit, String what) throws IOException {
        LimitedBytes bytes = new LimitedBytes(limit, what);
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        return bytes.toByteArray();
    }

    /**
     * Deserializes {@code bytes} through {@link SerialFilter} (with {@code user} consulted first).
     *
     * @throws java.io.InvalidClassException when the filter rejects a class (nothing of it is built)
     */
    public static Object deserialize(byte[] bytes, ObjectInputFilter user) throws IOException, ClassNotFoundException {
        SerialFilter filter = SerialFilter.forPayload(user, bytes.length);
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            in.setObjectInputFilter(filter);
            return in.readObject();
        } catch (InvalidClassException e) {
            if (filter.rejected() != null) {
                InvalidClassException refused =
                        new InvalidClassException("deserialization filter refused " + filter.rejected());
                refused.initCause(e);
                throw refused;
            }
            throw e;
        }
    }

    private static final class LimitedBytes extends OutputStream {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        private final int limit;
        private final String what;

        LimitedBytes(int limit, String what) {
            this.limit = limit;
            this.what = what;
        }

        @Override
        public void write(int b) throws IOException {
            check(1);
            bytes.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            check(len);
            bytes.write(b, off, len);
        }

        private void check(int more) throws TooLargeException {
            if ((long) bytes.size() + more > limit) {
                throw new TooLargeException(
                        what + " is larger than maxFrameSize (" + limit + " bytes) when serialized");
            }
        }

        byte[] toByteArray() {
            return bytes.toByteArray();
        }
    }
}
