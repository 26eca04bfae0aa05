package io.aiomisc.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StreamReaderTest {

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Hands out at most one byte per read, like a slow network. */
    private static InputStream trickle(String text) {
        ByteArrayInputStream all = new ByteArrayInputStream(bytes(text));
        return new InputStream() {
            @Override
            public int read() {
                return all.read();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                return all.read(b, off, Math.min(len, 1));
            }
        };
    }

    @Test
    void readLineKeepsTheNewlineAndReturnsTheRestAtEof() throws IOException {
        StreamReader reader = new StreamReader(trickle("first\nsecond\nlast"));
        assertArrayEquals(bytes("first\n"), reader.readLine());
        assertArrayEquals(bytes("second\n"), reader.readLine());
        assertArrayEquals(bytes("last"), reader.readLine());
        assertArrayEquals(new byte[0], reader.readLine());
        assertTrue(reader.atEof());
    }

    @Test
    void readExactlyThrowsWithThePartialBytes() throws IOException {
        StreamReader reader = new StreamReader(trickle("abcdef"));
        assertArrayEquals(bytes("abcd"), reader.readExactly(4));
        IncompleteReadException thrown = assertThrows(IncompleteReadException.class, () -> reader.readExactly(5));
        assertArrayEquals(bytes("ef"), thrown.partial());
        assertEquals(5, thrown.expected());
        assertArrayEquals(new byte[0], reader.readExactly(0));
    }

    @Test
    void readExactlyLargerThanTheBuffer() throws IOException {
        byte[] big = new byte[200_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) i;
        }
        StreamReader reader = new StreamReader(new ByteArrayInputStream(big), 16, StreamReader.DEFAULT_LIMIT);
        assertArrayEquals(big, reader.readExactly(big.length));
    }

    @Test
    void readUntilFindsASeparatorSplitAcrossReads() throws IOException {
        StreamReader reader =
                new StreamReader(trickle("GET / HTTP/1.1\r\nHost: x\r\n\r\nbody"), 4, StreamReader.DEFAULT_LIMIT);
        assertArrayEquals(bytes("GET / HTTP/1.1\r\nHost: x\r\n\r\n"), reader.readUntil(bytes("\r\n\r\n")));
        assertArrayEquals(bytes("body"), reader.readAll());
    }

    @Test
    void readUntilAtEofThrowsWithThePartialBytes() {
        StreamReader reader = new StreamReader(trickle("no separator here"));
        IncompleteReadException thrown =
                assertThrows(IncompleteReadException.class, () -> reader.readUntil(bytes("||")));
        assertArrayEquals(bytes("no separator here"), thrown.partial());
        assertEquals(-1, thrown.expected());
    }

    @Test
    void separatorSearchesStopAtTheLimit() {
        StreamReader reader = new StreamReader(new ByteArrayInputStream(new byte[1000]), 16, 100);
        IOException thrown = assertThrows(IOException.class, reader::readLine);
        assertTrue(thrown.getMessage().contains("100"), thrown.getMessage());
    }

    @Test
    void readReturnsWhatIsAvailableAndEmptyAtEof() throws IOException {
        StreamReader reader = new StreamReader(new ByteArrayInputStream(bytes("hello")));
        assertArrayEquals(bytes("he"), reader.read(2));
        assertArrayEquals(bytes("llo"), reader.read(100));
        assertFalse(reader.atEof(), "the end is not known before a read sees it");
        assertArrayEquals(new byte[0], reader.read(100));
        assertTrue(reader.atEof());
        assertArrayEquals(new byte[0], reader.read(0));
        assertThrows(IllegalArgumentException.class, () -> reader.read(-1));
    }

    @Test
    void inputStreamViewSharesTheBuffer() throws IOException {
        StreamReader reader = new StreamReader(new ByteArrayInputStream(bytes("line\nrest")));
        assertArrayEquals(bytes("line\n"), reader.readLine());
        assertArrayEquals(bytes("rest"), reader.inputStream().readAllBytes());
    }

    @Test
    void theBufferStartsSmallGrowsWithBulkReadsAndShrinksBackWhenTrafficIsSmall() throws IOException {
        byte[] bulk = new byte[1 << 20];
        java.util.Arrays.fill(bulk, (byte) 7);
        byte[] small = bytes("small\n");
        // a stream whose reads return what one "packet" holds: first the bulk, then small messages
        java.util.ArrayDeque<byte[]> packets = new java.util.ArrayDeque<>();
        for (int i = 0; i < bulk.length; i += 1 << 16) {
            packets.add(java.util.Arrays.copyOfRange(bulk, i, i + (1 << 16)));
        }
        for (int i = 0; i < 20; i++) {
            packets.add(small);
        }
        InputStream in = new InputStream() {
            byte[] current = new byte[0];
            int position;

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (position == current.length) {
                    if (packets.isEmpty()) {
                        return -1;
                    }
                    current = packets.poll();
                    position = 0;
                }
                int count = Math.min(len, current.length - position);
                System.arraycopy(current, position, b, off, count);
                position += count;
                return count;
            }
        };
        StreamReader reader = new StreamReader(in);
        assertEquals(StreamReader.DEFAULT_BUFFER_SIZE, reader.capacity(), "small while nothing was read");
        int bulkRead = 0;
        while (bulkRead < bulk.length) {
            byte[] chunk = reader.read(1 << 20);
            for (byte b : chunk) {
                assertEquals(7, b);
            }
            bulkRead += chunk.length;
        }
        assertEquals(bulk.length, bulkRead);
        assertEquals(StreamReader.MAX_ADAPTIVE_SIZE, reader.capacity(), "grown by the bulk transfer");
        for (int i = 0; i < 20; i++) {
            assertArrayEquals(small, reader.readLine());
        }
        assertEquals(StreamReader.DEFAULT_BUFFER_SIZE, reader.capacity(), "shrunk back by small messages");
        assertArrayEquals(new byte[0], reader.read(10));
    }
}
