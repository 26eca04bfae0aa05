package io.aiomisc.systemd;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.newsclub.net.unix.AFUNIXDatagramSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * A stand-in for journald in tests: a bound Unix datagram socket that receives records (inline, or
 * an empty datagram carrying a file descriptor, which it reads) and parses the native protocol
 * strictly, field by field, in both encodings.
 */
final class SjJournal implements AutoCloseable {
    /** Larger than any datagram a Unix socket carries by default. */
    private static final int MAX_DATAGRAM = 1 << 20;

    private final AFUNIXDatagramSocket socket;
    private final Path path;

    private SjJournal(AFUNIXDatagramSocket socket, Path path) {
        this.socket = socket;
        this.path = path;
    }

    /** Binds a journal at {@code path}. */
    static SjJournal bind(Path path) throws IOException {
        AFUNIXDatagramSocket socket = AFUNIXDatagramSocket.newInstance();
        try {
            socket.bind(AFUNIXSocketAddress.of(path));
            socket.setAncillaryReceiveBufferSize(1024);
            socket.setReceiveBufferSize(4 << 20);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
        return new SjJournal(socket, path);
    }

    Path path() {
        return path;
    }

    /** One field as it arrived: its name, its value and whether it came in the binary form. */
    record Field(String name, String value, boolean binary, long declaredLength) {}

    /** One record: its fields in order, and whether it came through a passed descriptor. */
    record Entry(List<Field> fields, boolean throughDescriptor, int bytes) {
        /** The one field called {@code name}; fails if there is none or more than one. */
        Field field(String name) {
            Field found = null;
            for (Field field : fields) {
                if (field.name().equals(name)) {
                    if (found != null) {
                        throw new AssertionError("field " + name + " twice in " + fields);
                    }
                    found = field;
                }
            }
            if (found == null) {
                throw new AssertionError("no field " + name + " in " + names());
            }
            return found;
        }

        String value(String name) {
            return field(name).value();
        }

        boolean has(String name) {
            return fields.stream().anyMatch(f -> f.name().equals(name));
        }

        List<String> names() {
            return fields.stream().map(Field::name).toList();
        }
    }

    /** Waits up to {@code timeout} for the next record; fails if none comes. */
    Entry receive(Duration timeout) throws IOException {
        Entry entry = poll(timeout);
        if (entry == null) {
            throw new AssertionError("no record arrived at " + path + " within " + timeout);
        }
        return entry;
    }

    /** The next record within {@code timeout}, or null. */
    Entry poll(Duration timeout) throws IOException {
        socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
        byte[] buffer = new byte[MAX_DATAGRAM];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        FileDescriptor[] descriptors;
        try {
            socket.receive(packet);
            descriptors = socket.getReceivedFileDescriptors();
        } catch (SocketTimeoutException e) {
            // junixsocket reports an empty datagram as a timeout: one carrying a descriptor is a record
            descriptors = socket.getReceivedFileDescriptors();
            if (descriptors == null || descriptors.length == 0) {
                return null;
            }
            packet.setLength(0);
        }
        if (descriptors != null && descriptors.length > 0) {
            if (packet.getLength() != 0 || descriptors.length != 1) {
                throw new AssertionError("a descriptor record must be one descriptor with an empty datagram: "
                        + descriptors.length + " descriptors, " + packet.getLength() + " bytes");
            }
            byte[] data;
            try (FileInputStream in = new FileInputStream(descriptors[0])) {
                data = in.readAllBytes();
            }
            return new Entry(parse(data), true, data.length);
        }
        byte[] data = java.util.Arrays.copyOf(packet.getData(), packet.getLength());
        return new Entry(parse(data), false, data.length);
    }

    /** Parses the native protocol; fails on anything malformed. */
    static List<Field> parse(byte[] data) {
        List<Field> fields = new ArrayList<>();
        int at = 0;
        while (at < data.length) {
            int end = at;
            while (end < data.length && data[end] != '=' && data[end] != '\n') {
                end++;
            }
            if (end == data.length) {
                throw new AssertionError("field name without '=' or newline at byte " + at);
            }
            String name = new String(data, at, end - at, StandardCharsets.US_ASCII);
            if (!name.matches("[A-Z0-9_]{1,64}") || name.startsWith("_")) {
                throw new AssertionError("bad field name '" + name + "'");
            }
            if (data[end] == '=') {
                int newline = end + 1;
                while (newline < data.length && data[newline] != '\n') {
                    newline++;
                }
                if (newline == data.length) {
                    throw new AssertionError("field " + name + " not ended by a newline");
                }
                fields.add(new Field(
                        name, new String(data, end + 1, newline - end - 1, StandardCharsets.UTF_8), false, -1));
                at = newline + 1;
            } else {
                if (end + 9 > data.length) {
                    throw new AssertionError("binary field " + name + " without its 8-byte length");
                }
                long length = 0;
                for (int i = 0; i < 8; i++) {
                    length |= (data[end + 1 + i] & 0xffL) << (8 * i); // little-endian
                }
                int start = end + 9;
                if (length < 0 || start + length + 1 > data.length) {
                    throw new AssertionError("binary field " + name + " declares " + length + " bytes, "
                            + (data.length - start) + " left");
                }
                if (data[start + (int) length] != '\n') {
                    throw new AssertionError("binary field " + name + " not ended by a newline");
                }
                fields.add(
                        new Field(name, new String(data, start, (int) length, StandardCharsets.UTF_8), true, length));
                at = start + (int) length + 1;
            }
        }
        return fields;
    }

    @Override
    public void close() {
        socket.close();
    }
}
