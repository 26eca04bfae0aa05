package io.aiomisc.internal.process;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * What a child reads from its stdin before anything else: the secret and the settings it must not
 * get from its command line or environment (both are visible to other users).
 *
 * @param mode         {@link #WORKER} or {@link #PROCESS}
 * @param cookie       the pool's secret, {@link Handshake#COOKIE_SIZE} bytes
 * @param workerId     the worker's id in its pool (0 for a process service)
 * @param address      where to connect, as {@link IpcEndpoint#addressString()}
 * @param maxFrameSize the largest task, result or exception, serialized, in bytes
 * @param filter       the user's deserialization filter pattern, or "" for none
 * @param log          the parent's logging settings as {@code level,format,dateFormat}, or "" to
 *                     leave the child's logging alone
 * @param body         a serialized {@code Callable}: the initializer of a worker (empty for none)
 *                     or the body of a process service
 */
public record Bootstrap(
        int mode,
        byte[] cookie,
        int workerId,
        String address,
        int maxFrameSize,
        String filter,
        String log,
        byte[] body) {
    /** A worker of a pool. */
    public static final int WORKER = 1;
    /** A process service's child. */
    public static final int PROCESS = 2;

    private static final int MAGIC = 0x41494F4D; // "AIOM"
    private static final int VERSION = 1;

    /**
     * The {@code log} field for the given settings ({@code dateFormat} may be null).
     *
     * @return {@code level,format,dateFormat}
     */
    public static String logField(String level, String format, String dateFormat) {
        return level + "," + format + "," + (dateFormat == null ? "" : dateFormat);
    }

    /** Writes this bootstrap; the caller flushes and keeps the stream open. */
    public void write(DataOutputStream out) throws IOException {
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        out.writeByte(mode);
        out.write(cookie);
        out.writeInt(workerId);
        out.writeUTF(address);
        out.writeInt(maxFrameSize);
        out.writeUTF(filter);
        out.writeUTF(log);
        out.writeInt(body.length);
        out.write(body);
    }

    /** Reads what {@link #write} wrote. */
    public static Bootstrap read(DataInputStream in) throws IOException {
        if (in.readInt() != MAGIC || in.readInt() != VERSION) {
            throw new IOException("stdin does not carry an aiomisc bootstrap of this version; this class is not"
                    + " meant to be started by hand");
        }
        int mode = in.readByte();
        byte[] cookie = in.readNBytes(Handshake.COOKIE_SIZE);
        int workerId = in.readInt();
        String address = in.readUTF();
        int maxFrameSize = in.readInt();
        String filter = in.readUTF();
        String log = in.readUTF();
        byte[] body = in.readNBytes(in.readInt());
        return new Bootstrap(mode, cookie, workerId, address, maxFrameSize, filter, log, body);
    }
}
