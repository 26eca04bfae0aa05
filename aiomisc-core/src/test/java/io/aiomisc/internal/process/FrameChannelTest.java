package io.aiomisc.internal.process;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FrameChannelTest {
    /** Far longer than any of these reads needs; only a read that waits for bytes never sent reaches it. */
    private static final Duration HANG = Duration.ofSeconds(30);

    private SocketChannel raw;
    private FrameChannel reader;

    @BeforeEach
    void connect() throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            raw = SocketChannel.open(server.getLocalAddress());
            reader = new FrameChannel(server.accept(), 1024);
        }
    }

    @AfterEach
    void close() throws Exception {
        reader.close();
        raw.close();
    }

    @Test
    void framesRoundTripWithTypeAndBody() throws Exception {
        FrameChannel writer = new FrameChannel(raw, 1024);
        byte[] body = new byte[1024];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) i;
        }
        writer.send(new Frame(Frame.RESULT, body));
        writer.send(new Frame(Frame.READY, new byte[0]));
        writer.send(Frame.withSequence(Frame.REQUEST, 0x0102030405060708L, new byte[] {9, 8}));

        Frame first = reader.receive();
        assertEquals(Frame.RESULT, first.type());
        assertArrayEquals(body, first.body()); // exactly the limit is accepted
        Frame second = reader.receive();
        assertEquals(Frame.READY, second.type());
        assertEquals(0, second.body().length);
        Frame third = reader.receive();
        assertEquals(Frame.REQUEST, third.type());
        assertEquals(0x0102030405060708L, third.sequence());
        assertArrayEquals(new byte[] {9, 8}, third.payload());
    }

    @Test
    void oversizeLengthFailsBeforeItsBodyIsRead() throws Exception {
        // a header announcing ~2 GiB and no body at all: reading (or allocating) the body would hang or
        // run out of memory, so the FrameException proves the length was checked first
        raw.write(ByteBuffer.allocate(5)
                .putInt(Integer.MAX_VALUE)
                .put((byte) Frame.RESULT)
                .flip());
        FrameException e = assertTimeoutPreemptively(HANG, () -> assertThrows(FrameException.class, reader::receive));
        assertTrue(e.getMessage().contains("limit of 1024 bytes"), e.getMessage());
    }

    @Test
    void oneByteOverTheLimitIsRefused() throws Exception {
        raw.write(
                ByteBuffer.allocate(5).putInt(1024 + 2).put((byte) Frame.RESULT).flip());
        FrameException e = assertTimeoutPreemptively(HANG, () -> assertThrows(FrameException.class, reader::receive));
        assertTrue(e.getMessage().contains("1025 bytes"), e.getMessage());
    }

    @Test
    void zeroLengthIsMalformed() throws Exception {
        raw.write(ByteBuffer.allocate(5).putInt(0).put((byte) 0).flip());
        FrameException e = assertTimeoutPreemptively(HANG, () -> assertThrows(FrameException.class, reader::receive));
        assertTrue(e.getMessage().contains("malformed"), e.getMessage());
    }

    @Test
    void theLimitCanBeRaisedAfterTheHandshake() throws Exception {
        reader.maxBody(4096);
        new FrameChannel(raw, 16).send(new Frame(Frame.RESULT, new byte[4096]));
        assertEquals(4096, reader.receive().body().length);
    }

    @Test
    void endOfStreamIsAnEofException() throws Exception {
        raw.close();
        assertTimeoutPreemptively(HANG, () -> assertThrows(EOFException.class, reader::receive));
    }

    @Test
    void endOfStreamInsideAFrameIsAnEofException() throws Exception {
        raw.write(ByteBuffer.allocate(7)
                .putInt(10)
                .put((byte) Frame.RESULT)
                .put((byte) 1)
                .put((byte) 2)
                .flip());
        raw.close();
        assertTimeoutPreemptively(HANG, () -> assertThrows(EOFException.class, reader::receive));
    }
}
