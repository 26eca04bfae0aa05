package io.aiomisc.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Issue 11, defects 4 and 9: what a peer can make a {@link StreamReader} hold. */
class StreamReaderBoundsTest {

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** {@code data} handed out at most {@code chunk} bytes per read, like TCP segments. */
    private static InputStream segmented(byte[] data, int chunk) {
        ByteArrayInputStream all = new ByteArrayInputStream(data);
        return new InputStream() {
            @Override
            public int read() {
                return all.read();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                return all.read(b, off, Math.min(len, chunk));
            }
        };
    }

    private static byte[] line(int length) { // length bytes, the last one a newline
        byte[] line = new byte[length];
        Arrays.fill(line, (byte) 'a');
        line[length - 1] = '\n';
        return line;
    }

    private static byte[] concat(byte[]... parts) {
        int size = 0;
        for (byte[] part : parts) {
            size += part.length;
        }
        byte[] all = new byte[size];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }

    @Test
    void readExactlyDoesNotAllocateTheBytesAPeerOnlyAnnounces() throws IOException {
        int announced = 96 * 1024 * 1024;
        StreamReader reader = new StreamReader(segmented(bytes("abcd"), Integer.MAX_VALUE));
        IncompleteReadException thrown =
                assertThrows(IncompleteReadException.class, () -> reader.readExactly(announced));
        // the module path keeps com.sun.management's allocation counter out of reach: the buffer tells
        assertTrue(reader.capacity() <= 1024 * 1024, "a buffer of " + reader.capacity() + " bytes for 4 that arrived");
        assertArrayEquals(bytes("abcd"), thrown.partial());
        assertEquals(announced, thrown.expected());
    }

    @Test
    void readExactlyStillReadsWhatArrivesInFull() throws IOException {
        byte[] big = new byte[5 * 1024 * 1024 + 3];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31);
        }
        StreamReader reader = new StreamReader(segmented(concat(bytes("xy"), big), 70_000));
        assertArrayEquals(bytes("xy"), reader.readExactly(2));
        assertArrayEquals(big, reader.readExactly(big.length));
        assertTrue(reader.capacity() <= 2 * big.length);
    }

    @ParameterizedTest(name = "segments of {0} bytes")
    @ValueSource(ints = {1, 1000, Integer.MAX_VALUE})
    void aLineOverTheDefaultLimitIsRefusedHoweverItArrives(int segment) {
        StreamReader reader = new StreamReader(segmented(line(100_002), segment));
        LimitOverrunException thrown = assertThrows(LimitOverrunException.class, reader::readLine);
        assertEquals(StreamReader.DEFAULT_LIMIT, thrown.limit());
        assertTrue(reader.capacity() <= StreamReader.DEFAULT_LIMIT, "buffered " + reader.capacity());
    }

    @ParameterizedTest(name = "segments of {0} bytes")
    @ValueSource(ints = {1, 7, 1000, Integer.MAX_VALUE})
    void theLimitCountsTheLineWithItsSeparator(int segment) throws IOException {
        StreamReader fits = new StreamReader(segmented(concat(line(16), line(17)), segment), 4, 16);
        assertArrayEquals(line(16), fits.readLine());
        assertThrows(LimitOverrunException.class, fits::readLine);

        StreamReader tooLong = new StreamReader(segmented(line(1001), segment), 4, 16);
        assertThrows(LimitOverrunException.class, tooLong::readLine);

        StreamReader crlf = new StreamReader(segmented(bytes("abc\r\nabcd\r\n"), segment), 4, 5);
        assertArrayEquals(bytes("abc\r\n"), crlf.readUntil(bytes("\r\n")));
        assertThrows(LimitOverrunException.class, () -> crlf.readUntil(bytes("\r\n")));
    }

    @Test
    void afterAnOverrunTheBufferedRestOfTheLineIsDiscarded() throws IOException {
        // the whole oversized line is buffered: it goes up to its newline
        StreamReader atOnce = new StreamReader(segmented(concat(line(20), bytes("next\n")), 1000), 64, 16);
        assertThrows(LimitOverrunException.class, atOnce::readLine);
        assertArrayEquals(bytes("next\n"), atOnce.readLine());

        // only the first limit bytes are buffered: they go, the rest of the line is still to come
        StreamReader trickle = new StreamReader(segmented(concat(line(20), bytes("next\n")), 1), 64, 16);
        assertThrows(LimitOverrunException.class, trickle::readLine);
        assertArrayEquals(bytes("aaa\n"), trickle.readLine());
        assertArrayEquals(bytes("next\n"), trickle.readLine());
    }

    @Test
    void anOverrunIsAnIoExceptionAndASeparatorLongerThanTheLimitIsRefused() {
        StreamReader reader = new StreamReader(segmented(line(40), 1000), 4, 16);
        IOException thrown = assertThrows(IOException.class, reader::readLine);
        assertTrue(thrown instanceof LimitOverrunException);
        IllegalArgumentException refused =
                assertThrows(IllegalArgumentException.class, () -> reader.readUntil(new byte[17]));
        assertTrue(refused.getMessage().contains("16"), refused.getMessage());
    }
}
