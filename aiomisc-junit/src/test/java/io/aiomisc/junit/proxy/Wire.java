package io.aiomisc.junit.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** What the proxy's tests do with a client socket. */
final class Wire {
    private Wire() {}

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** Sends {@code message} to an echo server and reads it back; returns the elapsed time. */
    static Duration echo(Socket socket, byte[] message) throws IOException {
        long start = System.nanoTime();
        socket.getOutputStream().write(message);
        byte[] back = socket.getInputStream().readNBytes(message.length);
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        assertArrayEquals(message, back);
        return elapsed;
    }

    /** Reads until end-of-stream; returns how many bytes came before it (an exception fails the test). */
    static long drainToEnd(InputStream in) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        int count;
        while ((count = in.read(buffer)) >= 0) {
            total += count;
        }
        return total;
    }
}
