package io.aiomisc.internal.process;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One frame of the parent–child protocol: a type and its body.
 *
 * @param type one of the type constants
 * @param body the bytes after the type byte
 */
public record Frame(int type, byte[] body) {
    /** Parent → child, first frame of a connection: a 32-byte challenge. */
    public static final int CHALLENGE = 1;
    /** Child → parent: worker id, pid, the child's own challenge and its proof. */
    public static final int AUTH = 2;
    /** Parent → child: the parent's proof; the child may now be given work. */
    public static final int AUTH_OK = 3;
    /** Parent → child: the proof was wrong; the connection closes. */
    public static final int AUTH_FAIL = 4;
    /** Worker → parent: the initializer ran; the worker takes tasks. */
    public static final int READY = 5;
    /** Worker → parent: the initializer failed (body: the serialized exception). */
    public static final int BAD_INITIALIZER = 6;
    /** Parent → worker: a task (sequence number, serialized task). */
    public static final int REQUEST = 10;
    /** Parent → worker: interrupt the task with this sequence number. */
    public static final int CANCEL = 11;
    /** Worker → parent: the task's value (sequence number, serialized value). */
    public static final int RESULT = 12;
    /** Worker → parent: the task's exception (sequence number, serialized exception). */
    public static final int EXCEPTION = 13;
    /** Worker → parent: the task ended because it was interrupted by a cancel. */
    public static final int CANCELLED = 14;
    /** Process-service child → parent: the body is about to run. */
    public static final int STARTED = 20;

    /** Bytes of a frame besides the payload it carries: type byte, sequence number, slack. */
    public static final int OVERHEAD = 64;

    /** The body as a data stream, for reading fields. */
    public DataInputStream fields() {
        return new DataInputStream(new java.io.ByteArrayInputStream(body));
    }

    /** Writes fields into a body. */
    @FunctionalInterface
    public interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    /** A frame of {@code type} whose body {@code writer} writes. */
    public static Frame of(int type, Writer writer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writer.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return new Frame(type, bytes.toByteArray());
    }

    /** A frame carrying a sequence number and a payload. */
    public static Frame withSequence(int type, long sequence, byte[] payload) {
        byte[] body = new byte[8 + payload.length];
        for (int i = 0; i < 8; i++) {
            body[i] = (byte) (sequence >>> (56 - 8 * i));
        }
        System.arraycopy(payload, 0, body, 8, payload.length);
        return new Frame(type, body);
    }

    /** The sequence number of a frame made by {@link #withSequence}. */
    public long sequence() throws FrameException {
        if (body.length < 8) {
            throw new FrameException("frame of type " + type + " too short for a sequence number: " + body.length);
        }
        long sequence = 0;
        for (int i = 0; i < 8; i++) {
            sequence = (sequence << 8) | (body[i] & 0xFF);
        }
        return sequence;
    }

    /** The payload of a frame made by {@link #withSequence}. */
    public byte[] payload() throws FrameException {
        if (body.length < 8) {
            throw new FrameException("frame of type " + type + " too short for a sequence number: " + body.length);
        }
        return java.util.Arrays.copyOfRange(body, 8, body.length);
    }
}
