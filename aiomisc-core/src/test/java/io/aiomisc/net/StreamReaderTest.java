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
        StreamReader reader = new StreamReader(trickle("GET / HTTP/1.1\r\nHost: x\r\n\r\nbody"), 4, StreamReader.DEFAULT_LIMIT);
        assertArrayEquals(bytes("GET / HTTP/1.1\r\nHost: x\r\n\r\n"), reader.readUntil(bytes("\r\n\r\n")));
        assertArrayEquals(bytes("body"), reader.readAll());
    }

    @Test
    void readUntilAtEofThrowsWithThePartialBytes() {
        StreamReader reader = new StreamReader(trickle("no separator here"));
        IncompleteReadException thrown = assertThrows(IncompleteReadException.class, () -> reader.readUntil(bytes("||")));
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
}
